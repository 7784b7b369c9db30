// The server client over plain fetch: one call per route, a timeout on each, the answer
// read with a size limit and checked against its schema. Every failure is a CoreError
// naming the server and the call; none carries the management key (it travels only in
// the X-API-Key header, and is blanked out of anything the server says back).
import type { z } from 'zod';
import type { ErrorCode } from '../../../shared/types';
import { CoreError } from '../errors';
import { readCapped } from '../host/read-capped';
import { answers, type NewServerFunction, type NewServerSecret, type ServerClient } from './server-api';
import type { ServerTarget } from './servers';

/** A failed call to a server; `status` is the HTTP status when the server answered. */
export class ServerCallError extends CoreError {
  constructor(
    code: ErrorCode,
    message: string,
    readonly call: string,
    readonly status?: number,
  ) {
    super(code, message);
    this.name = 'ServerCallError';
  }
}

export interface HttpClientOptions {
  /** Per call, including reading the answer (default 15 s). */
  timeoutMs?: number;
  /** Largest answer read (default 64 MB). */
  maxAnswerBytes?: number;
  fetch?: typeof fetch;
}

const MAX_MESSAGE = 300;

/** "Server "staging" (https://…)". */
export function describeServer(t: { name: string; url: string }): string {
  return `Server "${t.name}" (${t.url})`;
}

/** Why fetch failed, in words (its cause carries the system's code). */
function networkReason(e: unknown, timeoutMs: number): string {
  const err = e as { name?: string; message?: string; cause?: { code?: string; message?: string } };
  if (err?.name === 'TimeoutError' || err?.name === 'AbortError') return `did not answer within ${timeoutMs < 1000 ? `${timeoutMs} ms` : `${Math.round(timeoutMs / 1000)} s`}`;
  const code = err?.cause?.code ?? '';
  if (code === 'ECONNREFUSED') return 'refused the connection (is the server running, and is this its management port, 9000 by default?)';
  if (code === 'ENOTFOUND' || code === 'EAI_AGAIN') return 'could not be found (check the host name)';
  if (code === 'ECONNRESET' || code === 'UND_ERR_SOCKET') return 'closed the connection before answering';
  if (code === 'UND_ERR_CONNECT_TIMEOUT') return 'could not be connected to in time';
  if (/CERT|SSL|TLS/i.test(code)) return `has a TLS certificate this machine does not trust (${code})`;
  return `could not be reached (${(err?.cause?.message ?? err?.message ?? 'network error').slice(0, 120)})`;
}

/**
 * The HTTP client for one server. `target.key` is sent as `X-API-Key` on every call, the
 * way the platform's management API authenticates scripts.
 */
