// Naming and size rules, shared so that core enforces them and the renderer can
// show the same message inline while the operator types.

/** Spec: secret names are `[a-zA-Z0-9_-]+`, case-sensitive. */
export const SECRET_NAME_PATTERN = /^[a-zA-Z0-9_-]+$/;
/** handler-context.md: group names are lowercase letters, digits, `-`, `_`. */
export const GROUP_NAME_PATTERN = /^[a-z0-9_-]+$/;
/** Function names follow the secret-name alphabet so they are safe in logs and paths. */
export const RECORD_NAME_PATTERN = /^[a-zA-Z0-9_-]+$/;
/** The platform's rule for key names, as for groups: lowercase letters, digits, `-`, `_`. */
export const KEY_NAME_PATTERN = /^[a-z0-9_-]+$/;
/** The platform's rule for key values (chosen by an operator, or generated). */
export const KEY_VALUE_PATTERN = /^[a-zA-Z0-9_-]+$/;
/** Longer values are never looked up (authentication refuses them unread). */
export const MAX_KEY_VALUE_LENGTH = 512;
/** A route segment is literal text or `:param`. */
export const ROUTE_PATTERN = /^\/(?:(?::[A-Za-z_][A-Za-z0-9_]*|[A-Za-z0-9._~-]+)(?:\/(?::[A-Za-z_][A-Za-z0-9_]*|[A-Za-z0-9._~-]+))*)?\/?$/;

export const MAX_NAME_LENGTH = 128;
export const MAX_TEXT_LENGTH = 2000;
/** Plaintext limit for a secret value, in bytes of UTF-8. */
export const MAX_SECRET_BYTES = 16 * 1024;
export const HANDLER_EXTENSIONS = ['.ts', '.js', '.mts', '.mjs'] as const;

export const MANAGEMENT_GROUP = 'management';

function utf8Length(value: string): number {
  return new TextEncoder().encode(value).length;
}

/** Why `name` is not a valid secret name, or null when it is. */
export function secretNameProblem(name: string): string | null {
  if (name.length === 0) return 'Secret name is required.';
  if (name.length > MAX_NAME_LENGTH) return `Secret name is longer than ${MAX_NAME_LENGTH} characters.`;
  if (!SECRET_NAME_PATTERN.test(name)) {
    return 'Secret name may contain only letters, digits, underscores and hyphens ([a-zA-Z0-9_-]).';
  }
  return null;
}

export function groupNameProblem(name: string): string | null {
  if (name.length === 0) return 'Group name is required.';
  if (name.length > MAX_NAME_LENGTH) return `Group name is longer than ${MAX_NAME_LENGTH} characters.`;
  if (!GROUP_NAME_PATTERN.test(name)) {
    return 'Group name may contain only lowercase letters, digits, underscores and hyphens ([a-z0-9_-]).';
  }
  return null;
}

export function recordNameProblem(kind: 'Key' | 'Function', name: string): string | null {
  if (name.length === 0) return `${kind} name is required.`;
  if (name.length > MAX_NAME_LENGTH) return `${kind} name is longer than ${MAX_NAME_LENGTH} characters.`;
  if (!RECORD_NAME_PATTERN.test(name)) {
    return `${kind} name may contain only letters, digits, underscores and hyphens.`;
  }
  return null;
}

/** Why `name` is not a valid API key name (the platform's rule: lowercase), or null. */
export function keyNameProblem(name: string): string | null {
  if (name.length === 0) return 'Key name is required.';
  if (name.length > MAX_NAME_LENGTH) return `Key name is longer than ${MAX_NAME_LENGTH} characters.`;
  if (!KEY_NAME_PATTERN.test(name)) return 'Key name may contain only lowercase letters, digits, underscores and hyphens ([a-z0-9_-]).';
  return null;
}

/** Why `value` cannot be an API key's value, or null. Never quotes the value. */
export function keyValueProblem(value: string): string | null {
  if (value.length === 0) return 'Key value is required (leave it out to have one generated).';
  if (value.length > MAX_KEY_VALUE_LENGTH) return `Key value is longer than ${MAX_KEY_VALUE_LENGTH} characters.`;
  if (!KEY_VALUE_PATTERN.test(value)) return 'Key value may contain only letters, digits, underscores and hyphens ([a-zA-Z0-9_-]).';
  return null;
}

/** Why `value` cannot be stored as a secret, or null. Never quotes the value. */
export function secretValueProblem(value: string): string | null {
  // A lone surrogate has no UTF-8 form: stored, it would silently become U+FFFD.
  if (!value.isWellFormed()) return 'Secret value contains a broken character (a lone UTF-16 surrogate) that cannot be stored as text.';
  const bytes = utf8Length(value);
  if (bytes > MAX_SECRET_BYTES) {
    return `Secret value is ${bytes} bytes; the limit is ${MAX_SECRET_BYTES} bytes (16 KiB).`;
  }
  return null;
}

