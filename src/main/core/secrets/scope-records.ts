import type { Scope } from '../../../shared/types';
import { validation } from '../errors';
import type { Db } from '../store/database';

/** Stored scope id: the function, group or key id, and 0 for global (never NULL, see the schema). */
export function storedScopeId(scope: Scope, scopeId: number | null | undefined, db: Db): number {
  if (!['global', 'function', 'group', 'key'].includes(scope)) {
    throw validation('scope', 'Scope must be one of global, function, group, key.');
  }
  if (scope === 'global') {
    if (scopeId != null) throw validation('scopeId', 'Global secrets have no scopeId.');
    return 0;
  }
  if (scopeId == null || !Number.isInteger(scopeId) || scopeId <= 0) {
    throw validation('scopeId', `A ${scope} secret needs the id of its ${scopeNoun(scope)} (scopeId).`);
  }
  const table = scope === 'function' ? 'functions' : scope === 'group' ? 'api_groups' : 'api_keys';
  if (!db.prepare(`SELECT 1 FROM ${table} WHERE id = ?`).get(scopeId)) {
    throw validation('scopeId', `${capital(scopeNoun(scope))} #${scopeId} does not exist.`);
  }
  return scopeId;
}

export function scopeNoun(scope: Scope): string {
  return scope === 'function' ? 'function' : scope === 'group' ? 'API key group' : scope === 'key' ? 'API key' : 'global scope';
}

const capital = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);

/** How errors name a secret record: id, name and scope, never the value. */
export function secretRecordLabel(id: number, name: string, scope: Scope, scopeId: number): string {
  return `secret #${id} ("${name}", ${scope === 'global' ? 'global scope' : `${scope} #${scopeId}`})`;
}
