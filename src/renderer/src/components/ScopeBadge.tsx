import type { ReactNode } from 'react';
import type { Scope } from '../../../shared/types';
import { Icon, SCOPE_ICON_NAME } from './Icon';

export const SCOPE_LABEL: Record<Scope, string> = {
  key: 'Key',
  group: 'Group',
  function: 'Function',
  global: 'Global',
};

/** Marks that tell the four scopes apart without colour (the matrix, the caller view): K, Gr, F, Gl. */
export const SCOPE_MARK: Record<Scope, string> = {
  key: 'K',
  group: 'Gr',
  function: 'F',
  global: 'Gl',
};

export function ScopeIcon({ scope }: { scope: Scope }): ReactNode {
  return <Icon name={SCOPE_ICON_NAME[scope]} />;
}

export function ScopeBadge({ scope, name }: { scope: Scope; name?: string | null }): ReactNode {
  return (
    <span className={`badge scope-${scope}`}>
      <ScopeIcon scope={scope} />
      {SCOPE_LABEL[scope]}
      {name ? `: ${name}` : ''}
    </span>
  );
}
