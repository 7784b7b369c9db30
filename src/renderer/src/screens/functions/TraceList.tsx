import type { ReactNode } from 'react';
import type { ConsoleEntry, SecretAccess } from '../../../../shared/types';
import { ScopeBadge } from '../../components/ScopeBadge';

/** Which secrets a call asked for and which scope answered — names and scopes only. */
export function TraceList({ trace }: { trace: SecretAccess[] }): ReactNode {
  if (trace.length === 0) return <p className="muted">No secrets were read in this call.</p>;
  return (
    <table className="simple" aria-label="Secret-access trace">
      <thead>
        <tr>
          <th>Call</th>
          <th>Secret</th>
          <th>Asked scope</th>
          <th>Answered by</th>
        </tr>
      </thead>
      <tbody>
        {trace.map((t, i) => (
          <tr key={i}>
            <td className="mono">{t.call}</td>
            <td className="mono strong">{t.name}</td>
            <td>{t.requestedScope ? <ScopeBadge scope={t.requestedScope} /> : <span className="muted">any (Key &gt; Group &gt; Function &gt; Global)</span>}</td>
            <td>
              {t.call === 'getCompleteSecret' ? (
                t.answeredScopes && t.answeredScopes.length ? (
                  t.answeredScopes.map((s) => <ScopeBadge key={s} scope={s} />)
                ) : (
                  <span className="muted">nothing (null)</span>
                )
              ) : t.answeredBy ? (
                <ScopeBadge scope={t.answeredBy} />
              ) : (
                <span className="muted">nothing (undefined)</span>
              )}
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

export function ConsoleList({ entries }: { entries: ConsoleEntry[] }): ReactNode {
  if (entries.length === 0) return <p className="muted">No console output.</p>;
  return (
    <pre className="console" aria-label="Console output" tabIndex={0}>
      {entries.map((e, i) => (
        <div key={i} className={`console-${e.level}`}>
          <span className="console-level">{e.level}</span> {e.message}
        </div>
      ))}
    </pre>
  );
}
