// A test Crude Functions server: the platform's management API routes, request checks,
// status codes and JSON bodies (read from its src/*/..._routes.ts and services: ids are
// strings, lists are wrapped, 401 {"error":"Unauthorized"} for a missing or foreign key),
// on an ephemeral port, in memory. Tests start it, seed it, and make it fail on purpose.
import { randomBytes } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import type { IncomingMessage } from 'node:http';
import { serve, type ServerType } from '@hono/node-server';
import { Hono, type Context } from 'hono';

interface Group {
  id: string;
  name: string;
  description?: string;
}
interface Key {
  id: string;
  groupId: string;
  name: string;
  value: string;
  description?: string;
}
interface Cors {
  origins: string[];
  credentials?: boolean;
  maxAge?: number;
  allowHeaders?: string[];
  exposeHeaders?: string[];
}
interface Fn {
  id: string;
  name: string;
  description?: string;
  handler: string;
  routePath: string;
  methods: string[];
  keys?: string[];
  cors?: Cors;
  enabled: boolean;
}
type ScopeType = 'global' | 'function' | 'group' | 'key';
interface Secret {
  id: string;
  name: string;
  value: string;
  comment?: string;
  scopeType: ScopeType;
  scopeRef?: string;
  createdAt: string;
  updatedAt: string;
  decryptionError?: string;
}
interface Source {
  id: string;
  name: string;
  type: 'manual' | 'git';
  enabled: boolean;
  files: Map<string, Uint8Array>;
  createdAt: string;
}

/** A planned misbehaviour: the next `times` requests matching `method` and `path` get it. */
export interface Fault {
  method?: string;
  path: RegExp;
  /** Answer with this status and JSON body instead of handling the request. */
  status?: number;
  body?: unknown;
  /** Cut the connection without answering. */
  drop?: boolean;
  /** Wait this long first (for timeouts). */
  delayMs?: number;
  times?: number;
}

export interface CrudeServerOptions {
  /** "other": a server whose API differs (functions carry `routePath`, not `route`). */
  apiVersion?: 'current' | 'other';
}

const newId = () => randomBytes(10).toString('hex');
const now = () => new Date().toISOString();
const VALID_METHODS = ['GET', 'POST', 'PUT', 'DELETE', 'PATCH', 'HEAD', 'OPTIONS'];
const validId = (v: string | undefined): v is string => !!v && /^[a-zA-Z0-9_-]+$/.test(v);
const normaliseRoute = (r: string) => r.replace(/:[^/]+/g, ':param').replace(/\/$/, '') || '/';

export interface CrudeServer {
  url: string;
  port: number;
  /** A key of the management group, for the app to connect with. */
  managementKey: string;
  /** Every request the server received, as "METHOD /path?query". */
  requests: string[];
  /** Every request's headers (lowercased names). */
  headers: Record<string, string>[];
  fail(f: Fault): void;
  clearFaults(): void;
  setApiVersion(v: 'current' | 'other'): void;
  /** Direct access to the data, for seeding and for checking what a push did. */
  data: {
    groups: Map<string, Group>;
    keys: Map<string, Key>;
    functions: Map<string, Fn>;
    secrets: Map<string, Secret>;
    sources: Map<string, Source>;
  };
  seed: {
    group(name: string, description?: string): Group;
    key(group: Group, name: string, value?: string, description?: string): Key;
    fn(f: { name: string; route: string; handler: string; methods?: string[]; groups?: Group[]; description?: string; cors?: Cors; enabled?: boolean }): Fn;
    secret(s: { name: string; value: string; scope?: ScopeType; ref?: { id: string }; comment?: string; decryptionError?: string }): Secret;
    source(name: string, type?: 'manual' | 'git'): Source;
    file(source: Source, path: string, content: string | Uint8Array): void;
  };
  close(): Promise<void>;
}

