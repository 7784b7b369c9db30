import type { FunctionDef } from '../../../shared/types';

export type RouteMatch =
  | { kind: 'found'; fn: FunctionDef; params: Record<string, string> }
  | { kind: 'method-not-allowed'; allow: string[] }
  | { kind: 'not-found' };

interface Compiled {
  fn: FunctionDef;
  regex: RegExp;
  names: string[];
}

function compile(fn: FunctionDef): Compiled {
  const names: string[] = [];
  const trimmed = fn.route.length > 1 && fn.route.endsWith('/') ? fn.route.slice(0, -1) : fn.route;
  const source = trimmed
    .split('/')
    .map((seg) => {
      if (seg.startsWith(':')) {
        names.push(seg.slice(1));
        return '([^/]+)';
      }
      return seg.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    })
    .join('/');
  return { fn, regex: new RegExp(`^${source === '' ? '/' : source}/?$`), names };
}

/**
 * Matches a path below /run against the function definitions, compiled once per revision.
 */
export class FunctionRouter {
  private compiled: Compiled[] = [];
  private revision = -1;

  /** Recompiles only when the definitions changed (core's functions revision moved). */
  update(revision: number, list: () => FunctionDef[]): void {
    if (revision === this.revision) return;
    this.revision = revision;
    this.compiled = list().map(compile);
  }

  match(method: string, path: string): RouteMatch {
    const allow = new Set<string>();
    for (const c of this.compiled) {
      if (!c.fn.enabled) continue;
      const m = c.regex.exec(path);
      if (!m) continue;
      const answers = c.fn.methods.includes(method as never) || (method === 'HEAD' && c.fn.methods.includes('GET'));
      if (!answers) {
        c.fn.methods.forEach((x) => allow.add(x));
        continue;
      }
      const params: Record<string, string> = {};
      c.names.forEach((n, i) => {
        try {
          params[n] = decodeURIComponent(m[i + 1]!);
        } catch {
          params[n] = m[i + 1]!;
        }
      });
      return { kind: 'found', fn: c.fn, params };
    }
    return allow.size > 0 ? { kind: 'method-not-allowed', allow: [...allow] } : { kind: 'not-found' };
  }
}