export function routeProblem(route: string): string | null {
  if (!route.startsWith('/')) return 'Route must start with "/".';
  if (route.length > 512) return 'Route is longer than 512 characters.';
  if (!ROUTE_PATTERN.test(route)) {
    return 'Route segments may be literal text ([A-Za-z0-9._~-]) or parameters like ":id".';
  }
  const params = route.split('/').filter((s) => s.startsWith(':'));
  if (new Set(params).size !== params.length) return 'Route repeats a parameter name.';
  return null;
}

/** `/users/:id/` and `/users/:key` answer the same requests: compare routes in this form. */
export function normaliseRoute(route: string): string {
  const trimmed = route.length > 1 && route.endsWith('/') ? route.slice(0, -1) : route;
  return trimmed
    .split('/')
    .map((s) => (s.startsWith(':') ? ':' : s))
    .join('/');
}

export function handlerPathProblem(path: string): string | null {
  if (path.length === 0) return 'Handler file is required.';
  if (path.includes('\u0000')) return 'Handler file path may not contain a NUL character.';
  if (path.startsWith('/') || /^[a-zA-Z]:/.test(path) || path.startsWith('\\')) {
    return 'Handler file must be a path relative to the code/ folder.';
  }
  const parts = path.split(/[\\/]/);
  if (parts.some((p) => p === '..')) return 'Handler file may not leave the code/ folder ("..").';
  if (parts.some((p) => p === '' || p === '.')) return 'Handler file path has an empty or "." segment.';
  if (!HANDLER_EXTENSIONS.some((ext) => path.endsWith(ext))) {
    return `Handler file must end with ${HANDLER_EXTENSIONS.join(', ')}.`;
  }
  return null;
}

/** A local address a handler may reach (the setting handlerLocalHosts): "host:port" or "[v6]:port". */
export interface LocalTarget {
  host: string;
  port: number;
}

export const MAX_LOCAL_HOSTS = 50;

/** Parses a "host:port" entry; "localhost" means 127.0.0.1. Null when malformed. */
export function parseLocalTarget(entry: string): LocalTarget | null {
  const m = /^(?:\[([0-9a-fA-F:.]+)\]|([A-Za-z0-9.-]+)):(\d{1,5})$/.exec(entry.trim());
  if (!m) return null;
  const port = Number(m[3]);
  if (port < 1 || port > 65535) return null;
  const host = (m[1] ?? m[2]!).toLowerCase();
  return { host: host === 'localhost' ? '127.0.0.1' : host, port };
}

export function localTargetProblem(entry: string): string | null {
  return parseLocalTarget(entry) ? null : `"${entry.slice(0, 80)}" is not host:port (for example 127.0.0.1:5432 or localhost:6379).`;
}

/** Why a function's CORS settings cannot be saved, or null. `field` names the part. */
export function corsProblem(cors: {
  origins?: unknown;
  credentials?: unknown;
  maxAge?: unknown;
  allowHeaders?: unknown;
  exposeHeaders?: unknown;
}): { field: string; message: string } | null {
  const origins = cors.origins;
  if (!Array.isArray(origins) || origins.length === 0 || origins.length > 50) {
    return { field: 'cors.origins', message: 'CORS needs 1 to 50 allowed origins, or "*" for any.' };
  }
  for (const o of origins) {
    if (o === '*') continue;
    if (typeof o !== 'string' || !/^https?:\/\/[A-Za-z0-9.-]+(:\d{1,5})?$|^https?:\/\/\[[0-9a-fA-F:.]+\](:\d{1,5})?$/.test(o)) {
      return { field: 'cors.origins', message: `"${String(o).slice(0, 80)}" is not an origin: write scheme://host[:port], like https://app.example.com, with no path.` };
    }
  }
  if (origins.includes('*') && origins.length > 1) return { field: 'cors.origins', message: '"*" allows any origin: list it alone.' };
  if (cors.credentials === true && origins.includes('*')) {
    return { field: 'cors.credentials', message: 'Credentials cannot be allowed for any origin ("*"): list the origins.' };
  }
  if (cors.maxAge !== undefined && (!Number.isInteger(cors.maxAge) || (cors.maxAge as number) < 0 || (cors.maxAge as number) > 31_536_000)) {
    return { field: 'cors.maxAge', message: 'Max age is a whole number of seconds from 0 to 31536000.' };
  }
  for (const key of ['allowHeaders', 'exposeHeaders'] as const) {
    const list = cors[key];
    if (list === undefined) continue;
    if (!Array.isArray(list) || list.length > 50 || list.some((h) => typeof h !== 'string' || !/^[A-Za-z0-9!#$%&'*+.^_`|~-]{1,100}$/.test(h))) {
      return { field: `cors.${key}`, message: `${key === 'allowHeaders' ? 'Allowed' : 'Exposed'} headers are up to 50 header names.` };
    }
  }
  return null;
}
