import type { ReactNode } from 'react';
import type { SecretExplanation } from '../../../../shared/types';
import { crude } from '../../api/client';
import { MaskedValue } from '../../components/MaskedValue';
import { Icon } from '../../components/Icon';
import { SCOPE_LABEL, ScopeIcon } from '../../components/ScopeBadge';

/** The override chain Key > Group > Function > Global for one context. */
export function Chain({ explanation: x }: { explanation: SecretExplanation }): ReactNode {
  return (
    <>
    {x.refused ? (
      <p className="state error" role="note" data-testid="chain-refused">
        <Icon name="refused" /> {x.refused}
      </p>
    ) : null}
    {x.note ? (
      <p className="muted small" role="note" data-testid="chain-note">
        <Icon name="info" /> {x.note}
      </p>
    ) : null}
    <ol className="chain" aria-label="Override chain">
      {x.chain.map((link) => {
        const state = !link.applies ? 'na' : link.wins ? 'wins' : link.defined ? 'shadowed' : 'undefined';
        return (
          <li key={link.scope} className={`chain-link ${state} scope-edge-${link.scope}`} data-state={state} data-scope={link.scope}>
            <span className="chain-scope">
              <ScopeIcon scope={link.scope} /> {SCOPE_LABEL[link.scope]}
            </span>
            <span className="chain-record">{link.scope === 'global' ? 'global' : (link.recordName ?? '—')}</span>
            <span className="chain-value">
              {state === 'na' ? (
                <span className="muted">
                  does not apply ({x.refused ? 'the call is refused' : x.note ? 'public function: no key' : 'no key in this context'})
                </span>
              ) : link.defined && link.secretId !== null ? (
                <MaskedValue
                  slot={`chain-${link.secretId}`}
                  label={`${x.name} at ${link.scope}`}
                  reveal={async (purpose) => (await crude().secrets.reveal({ id: link.secretId!, purpose })).value}
                />
              ) : (
                <span className="muted">not defined</span>
              )}
            </span>
            <span className="chain-verdict">
              {state === 'wins' ? (
                <strong className="good">
                  <Icon name="ok" /> wins
                </strong>
              ) : state === 'shadowed' ? (
                <span className="muted">shadowed</span>
              ) : null}
            </span>
          </li>
        );
      })}
      {x.winner === null && !x.refused ? (
        <li className="chain-none" role="note">
          Nothing answers: <code>ctx.getSecret("{x.name}")</code> returns <code>undefined</code> in this context.
        </li>
      ) : null}
    </ol>
    </>
  );
}
