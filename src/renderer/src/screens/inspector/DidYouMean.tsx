// "Did you mean API_URL?" for a name that is not defined, and a word about names that
// differ only in case (allowed, since names are case-sensitive, but usually a mistake).
import type { ReactNode } from 'react';
import { crude } from '../../api/client';
import { Icon } from '../../components/Icon';
import { useQuery } from '../../hooks/useQuery';

export function DidYouMean({ name, onPick, twinsOnly }: { name: string; onPick: (n: string) => void; twinsOnly?: boolean }): ReactNode {
  const q = useQuery(() => crude().secrets.similarNames({ name }), [name], ['secrets.']);
  if (!q.data) return null;
  const suggestions = twinsOnly ? [] : [...q.data.caseTwins, ...q.data.near];
  const twins = q.data.caseTwins;
  return (
    <>
      {suggestions.length > 0 ? (
        <p className="did-you-mean" data-testid="did-you-mean">
          Did you mean{' '}
          {suggestions.map((n, i) => (
            <span key={n}>
              {i > 0 ? (i === suggestions.length - 1 ? ' or ' : ', ') : ''}
              <button type="button" className="link mono" onClick={() => onPick(n)}>
                {n}
              </button>
            </span>
          ))}
          ?
        </p>
      ) : null}
      {twinsOnly && twins.length > 0 ? (
        <p className="name-warning" role="note" data-testid="case-twins">
          <Icon name="warn" />{' '}
          <span>
            Also defined with other capitals:{' '}
            {twins.map((n, i) => (
              <span key={n}>
                {i > 0 ? ', ' : ''}
                <button type="button" className="link mono" onClick={() => onPick(n)}>
                  {n}
                </button>
              </span>
            ))}
            . Names are case-sensitive: a handler asking for <code>{name}</code> never gets those.
          </span>
        </p>
      ) : null}
    </>
  );
}
