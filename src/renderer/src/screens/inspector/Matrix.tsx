// Functions × callers (no key, then keys grouped by group): which scope answers
// ctx.getSecret(name) in each cell. A cell opens its chain above.
import type { ReactNode } from 'react';
import type { ResolutionMatrix } from '../../../../shared/contract';
import { SCOPES_BY_PRECEDENCE } from '../../../../shared/types';
import { SCOPE_LABEL } from '../../components/ScopeBadge';

interface Props {
  matrix: ResolutionMatrix;
  selected: { functionId: number; keyId: number | null } | null;
  onPick: (functionId: number, keyId: number | null) => void;
}

export function Matrix({ matrix: m, selected, onPick }: Props): ReactNode {
  return (
    <div className="matrix-wrap">
      <Legend />
      <div className="matrix-scroll">
        <table className="matrix" aria-label={`Resolution matrix for ${m.name}`}>
          <thead>
            <tr>
              <th className="corner">Function ↓ / caller →</th>
              {m.columns.map((c, ci) => (
                <th
                  key={c.keyId ?? 'none'}
                  className={`key-head${startsGroup(m, ci) ? ' group-start' : ''}`}
                  title={c.keyId === null ? 'Calls without an API key' : `Key ${c.keyName} of group ${c.groupName}`}
                >
                  {c.keyId === null ? (
                    <>
                      <span className="small muted">public call</span>
                      <br />
                      no key
                    </>
                  ) : (
                    <>
                      <span className="small muted">👥 {c.groupName}</span>
                      <br />
                      🔑 {c.keyName}
                    </>
                  )}
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {m.functions.map((f, fi) => (
              <tr key={f.id}>
                <th scope="row">⚡ {f.name}</th>
                {m.columns.map((c, ci) => {
                  const winner = m.cells[fi]?.[ci] ?? null;
                  const denied = m.denied?.[fi]?.[ci] ?? false;
                  const isSel = selected?.functionId === f.id && selected.keyId === c.keyId;
                  const where = `${f.name} with ${c.keyId === null ? 'no key' : `key ${c.keyName}`}`;
                  return (
                    <td
                      key={c.keyId ?? 'none'}
                      className={`cell ${denied ? 'win-denied' : winner ? `win-${winner}` : 'win-none'}${isSel ? ' selected' : ''}${startsGroup(m, ci) ? ' group-start' : ''}`}
                    >
                      <button
                        type="button"
                        data-function={f.name}
                        data-key={c.keyName ?? ''}
                        data-winner={denied ? 'denied' : (winner ?? '')}
                        aria-label={`${where}: ${denied ? 'refused (401), the handler does not run' : winner ? `${SCOPE_LABEL[winner]} wins` : 'nothing resolves'}`}
                        title={`${where}: ${denied ? 'refused (401)' : winner ? `${SCOPE_LABEL[winner]} wins` : 'undefined'}`}
                        onClick={() => onPick(f.id, c.keyId)}
                      >
                        {denied ? '401' : winner ? SCOPE_LABEL[winner][0] : ''}
                      </button>
                    </td>
                  );
                })}
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </div>
  );
}

/** True where a new group's columns begin, for a divider. */
function startsGroup(m: ResolutionMatrix, ci: number): boolean {
  return ci > 0 && m.columns[ci]?.groupId !== m.columns[ci - 1]?.groupId;
}

function Legend(): ReactNode {
  return (
    <ul className="legend" aria-label="Legend">
      {SCOPES_BY_PRECEDENCE.map((s) => (
        <li key={s}>
          <span className={`swatch win-${s}`} aria-hidden="true">
            {SCOPE_LABEL[s][0]}
          </span>
          {SCOPE_LABEL[s]} wins
        </li>
      ))}
      <li>
        <span className="swatch win-none" aria-hidden="true" />
        nothing resolves (undefined)
      </li>
      <li>
        <span className="swatch win-denied" aria-hidden="true">
          401
        </span>
        caller refused: the function needs a key of another group
      </li>
    </ul>
  );
}
