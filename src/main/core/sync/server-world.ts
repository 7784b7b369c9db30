import type { CorsConfig } from '../../../shared/types';
import type { ServerClient, ServerFunction } from './server-api';
import { emptyWorld, keyOwner, ref, text, type World } from './world';

/** A server's records as a World, with what only the server side needs. */
export interface ServerWorld {
  world: World;
  /** Code sources by name: a file `<source>/<path>` lives in the source of its first segment. */
  sources: Map<string, { id: string; type: string }>;
  /** What was not compared, in words. */
  notes: string[];
}

const MAX_FILE_BYTES = 1024 * 1024;
const MAX_FILES = 2000;
const FILE_CONCURRENCY = 6;

function corsOf(c: ServerFunction['cors']): CorsConfig | null {
  if (!c) return null;
  return {
    origins: c.origins,
    ...(c.credentials != null ? { credentials: c.credentials } : {}),
    ...(c.maxAge != null ? { maxAge: c.maxAge } : {}),
    ...(c.allowHeaders != null ? { allowHeaders: c.allowHeaders } : {}),
    ...(c.exposeHeaders != null ? { exposeHeaders: c.exposeHeaders } : {}),
  };
}

/** Runs `fn` over `items`, `n` at a time; the first failure fails the whole. */
async function eachLimited<T>(items: T[], n: number, fn: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < items.length) await fn(items[next++]!);
  };
  await Promise.all(Array.from({ length: Math.min(n, items.length) }, worker));
}

/**
 * Everything a pull or a diff compares, read from the server: functions, groups, keys
 * with their values, secrets of every scope with their values, and the text files of
 * every code source. Any failed call fails the whole read (nothing half-read is used).
 */
export async function readServerWorld(client: ServerClient): Promise<ServerWorld> {
  const [groups, keys, functions, secrets, sources] = await Promise.all([
    client.listGroups(),
    client.listKeys(),
    client.listFunctions(),
    client.listSecrets(),
    client.listSources(),
  ]);
  const w = emptyWorld();
  const notes: string[] = [];
  const groupNames = new Map<string, string>();
  for (const g of groups) {
    groupNames.set(g.id, g.name);
    const r = ref.group(g.name);
    w.groups.set(r, { name: g.name, description: text(g.description) });
    w.ids.set(r, g.id);
  }
  const keyOwners = new Map<string, string>();
  for (const k of keys) {
    const group = groupNames.get(k.groupId) ?? k.groupName;
    keyOwners.set(k.id, keyOwner(group, k.name));
    const r = ref.key(group, k.name);
    w.keys.set(r, { group, name: k.name, description: text(k.description), value: k.value === '' ? null : k.value, ...(k.value === '' ? { valueProblem: 'the server sent no value (it could not decrypt it)' } : {}) });
    w.ids.set(r, k.id);
  }
  const functionNames = new Map<string, string>();
  for (const f of functions) {
    functionNames.set(f.id, f.name);
    const unknown = (f.keys ?? []).filter((id) => !groupNames.has(id));
    const r = ref.function(f.name);
    w.functions.set(r, {
      name: f.name,
      description: text(f.description),
      handler: f.handler,
      route: f.route,
      methods: [...new Set(f.methods)].sort(),
      groups: (f.keys ?? []).filter((id) => groupNames.has(id)).map((id) => groupNames.get(id)!).sort(),
      cors: corsOf(f.cors),
      enabled: f.enabled,
      ...(unknown.length ? { groupProblem: `it requires group id ${unknown.join(', ')}, which the server did not list` } : {}),
    });
    w.ids.set(r, f.id);
  }
  let orphans = 0;
  for (const s of secrets) {
    const id = s.scopeRef ?? '';
    const owner = s.scopeType === 'global' ? null : s.scopeType === 'function' ? functionNames.get(id) : s.scopeType === 'group' ? groupNames.get(id) : keyOwners.get(id);
    if (owner === undefined) {
      orphans++;
      continue;
    }
    const r = ref.secret(s.scopeType, owner, s.name);
    const broken = s.decryptionError ? `the server could not decrypt it (${s.decryptionError.slice(0, 120)})` : undefined;
    w.secrets.set(r, { scope: s.scopeType, owner, name: s.name, value: broken ? null : s.value, comment: text(s.comment), ...(broken ? { valueProblem: broken } : {}) });
    w.ids.set(r, s.id);
  }
  if (orphans) notes.push(`${orphans} secret${orphans === 1 ? '' : 's'} on the server belong${orphans === 1 ? 's' : ''} to a function, group or key it did not list; left out.`);

  const sourceMap = new Map<string, { id: string; type: string }>();
  for (const s of sources) sourceMap.set(s.name, { id: s.id, type: s.type });
  const listed = await Promise.all(sources.map(async (s) => ({ source: s, files: await client.listFiles(s.id) })));
  const wanted: { source: string; sourceId: string; path: string }[] = [];
  let binary = 0;
  let large = 0;
  for (const { source, files } of listed) {
    for (const f of files) {
      const path = `${source.name}/${f.path}`;
      if (f.size > MAX_FILE_BYTES) {
        large++;
        w.files.set(ref.file(path), { path, content: null, problem: `larger than ${MAX_FILE_BYTES} bytes` });
      } else wanted.push({ source: source.name, sourceId: source.id, path: f.path });
    }
  }
  if (wanted.length > MAX_FILES) {
    notes.push(`The server's code sources hold ${wanted.length} files; only the first ${MAX_FILES} were compared.`);
    wanted.length = MAX_FILES;
  }
  await eachLimited(wanted, FILE_CONCURRENCY, async (f) => {
    const path = `${f.source}/${f.path}`;
    const content = await client.readFile(f.sourceId, f.path);
    if (content === null) binary++;
    // The listing's size is the server's word; the content is what counts.
    const tooLarge = content !== null && Buffer.byteLength(content, 'utf8') > MAX_FILE_BYTES;
    if (tooLarge) large++;
    w.files.set(ref.file(path), {
      path,
      content: tooLarge ? null : content,
      ...(content === null ? { problem: 'a binary file (only text files are synced)' } : tooLarge ? { problem: `larger than ${MAX_FILE_BYTES} bytes` } : {}),
    });
  });
  const are = (n: number) => (n === 1 ? 'is' : 'are');
  if (binary) notes.push(`${binary} binary file${binary === 1 ? '' : 's'} in the server's code sources ${are(binary)} not synced.`);
  if (large) notes.push(`${large} file${large === 1 ? '' : 's'} in the server's code sources ${are(large)} larger than 1 MB and not synced.`);
  return { world: w, sources: sourceMap, notes };
}