/** Starts the test server on 127.0.0.1 and an ephemeral port, with its management group and one key in it. */
export async function startCrudeServer(options: CrudeServerOptions = {}): Promise<CrudeServer> {
  let apiVersion = options.apiVersion ?? 'current';
  const groups = new Map<string, Group>();
  const keys = new Map<string, Key>();
  const functions = new Map<string, Fn>();
  const secrets = new Map<string, Secret>();
  const sources = new Map<string, Source>();
  let faults: (Fault & { left: number })[] = [];
  const requests: string[] = [];
  const headers: Record<string, string>[] = [];
  const rotation = { lastRotationAt: now(), currentVersion: 'A', isInProgress: false, intervalDays: 90 };

  const seed: CrudeServer['seed'] = {
    group(name, description) {
      const g = { id: newId(), name, ...(description ? { description } : {}) };
      groups.set(g.id, g);
      return g;
    },
    key(group, name, value = `srv_${randomBytes(12).toString('base64url')}`, description) {
      const k = { id: newId(), groupId: group.id, name, value, ...(description ? { description } : {}) };
      keys.set(k.id, k);
      return k;
    },
    fn(f) {
      const fn: Fn = {
        id: newId(),
        name: f.name,
        handler: f.handler,
        routePath: f.route,
        methods: f.methods ?? ['GET'],
        enabled: f.enabled ?? true,
        ...(f.description ? { description: f.description } : {}),
        ...(f.groups?.length ? { keys: f.groups.map((g) => g.id) } : {}),
        ...(f.cors ? { cors: f.cors } : {}),
      };
      functions.set(fn.id, fn);
      return fn;
    },
    secret(s) {
      const sec: Secret = {
        id: newId(),
        name: s.name,
        value: s.value,
        scopeType: s.scope ?? 'global',
        ...(s.ref ? { scopeRef: s.ref.id } : {}),
        ...(s.comment ? { comment: s.comment } : {}),
        ...(s.decryptionError ? { decryptionError: s.decryptionError } : {}),
        createdAt: now(),
        updatedAt: now(),
      };
      secrets.set(sec.id, sec);
      return sec;
    },
    source(name, type = 'manual') {
      const s: Source = { id: newId(), name, type, enabled: true, files: new Map(), createdAt: now() };
      sources.set(s.id, s);
      return s;
    },
    file(source, path, content) {
      source.files.set(path, typeof content === 'string' ? new TextEncoder().encode(content) : content);
    },
  };

  const management = seed.group('management', 'Management API access');
  const managementKey = seed.key(management, 'admin', `CANARY-mgmt-${randomBytes(9).toString('hex')}`).value;
  const accessGroups = () => [management.id];

  const app = new Hono<{ Bindings: { incoming: IncomingMessage } }>();

  // Record, then misbehave when told to.
  app.use('*', async (c, next) => {
    const url = new URL(c.req.url);
    requests.push(`${c.req.method} ${url.pathname}${url.search}`);
    const h: Record<string, string> = {};
    c.req.raw.headers.forEach((v, k) => (h[k] = v));
    headers.push(h);
    const fault = faults.find((f) => f.left > 0 && (!f.method || f.method === c.req.method) && f.path.test(url.pathname));
    if (fault) {
      fault.left--;
      if (fault.delayMs) await new Promise((r) => setTimeout(r, fault.delayMs));
      if (fault.drop) {
        c.env.incoming.socket.destroy();
        return new Promise<Response>(() => {});
      }
      if (fault.status) return c.json(fault.body ?? { error: 'Injected failure' }, fault.status as 500);
    }
    await next();
  });

  // The platform's hybrid auth for /api/*: (no sessions here) an X-API-Key of an access group.
  app.use('/api/*', async (c, next) => {
    const given = c.req.header('X-API-Key');
    const ok = given !== undefined && [...keys.values()].some((k) => accessGroups().includes(k.groupId) && k.value === given);
    if (!ok) return c.json({ error: 'Unauthorized' }, 401);
    await next();
  });

  const json = async (c: Context): Promise<Record<string, unknown> | null> => {
    try {
      return (await c.req.json()) as Record<string, unknown>;
    } catch {
      return null;
    }
  };

  // ---- functions (src/routes/functions_routes.ts)
  const normFn = (f: Fn) => ({
    id: f.id,
    name: f.name,
    description: f.description ?? null,
    handler: f.handler,
    ...(apiVersion === 'current' ? { route: f.routePath } : { routePath: f.routePath }),
    methods: f.methods,
    keys: f.keys ?? null,
    cors: f.cors ?? null,
    enabled: f.enabled,
  });
  function validateFnBody(body: Record<string, unknown> | null): string | Fn | null {
    if (!body) return 'Invalid JSON body';
    if (typeof body.name !== 'string' || body.name.trim().length === 0) return 'Invalid or missing name';
    if (typeof body.handler !== 'string' || body.handler.trim() === '') return 'Invalid or missing handler';
    const route = body.route;
    if (typeof route !== 'string' || !route.startsWith('/') || (route !== '/' && route.includes('//'))) return 'Invalid or missing route path';
    const methods = body.methods;
    if (!Array.isArray(methods) || methods.length === 0 || !methods.every((m) => VALID_METHODS.includes(m as string))) return 'Invalid or missing methods';
    if (body.keys !== undefined && body.keys !== null) {
      if (!Array.isArray(body.keys)) return 'keys must be an array of group IDs';
      if (!body.keys.every((k) => typeof k === 'string' && validId(k))) return 'keys must be an array of valid string group IDs';
    }
    const cors = body.cors as Cors | undefined | null;
    if (cors !== undefined && cors !== null) {
      if (typeof cors !== 'object' || !Array.isArray(cors.origins) || cors.origins.length === 0) return 'cors.origins must be a non-empty array of strings';
      if (cors.credentials === true && cors.origins.includes('*')) return "cors.credentials cannot be true when origins includes '*'";
    }
    return {
      id: '',
      name: body.name,
      handler: body.handler,
      routePath: route,
      methods: [...new Set(methods as string[])],
      enabled: true,
      ...(typeof body.description === 'string' ? { description: body.description } : {}),
      ...(Array.isArray(body.keys) && body.keys.length > 0 ? { keys: body.keys as string[] } : {}),
      ...(cors ? { cors } : {}),
    };
  }
  function fnConflict(f: Fn, selfId: string | null): string | null {
    for (const o of functions.values()) {
      if (o.id === selfId) continue;
      if (o.name === f.name) return `Function with name '${f.name}' already exists`;
      if (normaliseRoute(o.routePath) === normaliseRoute(f.routePath)) {
        const both = o.methods.filter((m) => f.methods.includes(m));
        if (both.length) return `Route '${normaliseRoute(f.routePath)}' with method(s) ${both.join(', ')} already exists (function: '${o.name}')`;
      }
    }
    return null;
  }
  app.get('/api/functions', (c) => c.json({ functions: [...functions.values()].map(normFn) }));
  app.get('/api/functions/:id', (c) => {
    const id = c.req.param('id');
    if (!validId(id)) return c.json({ error: 'Invalid function ID' }, 400);
    const f = functions.get(id);
    return f ? c.json({ function: normFn(f) }) : c.json({ error: `Function with id '${id}' not found` }, 404);
  });
  app.post('/api/functions', async (c) => {
    const v = validateFnBody(await json(c));
    if (typeof v === 'string' || v === null) return c.json({ error: v }, 400);
    const conflict = fnConflict(v, null);
    if (conflict) return c.json({ error: conflict }, 409);
    const f = { ...v, id: newId() };
    functions.set(f.id, f);
    return c.json({ function: normFn(f) }, 201);
  });
  app.put('/api/functions/:id', async (c) => {
    const id = c.req.param('id');
    if (!validId(id)) return c.json({ error: 'Invalid function ID' }, 400);
    const v = validateFnBody(await json(c));
    if (typeof v === 'string' || v === null) return c.json({ error: v }, 400);
    const existing = functions.get(id);
    if (!existing) return c.json({ error: `Function with id '${id}' not found` }, 404);
    const conflict = fnConflict(v, id);
    if (conflict) return c.json({ error: conflict }, 409);
    const f = { ...v, id, enabled: existing.enabled };
    functions.set(id, f);
    return c.json({ function: normFn(f) });
  });
  app.delete('/api/functions/:id', (c) => {
    const id = c.req.param('id');
    if (!validId(id)) return c.json({ error: 'Invalid function ID' }, 400);
    if (!functions.delete(id)) return c.json({ error: `Function with id '${id}' not found` }, 404);
    for (const [sid, s] of secrets) if (s.scopeType === 'function' && s.scopeRef === id) secrets.delete(sid);
    return c.body(null, 204);
  });
  for (const [path, enabled] of [['enable', true], ['disable', false]] as const) {
    app.put(`/api/functions/:id/${path}`, (c) => {
      const id = c.req.param('id');
      const f = functions.get(id);
      if (!f) return c.json({ error: `Function with id '${id}' not found` }, 404);
      f.enabled = enabled;
      return c.json({ function: normFn(f) });
    });
  }

  // ---- key groups and keys (src/keys/api_key_routes.ts)
  const normGroup = (g: Group) => ({ id: g.id, name: g.name, description: g.description ?? null });
  app.get('/api/key-groups', (c) => c.json({ groups: [...groups.values()].sort((a, b) => a.name.localeCompare(b.name)).map(normGroup) }));
  app.post('/api/key-groups', async (c) => {
    const body = await json(c);
    if (!body) return c.json({ error: 'Invalid JSON body' }, 400);
    if (!body.name) return c.json({ error: 'Missing required field: name' }, 400);
    const name = String(body.name).toLowerCase();
    if (!/^[a-z0-9_-]+$/.test(name)) return c.json({ error: 'Invalid group name. Must be lowercase alphanumeric with dashes/underscores.' }, 400);
    if ([...groups.values()].some((g) => g.name === name)) return c.json({ error: `Group '${name}' already exists` }, 409);
    const g = seed.group(name, typeof body.description === 'string' ? body.description : undefined);
    return c.json({ id: g.id, name }, 201);
  });
  app.get('/api/key-groups/:id', (c) => {
    const g = groups.get(c.req.param('id'));
    return g ? c.json(normGroup(g)) : c.json({ error: 'Group not found' }, 404);
  });
  app.put('/api/key-groups/:id', async (c) => {
    const id = c.req.param('id');
    if (!validId(id)) return c.json({ error: 'Invalid group ID' }, 400);
    const g = groups.get(id);
    if (!g) return c.json({ error: 'Group not found' }, 404);
    const body = await json(c);
    if (!body) return c.json({ error: 'Invalid JSON body' }, 400);
    const d = typeof body.description === 'string' ? body.description : '';
    if (d) g.description = d;
    else delete g.description;
    return c.json({ success: true });
  });
  app.delete('/api/key-groups/:id', (c) => {
    const id = c.req.param('id');
    const g = groups.get(id);
    if (!g) return c.json({ error: 'Group not found' }, 404);
    if (g.name === 'management') return c.json({ error: 'Cannot delete management group' }, 403);
    const n = [...keys.values()].filter((k) => k.groupId === id).length;
    if (n > 0) return c.json({ error: `Cannot delete group with ${n} existing key(s). Delete keys first.` }, 409);
    groups.delete(id);
    for (const [sid, s] of secrets) if (s.scopeType === 'group' && s.scopeRef === id) secrets.delete(sid);
    return c.json({ success: true });
  });

  const normKey = (k: Key) => ({ id: k.id, name: k.name, value: k.value, description: k.description ?? null, groupId: k.groupId, groupName: groups.get(k.groupId)?.name ?? '' });
  app.get('/api/keys', (c) => {
    const gid = c.req.query('groupId');
    if (gid !== undefined && !validId(gid)) return c.json({ error: 'Invalid groupId parameter' }, 400);
    if (gid !== undefined && !groups.has(gid)) return c.json({ error: 'Group not found' }, 404);
    return c.json({ keys: [...keys.values()].filter((k) => gid === undefined || k.groupId === gid).map(normKey) });
  });
  app.post('/api/keys', async (c) => {
    const body = await json(c);
    if (!body) return c.json({ error: 'Invalid JSON body' }, 400);
    if (body.groupId === undefined) return c.json({ error: 'Missing required field: groupId' }, 400);
    if (!validId(body.groupId as string)) return c.json({ error: 'Invalid groupId' }, 400);
    const group = groups.get(body.groupId as string);
    if (!group) return c.json({ error: 'Group not found' }, 404);
    const name = typeof body.name === 'string' ? body.name.trim().toLowerCase() : '';
    if (!name) return c.json({ error: 'Missing required field: name' }, 400);
    if (!/^[a-z0-9_-]+$/.test(name)) return c.json({ error: 'Invalid key name. Must be lowercase alphanumeric with dashes/underscores.' }, 400);
    const value = (body.value as string | undefined) ?? randomBytes(16).toString('base64url');
    if (!/^[a-zA-Z0-9_-]+$/.test(value)) return c.json({ error: 'Invalid key value. Must be alphanumeric with dashes/underscores.' }, 400);
    if ([...keys.values()].some((k) => k.groupId === group.id && k.name === name)) return c.json({ error: `A key with name '${name}' already exists in group '${group.name}'` }, 409);
    const k = seed.key(group, name, value, typeof body.description === 'string' && body.description ? body.description : undefined);
    return c.json({ id: k.id, name, value }, 201);
  });
  app.get('/api/keys/:id', (c) => {
    const k = keys.get(c.req.param('id'));
    return k ? c.json({ key: { id: k.id, name: k.name, value: k.value, description: k.description ?? null }, group: normGroup(groups.get(k.groupId)!) }) : c.json({ error: 'Key not found' }, 404);
  });
  app.put('/api/keys/:id', async (c) => {
    const id = c.req.param('id');
    if (!validId(id)) return c.json({ error: 'Invalid key ID' }, 400);
    const body = await json(c);
    if (!body) return c.json({ error: 'Invalid JSON body' }, 400);
    const k = keys.get(id);
    if (!k) return c.json({ error: `API key with id ${id} not found` }, 404);
    if (body.name !== undefined) {
      const n = String(body.name).trim().toLowerCase();
      if (!/^[a-z0-9_-]+$/.test(n)) return c.json({ error: 'Invalid key name. Must be lowercase alphanumeric with dashes/underscores.' }, 400);
      k.name = n;
    }
    if (body.value !== undefined) {
      if (typeof body.value !== 'string' || !/^[a-zA-Z0-9_-]+$/.test(body.value)) return c.json({ error: 'Invalid key value. Must be alphanumeric with dashes/underscores.' }, 400);
      k.value = body.value;
    }
    if (body.description !== undefined) {
      if (body.description) k.description = String(body.description);
      else delete k.description;
    }
    return c.json({ success: true });
  });
  app.delete('/api/keys/:id', (c) => {
    const id = c.req.param('id');
    if (!keys.delete(id)) return c.json({ error: 'Key not found' }, 404);
    for (const [sid, s] of secrets) if (s.scopeType === 'key' && s.scopeRef === id) secrets.delete(sid);
    return c.json({ success: true });
  });

  // ---- secrets (src/secrets/secrets_routes.ts)
  const normSecret = (s: Secret, withValue: boolean) => ({
    id: s.id,
    name: s.name,
    comment: s.comment,
    scopeType: s.scopeType,
    scopeRef: s.scopeRef ?? null,
    createdAt: s.createdAt,
    updatedAt: s.updatedAt,
    ...(withValue ? { value: s.decryptionError ? '' : s.value, decryptionError: s.decryptionError ?? null } : {}),
  });
  const scopes = ['global', 'function', 'group', 'key'];
  app.get('/api/secrets', (c) => {
    const scope = c.req.query('scope');
    if (scope && !scopes.includes(scope)) return c.json({ error: `Invalid scope '${scope}'. Must be one of: global, function, group, key` }, 400);
    const includeValues = c.req.query('includeValues') === 'true';
    return c.json({ secrets: [...secrets.values()].filter((s) => !scope || s.scopeType === scope).map((s) => normSecret(s, includeValues)) });
  });
  app.get('/api/secrets/:id', (c) => {
    const s = secrets.get(c.req.param('id'));
    return s ? c.json(normSecret(s, true)) : c.json({ error: 'Secret not found' }, 404);
  });
  app.post('/api/secrets', async (c) => {
    const body = await json(c);
    if (!body) return c.json({ error: 'Invalid JSON body' }, 400);
    if (!body.name) return c.json({ error: 'Missing required field: name' }, 400);
    const name = String(body.name);
    if (!/^[a-zA-Z0-9_-]+$/.test(name)) return c.json({ error: 'Invalid secret name. Must match pattern [a-zA-Z0-9_-]+' }, 400);
    if (!body.value) return c.json({ error: 'Missing required field: value' }, 400);
    if (typeof body.value !== 'string' || body.value.trim().length === 0) return c.json({ error: 'Secret value cannot be empty' }, 400);
    if (!body.scopeType) return c.json({ error: 'Missing required field: scopeType' }, 400);
    const scopeType = String(body.scopeType) as ScopeType;
    if (!scopes.includes(scopeType)) return c.json({ error: `Invalid scopeType '${scopeType}'. Must be one of: global, function, group, key` }, 400);
    const refField = { function: 'functionId', group: 'groupId', key: 'keyId', global: null }[scopeType];
    if (refField && body[refField] === undefined) return c.json({ error: `${refField} is required for ${scopeType}-scoped secrets` }, 400);
    const scopeRef = refField ? String(body[refField]) : undefined;
    if (scopeType === 'function' && !functions.has(scopeRef!)) return c.json({ error: `Function with id '${scopeRef}' not found` }, 400);
    if (scopeType === 'group' && !groups.has(scopeRef!)) return c.json({ error: `Group with id ${scopeRef} not found` }, 400);
    if (scopeType === 'key' && !keys.has(scopeRef!)) return c.json({ error: `API key with id ${scopeRef} not found` }, 400);
    if ([...secrets.values()].some((s) => s.name === name && s.scopeType === scopeType && (s.scopeRef ?? null) === (scopeRef ?? null))) {
      return c.json({ error: scopeType === 'global' ? `A global secret with name '${name}' already exists` : `A secret with name '${name}' already exists for this ${scopeType === 'key' ? 'key' : scopeType}` }, 409);
    }
    const s = seed.secret({ name, value: body.value, scope: scopeType, ...(scopeRef ? { ref: { id: scopeRef } } : {}), ...(typeof body.comment === 'string' ? { comment: body.comment } : {}) });
    return c.json({ id: s.id, name, scopeType }, 201);
  });
  app.put('/api/secrets/:id', async (c) => {
    const id = c.req.param('id');
    const body = await json(c);
    if (!body) return c.json({ error: 'Invalid JSON body' }, 400);
    if (body.value === undefined && body.comment === undefined) return c.json({ error: 'At least one field (value or comment) must be provided' }, 400);
    if (body.value !== undefined && (typeof body.value !== 'string' || body.value.trim().length === 0)) return c.json({ error: 'Secret value cannot be empty' }, 400);
    const s = secrets.get(id);
    if (!s) return c.json({ error: `Secret with ID ${id} not found` }, 404);
    if (body.value !== undefined) {
      s.value = body.value as string;
      delete s.decryptionError;
    }
    if (body.comment !== undefined) s.comment = String(body.comment);
    s.updatedAt = now();
    return c.json({ success: true });
  });
  app.delete('/api/secrets/:id', (c) => {
    const id = c.req.param('id');
    if (!secrets.delete(id)) return c.json({ error: `Secret with ID ${id} not found` }, 404);
    return c.json({ success: true });
  });

  // ---- code sources and their files (src/sources/source_routes.ts, src/files/source_file_routes.ts)
  const normSource = (s: Source) => ({
    id: s.id,
    name: s.name,
    type: s.type,
    typeSettings: s.type === 'git' ? { url: 'https://example.invalid/repo.git', branch: 'main' } : {},
    syncSettings: {},
    enabled: s.enabled,
    lastSyncAt: null,
    lastSyncStartedAt: null,
    lastSyncError: null,
    createdAt: s.createdAt,
    updatedAt: s.createdAt,
  });
  app.get('/api/sources', (c) => c.json({ sources: [...sources.values()].map(normSource) }));
  app.post('/api/sources', async (c) => {
    const body = await json(c);
    if (!body) return c.json({ error: 'Invalid JSON body' }, 400);
    if (!body.name) return c.json({ error: 'Missing required field: name' }, 400);
    if (!body.type) return c.json({ error: 'Missing required field: type' }, 400);
    if (body.type !== 'manual' && body.type !== 'git') return c.json({ error: `Invalid source type: ${String(body.type)}. Must be 'manual' or 'git'` }, 400);
    const name = String(body.name);
    if (!/^[a-zA-Z0-9_-]{1,64}$/.test(name)) return c.json({ error: 'Invalid source name' }, 400);
    if ([...sources.values()].some((s) => s.name === name)) return c.json({ error: `Source '${name}' already exists` }, 409);
    return c.json(normSource(seed.source(name, body.type)), 201);
  });
  const sourceOf = (c: Context) => sources.get(c.req.param('id') ?? '');
  const pathOf = (c: Context): string | null => {
    const raw = c.req.param('path');
    if (!raw) return null;
    let p: string;
    try {
      p = decodeURIComponent(raw);
    } catch {
      return null;
    }
    if (!p || p.includes('\u0000') || p.startsWith('/')) return null;
    return p.trim().replace(/\/+/g, '/').replace(/\/$/, '');
  };
  const isText = (p: string) => /\.(ts|tsx|mts|cts|js|jsx|mjs|cjs|json|md|txt|css|html|yaml|yml|toml|csv|sql|sh)$/.test(p);
  app.get('/api/sources/:id/files', (c) => {
    const s = sourceOf(c);
    if (!s) return c.json({ error: 'Source not found' }, 404);
    return c.json({ files: [...s.files.entries()].sort(([a], [b]) => a.localeCompare(b)).map(([path, b]) => ({ path, size: b.length, mtime: s.createdAt })) });
  });
  app.get('/api/sources/:id/files/:path{.+}', (c) => {
    const s = sourceOf(c);
    if (!s) return c.json({ error: 'Source not found' }, 404);
    const p = pathOf(c);
    if (!p) return c.json({ error: 'Invalid path format' }, 400);
    const b = s.files.get(p);
    if (!b) return c.json({ error: 'File not found' }, 404);
    const accept = c.req.header('Accept') ?? '*/*';
    if (accept.includes('application/json') && !accept.includes('*/*')) {
      return isText(p)
        ? c.json({ path: p, content: new TextDecoder().decode(b), contentType: 'text/typescript', size: b.length, encoding: 'utf-8' })
        : c.json({ path: p, content: Buffer.from(b).toString('base64'), contentType: 'application/octet-stream', size: b.length, encoding: 'base64' });
    }
    return new Response(new Uint8Array(b).buffer as ArrayBuffer, { headers: { 'Content-Type': 'application/octet-stream' } });
  });
  app.put('/api/sources/:id/files/:path{.+}', async (c) => {
    const s = sourceOf(c);
    if (!s) return c.json({ error: 'Source not found' }, 404);
    const p = pathOf(c);
    if (!p) return c.json({ error: 'Invalid path format' }, 400);
    if (s.type !== 'manual') return c.json({ error: `Source '${s.name}' (type: ${s.type}) is not editable` }, 403);
    const body = await json(c);
    if (!body) return c.json({ error: 'Invalid JSON body' }, 400);
    if (body.content === undefined) return c.json({ error: 'Missing required field: content' }, 400);
    const created = !s.files.has(p);
    s.files.set(p, body.encoding === 'base64' ? Buffer.from(String(body.content), 'base64') : new TextEncoder().encode(String(body.content)));
    return c.json({ success: true, path: p, created }, created ? 201 : 200);
  });
  app.delete('/api/sources/:id/files/:path{.+}', (c) => {
    const s = sourceOf(c);
    if (!s) return c.json({ error: 'Source not found' }, 404);
    const p = pathOf(c);
    if (!p || !s.files.has(p)) return c.json({ error: 'File not found' }, 404);
    if (s.type !== 'manual') return c.json({ error: `Source '${s.name}' (type: ${s.type}) is not editable` }, 403);
    s.files.delete(p);
    return c.json({ success: true, path: p, deleted: true });
  });

  // ---- rotation (src/encryption/rotation_routes.ts)
  app.get('/api/encryption-keys/rotation', (c) => {
    const last = new Date(rotation.lastRotationAt);
    return c.json({
      lastRotationAt: rotation.lastRotationAt,
      daysSinceRotation: Math.floor((Date.now() - last.getTime()) / 86_400_000),
      nextRotationAt: new Date(last.getTime() + rotation.intervalDays * 86_400_000).toISOString(),
      rotationIntervalDays: rotation.intervalDays,
      currentVersion: rotation.currentVersion,
      isInProgress: rotation.isInProgress,
    });
  });

  const server: ServerType = await new Promise((ok) => {
    const s = serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' }, () => ok(s));
  });
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    managementKey,
    requests,
    headers,
    fail: (f) => faults.push({ ...f, left: f.times ?? 1 }),
    clearFaults: () => {
      faults = [];
    },
    setApiVersion: (v) => {
      apiVersion = v;
    },
    data: { groups, keys, functions, secrets, sources },
    seed,
    close: () =>
      new Promise<void>((ok) => {
        (server as unknown as { closeAllConnections?: () => void }).closeAllConnections?.();
        server.close(() => ok());
      }),
  };
}
