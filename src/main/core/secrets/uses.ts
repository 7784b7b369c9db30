import type { ComputedSecretCall, FunctionSecretUse } from '../../../shared/contract';
import type { Scope } from '../../../shared/types';
import type { CodeService, FunctionService, KeyService } from '../core-api';
import type { Resolver } from './resolution';

const CALL = /\.\s*(getSecret|getCompleteSecret)\s*\(\s*(['"`])([A-Za-z0-9_-]+)\2\s*(?:,\s*(['"`])(global|function|group|key)\4)?/g;

interface FoundCall {
  call: 'getSecret' | 'getCompleteSecret';
  name: string;
  scope: Scope | null;
}

/** The names a handler passes as string literals to ctx.getSecret / ctx.getCompleteSecret. */
export function findSecretCalls(source: string): FoundCall[] {
  const out: FoundCall[] = [];
  for (const m of source.matchAll(CALL)) {
    out.push({ call: m[1] as FoundCall['call'], name: m[3]!, scope: (m[5] as Scope | undefined) ?? null });
  }
  return out;
}

/**
 * For each secret a function's code reads: where it is defined, and which callers would get
 * `undefined` (the function's allowed keys, or "no key" for a public function).
 */
export function secretUsesOf(
  functionId: number,
  deps: { functions: FunctionService; code: Pick<CodeService, 'read'>; keys: KeyService; resolver: Resolver },
): FunctionSecretUse[] {
  const fn = deps.functions.get(functionId);
  let source: string;
  try {
    source = deps.code.read(fn.handler);
  } catch {
    return [];
  }
  const calls = findSecretCalls(source);
  const callers =
    fn.groupIds.length === 0
      ? [{ keyId: null, keyName: null, groupName: null }]
      : deps.keys
          .list()
          .filter((k) => fn.groupIds.includes(k.groupId))
          .map((k) => ({ keyId: k.id as number | null, keyName: k.name as string | null, groupName: k.groupName as string | null }));
  const byName = new Map<string, FoundCall[]>();
  for (const c of calls) byName.set(c.name, [...(byName.get(c.name) ?? []), c]);

  return [...byName.entries()].map(([name, found]) => {
    const definedAt = deps.resolver
      .inspect(name)
      .definitions.map((d) => ({ scope: d.scope, recordName: d.recordName, scopeId: d.scopeId }));
    const winsFor = (keyId: number | null, scope: Scope | null) => {
      const chain = deps.resolver.explain(name, { functionId, keyId }).chain;
      return scope === null ? chain.some((l) => l.wins) : chain.some((l) => l.scope === scope && l.defined);
    };
    const forms = [...new Set(found.map((f) => (f.call === 'getSecret' ? f.scope : null)))];
    const missingFor = callers.filter((caller) => forms.some((scope) => !winsFor(caller.keyId, scope)));
    const noCallerCheck = callers.length === 0 ? !winsFor(null, null) : false;
    const status: FunctionSecretUse['status'] =
      callers.length === 0
        ? noCallerCheck
          ? 'missing'
          : 'defined'
        : missingFor.length === 0
          ? 'defined'
          : missingFor.length === callers.length
            ? 'missing'
            : 'partial';
    return {
      name,
      calls: [...new Set(found.map((f) => f.call))],
      requestedScopes: [...new Set(found.map((f) => f.scope).filter((s): s is Scope => s !== null))],
      definedAt,
      missingFor,
      status,
    };
  });
}

const ANY_CALL = /\.\s*(getSecret|getCompleteSecret)\s*\(/g;
const LITERAL_ARG = /^\s*(['"`])([A-Za-z0-9_-]+)\1\s*[,)]/;

/**
 * The ctx.getSecret / getCompleteSecret calls whose name is not a plain string literal
 * (a variable, a template with `${…}`): the static scan cannot say which secret they read.
 */
export function findComputedSecretCalls(source: string): ComputedSecretCall[] {
  const out: ComputedSecretCall[] = [];
  const lineStarts = [0];
  for (let i = 0; i < source.length; i++) if (source[i] === '\n') lineStarts.push(i + 1);
  for (const m of source.matchAll(ANY_CALL)) {
    const after = source.slice(m.index + m[0].length, m.index + m[0].length + 200);
    if (LITERAL_ARG.test(after)) continue;
    const at = m.index + 1; // the method name, after the dot
    let line = lineStarts.findLastIndex((s) => s <= at);
    if (line < 0) line = 0;
    const text = source.slice(at, source.indexOf(')', at) + 1 || at + 60).split('\n')[0]!.slice(0, 120);
    out.push({ call: m[1] as ComputedSecretCall['call'], line: line + 1, column: at - lineStarts[line]! + 1, text });
  }
  return out;
}

/** The computed-name calls of a function's handler file (none when the file cannot be read). */
export function computedSecretCallsOf(functionId: number, deps: { functions: FunctionService; code: Pick<CodeService, 'read'> }): ComputedSecretCall[] {
  const fn = deps.functions.get(functionId);
  try {
    return findComputedSecretCalls(deps.code.read(fn.handler));
  } catch {
    return [];
  }
}
