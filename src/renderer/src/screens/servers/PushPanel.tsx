// Push: choose local changes, preview the server calls and what the server's callers will
// read, confirm with the server named, then see each record's outcome.
import { Icon } from '../../components/Icon';
import { useState, type ReactNode } from 'react';
import type { PushPlan, PushResult, ServerConnection, SyncComparison } from '../../../../shared/sync';
import { crude } from '../../api/client';
import { ConfirmDialog } from '../../components/ConfirmDialog';
import { ErrorBanner } from '../../components/States';
import { ComparisonFacts } from './ComparisonFacts';
import { chosenByDefault, RecordsTable, toggle } from './RecordsTable';

export function PushPanel({ server }: { server: ServerConnection }): ReactNode {
  const [comparison, setComparison] = useState<SyncComparison | null>(null);
  const [selected, setSelected] = useState<Set<string>>(new Set());
  const [plan, setPlan] = useState<PushPlan | null>(null);
  const [confirming, setConfirming] = useState(false);
  const [result, setResult] = useState<PushResult | null>(null);
  const [busy, setBusy] = useState<'compare' | 'plan' | null>(null);
  const [error, setError] = useState<unknown>(null);

  const compare = async () => {
    setBusy('compare');
    setError(null);
    setPlan(null);
    setResult(null);
    try {
      const c = await crude().sync.compare({ serverId: server.id });
      setComparison(c);
      setSelected(new Set(c.rows.filter((r) => chosenByDefault(r, 'push')).map((r) => r.ref)));
    } catch (e) {
      setError(e);
    } finally {
      setBusy(null);
    }
  };
  const preview = async () => {
    setBusy('plan');
    setError(null);
    try {
      setPlan(await crude().sync.pushPreview({ serverId: server.id, refs: [...selected] }));
    } catch (e) {
      setError(e);
    } finally {
      setBusy(null);
    }
  };
  const push = async () => {
    if (!plan) return;
    const r = await crude().sync.push({ serverId: server.id, planId: plan.planId, serverName: server.name });
    setResult(r);
    setPlan(null);
    setComparison(null);
  };

  const rows = comparison?.rows ?? [];
  return (
    <div className="panel sync-panel" aria-label={`Push to ${server.name}`}>
      <p className="muted small">
        Sends the records you tick to <strong>{server.name}</strong>, one call each. Nothing here changes; if a call fails, the others still go and
        each record says what happened.
      </p>
      <div className="toolbar">
        <button type="button" className={comparison ? '' : 'primary'} disabled={busy !== null} onClick={() => void compare()}>
          {busy === 'compare' ? 'Reading the server…' : comparison ? 'Compare again' : 'Find local changes'}
        </button>
        {comparison ? (
          <>
            <button type="button" onClick={() => setSelected(new Set())}>
              Tick none
            </button>
            <button type="button" onClick={() => setSelected(new Set(rows.filter((r) => chosenByDefault(r, 'push')).map((r) => r.ref)))}>
              Tick all without a warning
            </button>
            <span className="grow" />
            <button type="button" className="primary" disabled={busy !== null || selected.size === 0} onClick={() => void preview()}>
              {busy === 'plan' ? 'Planning…' : `Preview push of ${selected.size} record${selected.size === 1 ? '' : 's'}`}
            </button>
          </>
        ) : null}
      </div>
      {error ? <ErrorBanner error={error} /> : null}
      {result ? <PushOutcomes result={result} /> : null}
      {plan ? <PlanView plan={plan} onPush={() => setConfirming(true)} onCancel={() => setPlan(null)} /> : null}
      {comparison && !plan ? (
        <>
          <ComparisonFacts comparison={comparison} />
          {rows.length === 0 ? (
            <p className="state empty">Nothing here differs from {server.name}.</p>
          ) : (
            <RecordsTable comparison={comparison} rows={rows} mode="push" selected={selected} onToggle={(row, on) => setSelected((s) => toggle(rows, s, row, on, 'push'))} />
          )}
        </>
      ) : null}
      {confirming && plan ? (
        <ConfirmDialog title={`Push to ${server.name}?`} confirmLabel={`Push to ${server.name}`} onConfirm={push} onClose={() => setConfirming(false)}>
          <p>
            This makes {plan.steps.length} change{plan.steps.length === 1 ? '' : 's'} on server <strong>{server.name}</strong> (<code>{server.url}</code>):{' '}
            {summariseSteps(plan)}.
          </p>
          <p className={plan.whatIf.affected ? 'warn-text' : 'muted'}>{plan.whatIf.summary}</p>
          <p className="muted small">Nothing in this app changes.</p>
        </ConfirmDialog>
      ) : null}
    </div>
  );
}

