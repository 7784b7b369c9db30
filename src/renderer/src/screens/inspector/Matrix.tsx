// Functions × callers (no key, then keys grouped by group): which scope answers
// ctx.getSecret(name) in each cell. A cell opens its chain above.
import { useMemo, useState, type ReactNode } from 'react';
import type { ResolutionMatrix } from '../../../../shared/contract';
import { SCOPES_BY_PRECEDENCE } from '../../../../shared/types';
import { SCOPE_LABEL } from '../../components/ScopeBadge';

interface Props {
  matrix: ResolutionMatrix;
  selected: { functionId: number; keyId: number | null } | null;
  onPick: (functionId: number, keyId: number | null) => void;
}

// A plain table stays responsive up to a few thousand cells; a 500 × 1,001 matrix took a
// minute to paint (npm run bench -- ui). Larger matrices show the first rows and columns
// and say so; the filters narrow them to what the operator is looking for.
const MAX_ROWS = 60;
const MAX_KEY_COLUMNS = 80;

export function Matrix({ matrix: m, selected, onPick }: Props): ReactNode {
  const [fnFilter, setFnFilter] = useState('');
  const [keyFilter, setKeyFilter] = useState('');
  const { rows, cols, totalRows, totalCols } = useMemo(() => {
    const f = fnFilter.trim().toLowerCase();
    const k = keyFilter.trim().toLowerCase();
    const allRows = m.functions.map((_, i) => i).filter((i) => !f || m.functions[i]!.name.toLowerCase().includes(f));
    const allCols = m.columns
      .map((_, i) => i)
      .filter((i) => i > 0 && (!k || `${m.columns[i]!.groupName} ${m.columns[i]!.keyName}`.toLowerCase().includes(k)));
    return { rows: allRows.slice(0, MAX_ROWS), cols: [0, ...allCols.slice(0, MAX_KEY_COLUMNS)], totalRows: allRows.length, totalCols: allCols.length };
  }, [m, fnFilter, keyFilter]);
  const big = m.functions.length > MAX_ROWS || m.columns.length - 1 > MAX_KEY_COLUMNS;
  return (
    <div className="matrix-wrap">
      <Legend />
      {big ? (
        <div className="matrix-filters" role="search">
          <label>
            Functions <input type="search" value={fnFilter} onChange={(e) => setFnFilter(e.target.value)} placeholder="filter by name" />
          </label>
          <label>
            Keys <input type="search" value={keyFilter} onChange={(e) => setKeyFilter(e.target.value)} placeholder="filter by group or key" />
          </label>
          <span className="muted small" role="status">
            Showing {rows.length} of {totalRows} functions and {cols.length - 1} of {totalCols} keys
            {rows.length < totalRows || cols.length - 1 < totalCols ? ' — filter to see the rest.' : '.'}
          </span>
        </div>
      ) : null}
      <div className="matrix-scroll">
        <table className="matrix" aria-label={`Resolution matrix for ${m.name}`}>
          <thead>
            <tr>
              <th className="corner">Function ↓ / caller →</th>
              {cols.map((ci, pos) => ({ c: m.columns[ci]!, ci, pos })).map(({ c, ci, pos }) => (
                <th
                  key={c.keyId ?? 'none'}
                  className={`key-head${startsGroup(m, ci, cols[pos - 1]) ? ' group-start' : ''}`}
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
            {rows.map((fi) => ({ f: m.functions[fi]!, fi })).map(({ f, fi }) => (
              <tr key={f.id}>
                <th scope="row">⚡ {f.name}</th>
                {cols.map((ci, pos) => {
                  const c = m.columns[ci]!;
                  const winner = m.cells[fi]?.[ci] ?? null;
                  const denied = m.denied?.[fi]?.[ci] ?? false;
                  const isSel = selected?.functionId === f.id && selected.keyId === c.keyId;
                  const where = `${f.name} with ${c.keyId === null ? 'no key' : `key ${c.keyName}`}`;
                  return (
                    <td
                      key={c.keyId ?? 'none'}
                      className={`cell ${denied ? 'win-denied' : winner ? `win-${winner}` : 'win-none'}${isSel ? ' selected' : ''}${startsGroup(m, ci, cols[pos - 1]) ? ' group-start' : ''}`}
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

/** True where a new group's columns begin (compared with the previous shown column), for a divider. */
function startsGroup(m: ResolutionMatrix, ci: number, prev: number | undefined): boolean {
  return prev !== undefined && m.columns[ci]?.groupId !== m.columns[prev]?.groupId;
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
