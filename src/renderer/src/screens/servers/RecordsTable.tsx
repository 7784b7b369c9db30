// The records of a comparison, grouped by kind, with what differs and both values masked;
// in pull and push mode each row the operator may choose has a checkbox.
import { Icon, type IconName } from '../../components/Icon';
import type { ReactNode } from 'react';
import type { SyncComparison, SyncRecordKind, SyncRow } from '../../../../shared/sync';
import { LocalValue, ServerValue } from './SyncValues';

export type RecordsMode = 'pull' | 'push' | 'view';

const KINDS: { kind: SyncRecordKind; title: string; icon: IconName }[] = [
  { kind: 'group', title: 'Groups', icon: 'group' },
  { kind: 'key', title: 'API keys', icon: 'key' },
  { kind: 'function', title: 'Functions', icon: 'function' },
  { kind: 'file', title: 'Handler files', icon: 'handler' },
  { kind: 'secret', title: 'Secrets', icon: 'secrets' },
];

const WORDS: Record<RecordsMode, Record<SyncRow['presence'], { text: string; tone: string }>> = {
  pull: { server: { text: 'new', tone: 'good' }, both: { text: 'changed', tone: 'warn' }, local: { text: 'only here', tone: '' } },
  push: { local: { text: 'new there', tone: 'good' }, both: { text: 'changed', tone: 'warn' }, server: { text: 'only there', tone: 'bad' } },
  view: { local: { text: 'only here', tone: '' }, both: { text: 'differs', tone: 'warn' }, server: { text: 'only on server', tone: '' } },
};

/** Whether the operator may choose `row` in this mode. */
export function choosable(row: SyncRow, mode: RecordsMode): boolean {
  if (mode === 'pull') return row.presence !== 'local' && !row.pullProblem;
  if (mode === 'push') return !row.pushProblem;
  return false;
}

/** Chosen by default: what can go, without a warning; deletions on the server never. */
export function chosenByDefault(row: SyncRow, mode: RecordsMode): boolean {
  return choosable(row, mode) && !row.warning && !(mode === 'push' && row.presence === 'server');
}

function note(row: SyncRow, mode: RecordsMode): ReactNode {
  const problem = mode === 'pull' ? row.pullProblem : mode === 'push' ? row.pushProblem : (row.pullProblem ?? row.pushProblem);
  if (problem && (mode !== 'pull' || row.presence !== 'local')) return <span className="bad">Cannot be {mode === 'push' ? 'pushed' : 'pulled'}: {problem}.</span>;
  if (mode === 'pull' && row.presence === 'local') return <span className="muted">Kept as it is; push it to send it to the server.</span>;
  if (mode === 'push' && row.presence === 'server') return <span className="warn">Ticked, it is deleted on the server.</span>;
  if (row.warning) return <span className="warn">
        <Icon name="warn" /> {row.warning}
      </span>;
  return null;
}

export function RecordsTable({
  comparison,
  rows,
  mode,
  selected,
  onToggle,
}: {
  comparison: SyncComparison;
  rows: SyncRow[];
  mode: RecordsMode;
  selected?: Set<string>;
  onToggle?: (row: SyncRow, on: boolean) => void;
}): ReactNode {
  return (
    <div className="sync-scroll">
      <table className="sync-table" aria-label={mode === 'pull' ? 'Records to pull' : mode === 'push' ? 'Records to push' : 'Records that differ'}>
        <thead>
          <tr>
            {mode !== 'view' ? <th className="sync-check"><span className="sr-only">Choose</span></th> : null}
            <th>Status</th>
            <th>Record</th>
            <th>What differs</th>
            <th>Here</th>
            <th>On {comparison.server.name}</th>
            <th>Note</th>
          </tr>
        </thead>
        {KINDS.map(({ kind, title, icon }) => {
          const mine = rows.filter((r) => r.kind === kind);
          if (mine.length === 0) return null;
          return (
            <tbody key={kind}>
              <tr className="sync-kind">
                <th colSpan={mode !== 'view' ? 7 : 6} scope="colgroup">
                  <Icon name={icon} /> {title} <span className="count">{mine.length}</span>
                </th>
              </tr>
              {mine.map((row) => {
                const w = WORDS[mode][row.presence];
                const can = choosable(row, mode);
                return (
                  <tr key={row.ref} data-ref={row.ref} className={can || mode === 'view' ? '' : 'sync-blocked'}>
                    {mode !== 'view' ? (
                      <td className="sync-check">
                        {can ? (
                          <input type="checkbox" checked={selected?.has(row.ref) ?? false} onChange={(e) => onToggle?.(row, e.target.checked)} aria-label={`Choose ${row.label}`} />
                        ) : null}
                      </td>
                    ) : null}
                    <td>
                      <span className={`pill ${w.tone}`}>{w.text}</span>
                    </td>
                    <td className="mono sync-record">{row.label}</td>
                    <td className="small">{row.changed.length ? row.changed.join(', ') : <span className="muted">—</span>}</td>
                    <td>
                      <LocalValue row={row} />
                    </td>
                    <td>
                      <ServerValue row={row} snapshotId={comparison.snapshotId} />
                    </td>
                    <td className="small sync-note">{note(row, mode)}</td>
                  </tr>
                );
              })}
            </tbody>
          );
        })}
      </table>
    </div>
  );
}

/** Ticking a row ticks what it needs; unticking one unticks what needs it. */
export function toggle(rows: SyncRow[], selected: Set<string>, row: SyncRow, on: boolean, mode: RecordsMode): Set<string> {
  const next = new Set(selected);
  const byRef = new Map(rows.map((r) => [r.ref, r]));
  if (on) {
    const add = (r: SyncRow) => {
      if (next.has(r.ref)) return;
      next.add(r.ref);
      // A deletion on the server needs nothing first; a record sent there needs its owner.
      if (mode === 'push' && r.presence === 'server') return;
      for (const need of r.requires) {
        const dep = byRef.get(need);
        if (dep && choosable(dep, mode) && !(mode === 'pull' && dep.presence === 'local') && !(mode === 'push' && dep.presence === 'server')) add(dep);
      }
    };
    add(row);
  } else {
    const remove = (ref: string) => {
      if (!next.delete(ref)) return;
      for (const r of rows) if (r.requires.includes(ref) && !(mode === 'push' && r.presence === 'server')) remove(r.ref);
    };
    remove(row.ref);
  }
  return next;
}