function summariseSteps(plan: PushPlan): string {
  const n = (a: string) => plan.steps.filter((s) => s.action === a).length;
  return [`${n('create')} created`, `${n('update')} updated`, `${n('delete')} deleted`].filter((t) => !t.startsWith('0 ')).join(', ');
}

function PlanView({ plan, onPush, onCancel }: { plan: PushPlan; onPush: () => void; onCancel: () => void }): ReactNode {
  return (
    <section className="sync-plan" aria-label="Push preview">
      <h4>What the push does on {plan.server.name}</h4>
      {plan.problems.length ? (
        <div className="state error" role="alert">
          <span>
            Left out:
            <ul className="sync-notes">
              {plan.problems.map((p) => (
                <li key={p.ref}>
                  <span className="mono">{p.label}</span>: {p.message}
                </li>
              ))}
            </ul>
          </span>
        </div>
      ) : null}
      {plan.steps.length ? (
        <ol className="sync-steps">
          {plan.steps.map((s) => (
            <li key={s.ref}>
              <span className={`pill ${s.action === 'delete' ? 'bad' : s.action === 'create' ? 'good' : 'warn'}`}>{s.action}</span> <span className="mono">{s.label}</span>{' '}
              <span className="muted small mono">{s.call}</span>
              {s.changed.length ? <span className="small"> ({s.changed.join(', ')})</span> : null}
            </li>
          ))}
        </ol>
      ) : (
        <p className="muted">Nothing left to push.</p>
      )}
      <section className="what-if" aria-label="What this push does to callers" data-testid="push-what-if">
        <h4>What the server's callers will read</h4>
        <p className={plan.whatIf.affected ? 'warn-text' : 'muted'} role="status">
          {plan.whatIf.summary}
        </p>
        {plan.whatIf.pairs.length ? (
          <details>
            <summary>{plan.whatIf.affected > plan.whatIf.pairs.length ? `The first ${plan.whatIf.pairs.length} of ${plan.whatIf.affected}` : `All ${plan.whatIf.affected}`} (function ← caller)</summary>
            <ul className="preview-list">
              {plan.whatIf.pairs.map((p) => (
                <li key={`${p.functionName}/${p.caller?.group}/${p.caller?.key}/${p.name}`} className="mono small">
                  {p.functionName} ← {p.caller ? `${p.caller.group}/${p.caller.key}` : 'no key'}
                  {p.name === null ? (p.refused ? ': refused (401)' : ': let through') : `: ${p.name} ${p.valueChanges ? `new ${p.after} value` : `${p.before ?? 'nothing'} → ${p.after ?? 'nothing'}`}`}
                </li>
              ))}
            </ul>
          </details>
        ) : null}
      </section>
      <div className="actions">
        <button type="button" onClick={onCancel}>
          Back to the records
        </button>
        <button type="button" className="danger" disabled={plan.steps.length === 0} onClick={onPush}>
          Push to {plan.server.name}…
        </button>
      </div>
    </section>
  );
}

function PushOutcomes({ result }: { result: PushResult }): ReactNode {
  return (
    <section aria-label="Push outcome" className="sync-plan">
      <div className={`state ${result.failed + result.skipped ? 'error' : 'sync-done'}`} role="status">
        <Icon name={result.failed + result.skipped ? 'warn' : 'ok'} /> {result.summary}
      </div>
      <div className="sync-scroll">
        <table className="sync-table" aria-label="Outcome per record">
          <thead>
            <tr>
              <th>Outcome</th>
              <th>Record</th>
              <th>Change</th>
              <th>Why</th>
            </tr>
          </thead>
          <tbody>
            {result.outcomes.map((o) => (
              <tr key={o.ref} data-testid="push-outcome">
                <td>
                  <span className={`pill ${o.status === 'done' ? 'good' : o.status === 'failed' ? 'bad' : 'warn'}`}>{o.status === 'done' ? 'pushed' : o.status === 'failed' ? 'failed' : 'not attempted'}</span>
                </td>
                <td className="mono">{o.label}</td>
                <td>{o.action}</td>
                <td className="small">{o.message ?? ''}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </section>
  );
}
