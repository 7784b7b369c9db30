// Under a secret's name as it is typed: other names that differ only in case (allowed —
// names are case-sensitive, as the spec says — but usually a mistake).
import type { ReactNode } from 'react';
import { crude } from '../../api/client';
import { Icon } from '../../components/Icon';
import { useDebounced } from '../../hooks/useDebounced';
import { useQuery } from '../../hooks/useQuery';

export function NameWarnings({ name, valid }: { name: string; valid: boolean }): ReactNode {
  const settled = useDebounced(name, 200);
  const q = useQuery(() => (valid && settled ? crude().secrets.similarNames({ name: settled }) : Promise.resolve(null)), [settled, valid]);
  const twins = q.data?.caseTwins ?? [];
  if (!valid || twins.length === 0 || settled !== name) return null;
  return (
    <p className="name-warning" role="status" data-testid="case-twin-warning">
      <Icon name="warn" />{' '}
      <span>
        {twins.length === 1 ? 'A secret' : 'Secrets'} named{' '}
        {twins.map((t, i) => (
          <span key={t}>
            {i > 0 ? ', ' : ''}
            <code>{t}</code>
          </span>
        ))}{' '}
        already {twins.length === 1 ? 'exists' : 'exist'}: names are case-sensitive, so{' '}
        <code>{name}</code> would be another secret, and a handler asking for one does not get the other.
      </span>
    </p>
  );
}
