import type { ResolutionContext, Scope, SecretAccess } from '../../../shared/types';
import { SCOPES_BY_PRECEDENCE } from '../../../shared/types';
import { secretNameProblem } from '../../../shared/rules';
import type { Core } from '../core-api';
import { SECRET_SCOPES, invalidScopeMessage } from './runtime/protocol';
import type { Redactor } from './redact';

const SCOPES = new Set<unknown>(SECRET_SCOPES);

export interface SecretCallInput {
  kind: 'getSecret' | 'getCompleteSecret';
  name: unknown;
  scope: unknown;
}

/**
 * Answers one ctx.getSecret / ctx.getCompleteSecret of a handler for its request's own
 * function and key. The name and scope come from the handler process (hostile input): a
 * name outside the naming rule cannot exist, so it is answered `undefined` and not traced;
 * a scope that is none of the four is the platform's error. What is answered is traced
 * (names and scopes) and remembered by the redactor (values).
 */
export function answerSecretCall(core: Core, input: SecretCallInput, ctx: ResolutionContext, trace: SecretAccess[], redactor: Redactor): unknown {
  const { kind, name, scope } = input;
  if (kind === 'getSecret' && scope !== undefined && scope !== null && !SCOPES.has(scope)) {
    throw new Error(invalidScopeMessage(typeof scope === 'string' ? scope.slice(0, 64) : typeof scope));
  }
  if (typeof name !== 'string' || secretNameProblem(name)) return undefined;
  if (kind === 'getCompleteSecret') {
    const all = core.secrets.getCompleteSecret(name, ctx);
    const answered = all ? (['global', 'function', 'group', 'key'] as Scope[]).filter((s) => s in all) : [];
    trace.push({ call: kind, name, requestedScope: null, answeredBy: answered.length ? SCOPES_BY_PRECEDENCE.find((s) => answered.includes(s))! : null, answeredScopes: answered });
    if (all) redactor.add(all, `secret ${name}`);
    return all;
  }
  const requested = (scope ?? undefined) as Scope | undefined;
  const hit = core.secrets.getSecret(name, ctx, requested);
  trace.push({ call: kind, name, requestedScope: requested ?? null, answeredBy: hit?.scope ?? null });
  if (hit) redactor.add(hit.value, `secret ${name}`);
  return hit?.value;
}