export function createHttpServerClient(target: ServerTarget, options: HttpClientOptions = {}): ServerClient {
  const timeoutMs = options.timeoutMs ?? 15_000;
  const maxBytes = options.maxAnswerBytes ?? 64 * 1024 * 1024;
  const doFetch = options.fetch ?? fetch;
  const who = describeServer(target);

  /** Server text as it may be shown: shortened, with the key and the values just sent blanked out. */
  const scrub = (text: string, sent: string[]): string => {
    let out = text;
    for (const v of [target.key, ...sent]) if (v.length >= 4) out = out.split(v).join('[redacted]');
    // Control characters (a newline, say) would let a server forge lines of our messages.
    return [...out].map((c) => (c.charCodeAt(0) < 0x20 ? ' ' : c)).join('').slice(0, MAX_MESSAGE);
  };

  async function call<S extends z.ZodType>(
    method: string,
    path: string,
    schema: S | null,
    opts: { body?: unknown; list?: boolean; sent?: string[] } = {},
  ): Promise<z.output<S>> {
    const name = `${method} ${path.replace(/\?.*$/, '')}`;
    const sent = opts.sent ?? [];
    const fail = (code: ErrorCode, reason: string, status?: number) => new ServerCallError(code, `${who}: ${name} ${reason}.`, name, status);
    let res: Response;
    let bytes: ArrayBuffer | null;
    try {
      res = await doFetch(`${target.url}${path}`, {
        method,
        headers: {
          'X-API-Key': target.key,
          Accept: 'application/json',
          ...(opts.body === undefined ? {} : { 'Content-Type': 'application/json' }),
        },
        body: opts.body === undefined ? undefined : JSON.stringify(opts.body),
        // A redirect (to a login page, say) is not followed: the key stays with this URL.
        redirect: 'manual',
        signal: AbortSignal.timeout(timeoutMs),
      });
      bytes = await readCapped(res.body, maxBytes);
    } catch (e) {
      throw fail('SERVER_UNREACHABLE', networkReason(e, timeoutMs));
    }
    if (bytes === null) throw fail('SERVER_INCOMPATIBLE', `answered with more than ${Math.round(maxBytes / 1024 / 1024)} MB`, res.status);
    const text = new TextDecoder().decode(bytes);
    let json: unknown = undefined;
    if (text.trim() !== '') {
      try {
        json = JSON.parse(text);
      } catch {
        json = undefined;
      }
    }
    const serverSays = (): string => {
      const e = json && typeof json === 'object' ? (json as { error?: unknown; message?: unknown; details?: unknown }) : null;
      const parts = [e?.error, e?.message, e?.details].filter((p): p is string => typeof p === 'string' && p.length > 0);
      return parts.length ? scrub(parts.join(': '), sent) : res.statusText || 'no message';
    };
    if (res.status >= 300 && res.status < 400) {
      const to = res.headers.get('location');
      throw fail('SERVER_INCOMPATIBLE', `answered with a redirect (${res.status}${to ? ` to ${scrub(to, sent)}` : ''}): is this the management API's URL (port 9000 by default)?`, res.status);
    }
    if (res.status === 401) {
      throw fail('SERVER_UNAUTHORIZED', `refused the management key (401 ${serverSays()}): use a key of a group the server allows on its management API (management by default)`, 401);
    }
    if (opts.list && (res.status === 404 || res.status === 405)) {
      throw fail('SERVER_INCOMPATIBLE', `does not exist there (${res.status}): the server runs a version of Crude Functions whose API differs`, res.status);
    }
    if (res.status < 200 || res.status >= 300) throw fail('SERVER_ERROR', `was refused (${res.status}: ${serverSays()})`, res.status);
    if (schema === null) return undefined as z.output<S>;
    if (json === undefined) throw fail('SERVER_INCOMPATIBLE', 'answered with something that is not JSON: is this the management API of a Crude Functions server?', res.status);
    const parsed = schema.safeParse(json);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      const at = issue ? issue.path.map(String).join('.') : '';
      throw fail('SERVER_INCOMPATIBLE', `answered in a shape this app does not know (${at ? `${at}: ` : ''}${issue?.message ?? 'unexpected'}): the server runs a version of Crude Functions whose API differs`, res.status);
    }
    return parsed.data;
  }

  const seg = encodeURIComponent;
  const fn = (input: NewServerFunction) => ({ ...input });
  return {
    describe: who,
    rotationStatus: () => call('GET', '/api/encryption-keys/rotation', answers.rotation, { list: true }),
    listFunctions: async () => (await call('GET', '/api/functions', answers.functions, { list: true })).functions,
    listGroups: async () => (await call('GET', '/api/key-groups', answers.groups, { list: true })).groups,
    listKeys: async () => (await call('GET', '/api/keys', answers.keys, { list: true })).keys,
    listSecrets: async () => (await call('GET', '/api/secrets?includeValues=true', answers.secrets, { list: true })).secrets,
    listSources: async () => (await call('GET', '/api/sources', answers.sources, { list: true })).sources,
    listFiles: async (sourceId) => (await call('GET', `/api/sources/${seg(sourceId)}/files`, answers.files, { list: true })).files,
    async readFile(sourceId, path) {
      const f = await call('GET', `/api/sources/${seg(sourceId)}/files/${seg(path)}`, answers.fileContent);
      return f.encoding === 'utf-8' ? f.content : null;
    },

    createGroup: async (input) => ({ id: (await call('POST', '/api/key-groups', answers.groupCreated, { body: input })).id }),
    updateGroup: async (id, input) => void (await call('PUT', `/api/key-groups/${seg(id)}`, answers.success, { body: input })),
    deleteGroup: async (id) => void (await call('DELETE', `/api/key-groups/${seg(id)}`, answers.success)),
    createKey: async (input) => ({ id: (await call('POST', '/api/keys', answers.keyCreated, { body: input, sent: [input.value] })).id }),
    updateKey: async (id, input) => void (await call('PUT', `/api/keys/${seg(id)}`, answers.success, { body: input, sent: input.value ? [input.value] : [] })),
    deleteKey: async (id) => void (await call('DELETE', `/api/keys/${seg(id)}`, answers.success)),
    createFunction: async (input) => ({ id: (await call('POST', '/api/functions', answers.function, { body: fn(input) })).function.id }),
    updateFunction: async (id, input) => void (await call('PUT', `/api/functions/${seg(id)}`, answers.function, { body: fn(input) })),
    setFunctionEnabled: async (id, enabled) => void (await call('PUT', `/api/functions/${seg(id)}/${enabled ? 'enable' : 'disable'}`, answers.function)),
    deleteFunction: async (id) => void (await call('DELETE', `/api/functions/${seg(id)}`, null)),
    createSecret: async (input: NewServerSecret) => ({ id: (await call('POST', '/api/secrets', answers.secretCreated, { body: input, sent: [input.value] })).id }),
    updateSecret: async (id, input) => void (await call('PUT', `/api/secrets/${seg(id)}`, answers.success, { body: input, sent: [input.value] })),
    deleteSecret: async (id) => void (await call('DELETE', `/api/secrets/${seg(id)}`, answers.success)),
    createSource: async (input) => ({ id: (await call('POST', '/api/sources', answers.source, { body: { name: input.name, type: 'manual', enabled: true } })).id }),
    writeFile: async (sourceId, path, content) =>
      void (await call('PUT', `/api/sources/${seg(sourceId)}/files/${seg(path)}`, answers.fileWritten, { body: { content, encoding: 'utf-8' } })),
    deleteFile: async (sourceId, path) => void (await call('DELETE', `/api/sources/${seg(sourceId)}/files/${seg(path)}`, null)),
  };
}
