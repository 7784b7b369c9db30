import type { ReactNode } from 'react';
import { SCOPES_BY_PRECEDENCE, type Scope, type SecretInspection } from '../../../../shared/types';
import { crude } from '../../api/client';
import { formatWhen } from '../../components/format';
import { MaskedValue } from '../../components/MaskedValue';
import { SCOPE_LABEL, ScopeIcon } from '../../components/ScopeBadge';

const COLUMNS: Scope[] = [...SCOPES_BY_PRECEDENCE].reverse();

/** Every definition of one name, side by side: Global | Function | Group | Key. */
export function Definitions({ inspection }: { inspection: SecretInspection }): ReactNode {
  return (
    <div className="definitions" aria-label={`Definitions of ${inspection.name}`}>
      {COLUMNS.map((scope) => {
        const defs = inspection.definitions.filter((d) => d.scope === scope);
        return (
          <section key={scope} className={`def-col scope-edge-${scope}`} aria-label={`${SCOPE_LABEL[scope]} definitions`}>
            <h3 className="h4">
              <ScopeIcon scope={scope} /> {SCOPE_LABEL[scope]} <span className="muted">({defs.length})</span>
            </h3>
            {defs.length === 0 ? <p className="muted small">Not defined at {scope} scope.</p> : null}
            <ul>
              {defs.map((d) => (
                <li key={d.secretId} className="def">
                  <div className="strong">
                    {scope === 'global' ? 'Global' : d.recordName}
                    {scope === 'key' && d.groupName ? <span className="muted small"> in {d.groupName}</span> : null}
                  </div>
                  <MaskedValue
                    slot={`def-${d.secretId}`}
                    label={`${inspection.name} at ${scope}${d.recordName ? ` ${d.recordName}` : ''}`}
                    reveal={async (purpose) => (await crude().secrets.reveal({ id: d.secretId, purpose })).value}
                  />
                  {d.comment ? <div className="muted small">{d.comment}</div> : null}
                  <div className="muted small" title={d.updatedAt}>
                    updated {formatWhen(d.updatedAt)}
                  </div>
                </li>
              ))}
            </ul>
          </section>
        );
      })}
    </div>
  );
}
