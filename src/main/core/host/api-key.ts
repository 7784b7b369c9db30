// How the platform's server reads a request's API key (handler-context.md, checked
// against its code): one extractor per way of presenting a key, tried in this order;
// the first that finds one decides, and only that key is checked.

export interface PresentedKey {
  key: string;
  /** Where it was found, for the execution log ("Authorization Bearer", "X-API-Key header"). */
  source: string;
}

export interface KeyedRequest {
  header(name: string): string | undefined;
  query: URLSearchParams;
}

type Extractor = (req: KeyedRequest) => PresentedKey | null;

/** Schemes that are not a key: alone they are a malformed header, with a value another kind of credential. */
const KNOWN_SCHEMES = new Set(['bearer', 'basic', 'digest', 'hoba', 'mutual', 'negotiate', 'oauth', 'scram-sha-1', 'scram-sha-256', 'vapid']);

/** `Authorization`: `Bearer <key>`; Basic with an empty user name and the key as password; a plain value; `<custom scheme> <key>`. */
const authorization: Extractor = (req) => {
  const value = req.header('authorization');
  if (!value) return null;
  if (value.startsWith('Bearer ') && value.length > 7) return { key: value.slice(7), source: 'Authorization Bearer' };
  const space = value.indexOf(' ');
  if (space === -1) return KNOWN_SCHEMES.has(value.toLowerCase()) ? null : { key: value, source: 'Authorization plain' };
  const scheme = value.slice(0, space).toLowerCase();
  if (scheme === 'basic') {
    try {
      const decoded = atob(value.slice(6));
      return decoded.startsWith(':') && decoded.length > 1 ? { key: decoded.slice(1), source: 'Authorization Basic' } : null;
    } catch {
      return null;
    }
  }
  if (KNOWN_SCHEMES.has(scheme)) return null;
  const key = value.slice(space + 1);
  return key ? { key, source: 'Authorization plain' } : null;
};

const header =
  (name: string): Extractor =>
  (req) => {
    const value = req.header(name);
    return value ? { key: value, source: `${name} header` } : null;
  };

const queryParam =
  (name: string): Extractor =>
  (req) => {
    const value = req.query.get(name);
    return value ? { key: value, source: `query:${name}` } : null;
  };

/** The order is the rule. */
export const API_KEY_EXTRACTORS: readonly Extractor[] = [
  authorization,
  header('X-API-Key'),
  header('X-Auth-Token'),
  header('Api-Key'),
  header('X-Access-Token'),
  queryParam('api_key'),
  queryParam('apiKey'),
];

/** The key a request presents, as the platform's server reads it; undefined when none. */
export function extractApiKey(req: KeyedRequest): PresentedKey | undefined {
  for (const extract of API_KEY_EXTRACTORS) {
    const found = extract(req);
    if (found) return found;
  }
  return undefined;
}
