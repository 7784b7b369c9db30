import type { ReactNode } from 'react';
import type { Scope } from '../../../shared/types';

export const SCOPE_LABEL: Record<Scope, string> = {
  key: 'Key',
  group: 'Group',
  function: 'Function',
  global: 'Global',
};

export const SCOPE_ICON: Record<Scope, string> = {
  key: '🔑',
  group: '👥',
  function: '⚡',
  global: '🔒',
};

export function ScopeBadge({ scope, name }: { scope: Scope; name?: string | null }): ReactNode {
  return (
    <span className={`badge scope-${scope}`}>
      {SCOPE_LABEL[scope]}
      {name ? `: ${name}` : ''}
    </span>
  );
}
