// Functions × callers (no key, then keys grouped by group): which scope answers
// ctx.getSecret(name) in each cell. A cell opens its chain above.
import { useRef, type KeyboardEvent, type ReactNode } from 'react';
import { useVirtualizer } from '@tanstack/react-virtual';
import type { ResolutionMatrix } from '../../../../shared/contract';
import { SCOPES_BY_PRECEDENCE } from '../../../../shared/types';
import { plural } from '../../components/format';
import { Icon } from '../../components/Icon';
import { SCOPE_LABEL, SCOPE_MARK, ScopeIcon } from '../../components/ScopeBadge';

interface Props {
  /** The window the server computed for the filters below (see MATRIX_WINDOW). */
  matrix: ResolutionMatrix;
  /** A newer window is on its way: the shown one is dimmed until it arrives. */
  loading?: boolean;
  filters: MatrixFilters;
  onFilters: (f: MatrixFilters) => void;
  selected: { functionId: number; keyId: number | null } | null;
  onPick: (functionId: number, keyId: number | null) => void;
}

export interface MatrixFilters {
  functionFilter: string;
  keyFilter: string;
  /** Hide refused callers: keys no function in the filter accepts are left out (server side). */
  acceptedOnly: boolean;
}

// The whole 500 × 1,001 matrix of the UI benchmark was 6.5 MB of JSON and took a minute to
// paint as a plain table. The server computes only the first rows and columns that match
// the filters (60 × 80: ~70 kB), and the screen says how many there are in all.
export const MATRIX_WINDOW = { maxFunctions: 60, maxKeys: 80 };

const ROW_HEIGHT = 31; // a 30 px cell button and its 1 px border
const COLUMN_WIDTH = 112;
const ROW_HEAD_WIDTH = 220;

/**
 * Rows and columns are virtualized: only the cells in view (plus a few) are in the DOM, so
 * layout and paint stay small whatever the window holds (4,800 cells took most of the
 * inspector's time to paint). The header row and the function column stay sticky.
 */
