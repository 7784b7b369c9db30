// Deep links: `crude-functions://…` URLs that open the app on a screen. Pure (no Node, no
// Electron), so the shell, browser mode and the renderer share one reading of them.
//
//   crude-functions://inspect?name=LOG_LEVEL&function=notify   → #/inspect?name=LOG_LEVEL&function=notify
//   crude-functions://function/notify                          → #/functions/notify
//   crude-functions://secrets/global                           → #/secrets/global
//   crude-functions://                                         → #/
//
// The routes are the renderer's URL fragments, the same in the Electron window and in
// browser mode. A link only ever names things (secrets, functions, keys, scopes): one that
// carries anything else, a value above all, is refused with a notice, and so is any link
// that is unknown or malformed. Notices never repeat what the link carried beyond a
// parameter or screen name of plain characters.
import { SCOPES_BY_PRECEDENCE, type Scope } from './types';
import { recordNameProblem, secretNameProblem } from './rules';

export const DEEP_LINK_SCHEME = 'crude-functions';

/** Where a link takes the app: a route (URL fragment) to open, or a notice to show instead. */
export type Navigation = { route: string } | { notice: string };

/** Longer links are refused unread; a real one is a few dozen characters. */
export const MAX_DEEP_LINK_LENGTH = 2048;

/** The parameters `inspect` takes, in the order the route lists them. */
const INSPECT_PARAMETERS = ['name', 'function', 'key'] as const;
type InspectParameter = (typeof INSPECT_PARAMETERS)[number];

/** Parameter names that would carry a value; links never do. */
const VALUE_LIKE = /value|secret|passw|token|plain|cipher|credential|content|data/i;

const FORMS = 'crude-functions://inspect?name=…&function=…&key=…, crude-functions://function/<name> or crude-functions://secrets/<scope>';

const notice = (reason: string): Navigation => ({ notice: `Link not opened: ${reason}` });

/** Repeats a name from the link in a notice only when it is short plain text. */
function quoted(text: string): string {
  return /^[A-Za-z0-9_-]{1,40}$/.test(text) ? `"${text}"` : 'one';
}

function isScope(s: string): s is Scope {
  return (SCOPES_BY_PRECEDENCE as readonly string[]).includes(s);
}

/** The screen a link or fragment names, from its target and path segments and parameters. */
function route(target: string, segments: string[], params: URLSearchParams, names: { function: string }): Navigation {
  if (target === '') {
    if (segments.length > 0 || [...params.keys()].length > 0) return notice(`it names no screen. Links look like ${FORMS}.`);
    return { route: '#/' };
  }
  if (target === 'inspect') return inspectRoute(segments, params);
  if (target === names.function || target === 'secrets') {
    const keys = [...params.keys()];
    if (keys.length > 0) {
      return keys.some((k) => VALUE_LIKE.test(k))
        ? notice('links never carry secret values, and this one had a parameter that would.')
        : notice(`${target}/… links take no parameters.`);
    }
    if (segments.length !== 1) return notice(`a ${target} link names exactly one ${target === 'secrets' ? 'scope' : 'function'}: ${FORMS}.`);
    const [segment] = segments as [string];
    if (target === 'secrets') {
      const scope = segment.toLowerCase();
      if (!isScope(scope)) return notice(`${quoted(segment)} is not a scope; scopes are ${SCOPES_BY_PRECEDENCE.join(', ')}.`);
      return { route: `#/secrets/${scope}` };
    }
    const problem = recordNameProblem('Function', segment);
    if (problem) return notice(problem);
    return { route: `#/functions/${encodeURIComponent(segment)}` };
  }
  return notice(`the app has no screen ${quoted(target)}. Links look like ${FORMS}.`);
}

function inspectRoute(segments: string[], params: URLSearchParams): Navigation {
  if (segments.length > 0) return notice('inspect links have no path after "inspect"; the secret and function go in ?name=…&function=….');
  const keys = [...params.keys()];
  if (keys.some((k) => VALUE_LIKE.test(k))) return notice('links never carry secret values, and this one had a parameter that would.');
  const unknown = keys.find((k) => !(INSPECT_PARAMETERS as readonly string[]).includes(k));
  if (unknown !== undefined) return notice(`inspect links take only ${INSPECT_PARAMETERS.join(', ')}; this one had ${quoted(unknown)} as well.`);
  const out = new URLSearchParams();
  for (const p of INSPECT_PARAMETERS) {
    const values = params.getAll(p);
    if (values.length === 0) continue;
    if (values.length > 1) return notice(`the parameter ${p} appears more than once.`);
    const problem = parameterProblem(p, values[0]!);
    if (problem) return notice(problem);
    out.set(p, values[0]!);
  }
  const query = out.toString();
  return { route: query ? `#/inspect?${query}` : '#/inspect' };
}

function parameterProblem(p: InspectParameter, value: string): string | null {
  if (p === 'name') return secretNameProblem(value);
  return recordNameProblem(p === 'function' ? 'Function' : 'Key', value);
}

/** Path segments, percent-decoded; one trailing slash is allowed (Windows adds one). Null when malformed. */
function segmentsOf(pathname: string): string[] | null {
  if (pathname === '' || pathname === '/') return [];
  if (!pathname.startsWith('/')) return null;
  const parts = pathname.slice(1).split('/');
  if (parts.length > 1 && parts[parts.length - 1] === '') parts.pop();
  try {
    const decoded = parts.map((p) => decodeURIComponent(p));
    return decoded.some((p) => p === '' || p.includes('/')) ? null : decoded;
  } catch {
    return null;
  }
}

/** Reads a `crude-functions://…` link into the route it opens, or the notice to show instead. */
export function parseDeepLink(link: string): Navigation {
  if (link.length > MAX_DEEP_LINK_LENGTH) return notice(`it is longer than ${MAX_DEEP_LINK_LENGTH} characters.`);
  // Control characters and spaces never belong in a link; URL() would quietly drop some.
  // eslint-disable-next-line no-control-regex
  if (/[\u0000-\u0020\u007f]/.test(link)) return notice('it contains spaces or control characters.');
  let url: URL;
  try {
    url = new URL(link);
  } catch {
    return notice('it is not a valid link.');
  }
  if (url.protocol !== `${DEEP_LINK_SCHEME}:`) return notice(`it is not a ${DEEP_LINK_SCHEME}:// link.`);
  if (!link.slice(DEEP_LINK_SCHEME.length + 1).startsWith('//')) return notice(`links start with ${DEEP_LINK_SCHEME}://.`);
  if (url.username || url.password) return notice('links never carry credentials.');
  if (url.port) return notice('links have no port.');
  if (url.hash) return notice('links have no #fragment.');
  const segments = segmentsOf(url.pathname);
  if (!segments) return notice('its path is malformed.');
  return route(url.hostname.toLowerCase(), segments, url.searchParams, { function: 'function' });
}

/** The first `crude-functions:` argument of a command line (the OS passes links as argv), or null. */
export function findDeepLink(argv: readonly string[]): string | null {
  const prefix = `${DEEP_LINK_SCHEME}:`;
  return argv.find((a) => a.toLowerCase().startsWith(prefix)) ?? null;
}
