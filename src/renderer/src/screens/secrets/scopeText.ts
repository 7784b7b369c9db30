import type { Scope } from '../../../../shared/types';

export interface ScopeRef {
  scope: Scope;
  /** Function, group or key id; null for global. */
  scopeId: number | null;
  /** Record name for text ("hello", "shipping", …); null for global. */
  recordName: string | null;
}

export const GLOBAL_SCOPE: ScopeRef = { scope: 'global', scopeId: null, recordName: null };

export function scopeTitle(s: ScopeRef): string {
  switch (s.scope) {
    case 'global':
      return 'Global secrets';
    case 'function':
      return `Secrets of function ${s.recordName ?? ''}`;
    case 'group':
      return `Secrets of group ${s.recordName ?? ''}`;
    case 'key':
      return `Secrets of key ${s.recordName ?? ''}`;
  }
}

/** What a secret at this scope means, for empty states and headers. */
export function scopeExplanation(s: ScopeRef): string {
  switch (s.scope) {
    case 'global':
      return 'Global secrets are available to every function. Most setups need only these; other scopes override them.';
    case 'function':
      return `Function secrets are seen only by function ${s.recordName}. They override a global secret of the same name.`;
    case 'group':
      return `Group secrets reach functions called with any key of group ${s.recordName}. They override function and global secrets of the same name.`;
    case 'key':
      return `Key secrets reach functions called with key ${s.recordName}. They override every other scope (Key > Group > Function > Global).`;
  }
}