export function Matrix({ matrix: m, loading, filters, onFilters, selected, onPick }: Props): ReactNode {
  const scrollRef = useRef<HTMLDivElement>(null);
  // Virtual's functions are not memoizable; this component does not rely on the React Compiler.
  // oxlint-disable-next-line react/incompatible-library
  const rowV = useVirtualizer({ count: m.functions.length, getScrollElement: () => scrollRef.current, estimateSize: () => ROW_HEIGHT, overscan: 6 });
  const colV = useVirtualizer({
    horizontal: true,
    count: m.columns.length,
    getScrollElement: () => scrollRef.current,
    estimateSize: () => COLUMN_WIDTH,
    overscan: 3,
  });
  const vRows = rowV.getVirtualItems();
  const vCols = colV.getVirtualItems();
  const padLeft = vCols[0]?.start ?? 0;
  const padRight = colV.getTotalSize() - (vCols.at(-1)?.end ?? 0);
  const padTop = vRows[0]?.start ?? 0;
  const padBottom = rowV.getTotalSize() - (vRows.at(-1)?.end ?? 0);
  const span = 1 + vCols.length + (padLeft > 0 ? 1 : 0) + (padRight > 0 ? 1 : 0);
  const shownKeys = m.columns.length - 1;
  const complete = m.functions.length === m.totalFunctions && shownKeys === m.totalKeys;

  // One Tab stop for the whole grid (the selected cell, else the first); arrows move within it.
  const selRow = selected ? m.functions.findIndex((f) => f.id === selected.functionId) : -1;
  const selCol = selected ? m.columns.findIndex((c) => c.keyId === selected.keyId) : -1;
  const stop = selRow >= 0 && selCol >= 0 ? [selRow, selCol] : [0, 0];
  const onGridKey = (e: KeyboardEvent) => {
    const el = e.target as HTMLElement;
    const fi = Number(el.dataset.fi);
    const ci = Number(el.dataset.ci);
    if (Number.isNaN(fi) || Number.isNaN(ci)) return;
    const to = { ArrowDown: [fi + 1, ci], ArrowUp: [fi - 1, ci], ArrowRight: [fi, ci + 1], ArrowLeft: [fi, ci - 1], Home: [fi, 0], End: [fi, m.columns.length - 1] }[e.key];
    if (!to) return;
    e.preventDefault();
    const [r, c] = [Math.max(0, Math.min(m.functions.length - 1, to[0]!)), Math.max(0, Math.min(m.columns.length - 1, to[1]!))];
    rowV.scrollToIndex(r);
    colV.scrollToIndex(c);
    requestAnimationFrame(() => scrollRef.current?.querySelector<HTMLElement>(`button[data-fi="${r}"][data-ci="${c}"]`)?.focus());
  };
  const leftPad = padLeft > 0 ? <td className="pad" style={{ width: padLeft }} aria-hidden="true" /> : null;
  const rightPad = padRight > 0 ? <td className="pad" style={{ width: padRight }} aria-hidden="true" /> : null;

  return (
    <div className="matrix-wrap">
      <Legend />
      <div className="matrix-filters" role="search">
        <label>
          Functions{' '}
          <input
            type="search"
            value={filters.functionFilter}
            onChange={(e) => onFilters({ ...filters, functionFilter: e.target.value })}
            placeholder="filter by name"
          />
        </label>
        <label>
          Keys{' '}
          <input
            type="search"
            value={filters.keyFilter}
            onChange={(e) => onFilters({ ...filters, keyFilter: e.target.value })}
            placeholder="filter by group or key"
          />
        </label>
        <label className="check">
          <input type="checkbox" checked={filters.acceptedOnly} onChange={(e) => onFilters({ ...filters, acceptedOnly: e.target.checked })} /> Hide refused callers
        </label>
        <span className="muted small" role="status">
          {complete
            ? `Showing all ${plural(m.totalFunctions, 'function')} and ${plural(m.totalKeys, 'key')}.`
            : `Showing ${m.functions.length} of ${plural(m.totalFunctions, 'function')} and ${shownKeys} of ${plural(m.totalKeys, 'key')} — filter to see the rest.`}
        </span>
      </div>
      {m.functions.length === 0 ? (
        <p className="state empty">No function matches the filter.</p>
      ) : (
        <div className={`matrix-scroll${loading ? ' stale' : ''}`} ref={scrollRef} aria-busy={loading}>
          <table
            className="matrix"
            aria-label={`Resolution matrix for ${m.name}`}
            aria-rowcount={m.functions.length + 1}
            aria-colcount={m.columns.length + 1}
            style={{ width: ROW_HEAD_WIDTH + colV.getTotalSize() }}
            onKeyDown={onGridKey}
          >
            <thead>
              <tr>
                <th className="corner" style={{ width: ROW_HEAD_WIDTH }}>
                  Function <span aria-hidden="true">↓</span> / caller <span aria-hidden="true">→</span>
                </th>
                {leftPad}
                {vCols.map((v) => {
                  const c = m.columns[v.index]!;
                  return (
                    <th
                      key={c.keyId ?? 'none'}
                      style={{ width: COLUMN_WIDTH }}
                      aria-colindex={v.index + 2}
                      className={`key-head${startsGroup(m, v.index) ? ' group-start' : ''}`}
                      title={c.keyId === null ? 'Calls without an API key' : `Key ${c.keyName} of group ${c.groupName}`}
                    >
                      {c.keyId === null ? (
                        <>
                          <span className="small muted">public call</span>
                          <span>no key</span>
                        </>
                      ) : (
                        <>
                          <span className="small muted">
                            <Icon name="group" /> {c.groupName}
                          </span>
                          <span>
                            <Icon name="key" /> {c.keyName}
                          </span>
                        </>
                      )}
                    </th>
                  );
                })}
                {rightPad}
              </tr>
            </thead>
            <tbody>
              {padTop > 0 ? (
                <tr className="pad" aria-hidden="true" style={{ height: padTop }}>
                  <td colSpan={span} />
                </tr>
              ) : null}
              {vRows.map((r) => {
                const fi = r.index;
                const f = m.functions[fi]!;
                return (
                  <tr key={f.id} className="matrix-row" aria-rowindex={fi + 2} style={{ height: ROW_HEIGHT }}>
                    <th scope="row" title={f.name}>
                      {f.name}
                    </th>
                    {leftPad}
                    {vCols.map((v) => {
                      const ci = v.index;
                      const c = m.columns[ci]!;
                      const winner = m.cells[fi]?.[ci] ?? null;
                      const denied = m.denied?.[fi]?.[ci] ?? false;
                      const isSel = selected?.functionId === f.id && selected.keyId === c.keyId;
                      const where = `${f.name} with ${c.keyId === null ? 'no key' : `key ${c.keyName}`}`;
                      return (
                        <td
                          key={c.keyId ?? 'none'}
                          aria-colindex={ci + 2}
                          className={`cell ${denied ? 'win-denied' : winner ? `win-${winner}` : 'win-none'}${isSel ? ' selected' : ''}${startsGroup(m, ci) ? ' group-start' : ''}`}
                        >
                          <button
                            type="button"
                            data-fi={fi}
                            data-ci={ci}
                            tabIndex={fi === stop[0] && ci === stop[1] ? 0 : -1}
                            data-function={f.name}
                            data-key={c.keyName ?? ''}
                            data-winner={denied ? 'denied' : (winner ?? '')}
                            // The name starts with the cell's visible mark (WCAG 2.5.3, label in name).
                            aria-label={
                              denied
                                ? `${filters.acceptedOnly ? '' : '401: '}${where} is refused, the handler does not run`
                                : winner
                                  ? `${SCOPE_MARK[winner]}: ${SCOPE_LABEL[winner]} wins for ${where}`
                                  : `Nothing resolves for ${where}`
                            }
                            title={`${where}: ${denied ? 'refused (401)' : winner ? `${SCOPE_LABEL[winner]} wins` : 'undefined'}`}
                            onClick={() => onPick(f.id, c.keyId)}
                          >
                            {denied ? (filters.acceptedOnly ? '' : '401') : winner ? SCOPE_MARK[winner] : <span aria-hidden="true">—</span>}
                          </button>
                        </td>
                      );
                    })}
                    {rightPad}
                  </tr>
                );
              })}
              {padBottom > 0 ? (
                <tr className="pad" aria-hidden="true" style={{ height: padBottom }}>
                  <td colSpan={span} />
                </tr>
              ) : null}
            </tbody>
          </table>
        </div>
      )}
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
            {SCOPE_MARK[s]}
          </span>
          <ScopeIcon scope={s} /> {SCOPE_LABEL[s]} wins
        </li>
      ))}
      <li>
        <span className="swatch win-none" aria-hidden="true">
          —
        </span>
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
