// One report for the whole workspace: what a handler reads that some callers do not get,
// secrets no handler reads, definitions that never answer, case-only twins, the next key
// rotation. Each line links to where it can be fixed. It is what to check before a deploy.
import { useState, type ReactNode } from 'react';
import type { HealthReport } from '../../../../shared/contract';
import { crude } from '../../api/client';
import { formatAgo, formatWhen, plural } from '../../components/format';
import { Icon } from '../../components/Icon';
import { ScopeBadge } from '../../components/ScopeBadge';
import { ErrorBanner, Loading } from '../../components/States';
import { useQuery } from '../../hooks/useQuery';
import { routeToHash, useRoute, type Route } from '../../shell/route';
import { overrideText } from '../secrets/overrideText';

function To({ route, children, label }: { route: Route; children: ReactNode; label?: string }): ReactNode {
  const { go } = useRoute();
  return (
    <a
      href={routeToHash(route)}
      className="link"
      aria-label={label}
      onClick={(e) => {
        e.preventDefault();
        go(route);
      }}
    >
      {children}
    </a>
  );
}

function Section({ id, title, count, ok, children }: { id: string; title: string; count: number; ok: string; children: ReactNode }): ReactNode {
  return (
    <section className={`health-section${count ? ' has-issues' : ''}`} aria-labelledby={id} data-testid={id}>
      <h2 id={id}>
        <Icon name={count ? 'warn' : 'ok'} /> {title} <span className="count-pill">{count}</span>
      </h2>
      {count === 0 ? <p className="muted">{ok}</p> : children}
    </section>
  );
}

/** Lines shown before "Show all": the report must stay readable with 2,000 unread secrets. */
const LIST_MAX = 30;

function Limited<T>({ items, render }: { items: T[]; render: (t: T) => ReactNode }): ReactNode {
  const [all, setAll] = useState(false);
  const shown = all ? items : items.slice(0, LIST_MAX);
  return (
    <>
      {shown.map(render)}
      {items.length > shown.length ? (
        <li className="more">
          <button type="button" className="link" onClick={() => setAll(true)}>
            Show all {items.length.toLocaleString('en-US')}
          </button>
        </li>
      ) : null}
    </>
  );
}

export function HealthScreen(): ReactNode {
  const q = useQuery(() => crude().health.report({}), [], ['secrets.', 'functions.', 'keys.', 'groups.', 'code.', 'rotation.', 'settings.']);
  const h = q.data;
  return (
    <div className="screen">
      <div className="toolbar">
        <h1 tabIndex={-1}>
          <Icon name="health" /> Health
        </h1>
        <span className="grow" />
        {h ? <span className="muted small">checked {formatAgo(h.generatedAt)}</span> : null}
        <button type="button" onClick={q.reload} disabled={q.loading}>
          <Icon name="rotate" /> Check again
        </button>
      </div>
      <p className="muted scope-explain">
        What the app knows, put together: the names each handler reads (in its code, and in its execution log), who calls it, and which
        scope answers each caller. Check it before a deploy.
      </p>
      {q.error && !h ? <ErrorBanner error={q.error} onRetry={q.reload} /> : null}
      {!h && !q.error ? <Loading what="the health report" /> : null}
      {h ? <Report h={h} /> : null}
    </div>
  );
}

function Report({ h }: { h: HealthReport }): ReactNode {
  const computed = h.computedReads.reduce((n, c) => n + c.count, 0);
  return (
    <div className={`health`}>
      <p className="small" data-testid="health-summary">
        {plural(h.totals.functions, 'function')}, {plural(h.totals.names, 'secret name')}, {plural(h.totals.namesRead, 'name')} read by
        handlers.
      </p>
      <Section id="health-undefined" title="Reads that some callers get undefined for" count={h.undefinedReads.length} ok="Every name a handler reads is defined for every caller it accepts.">
        <ul className="health-list">
          <Limited
            items={h.undefinedReads}
            render={(u) => {
            const first = u.missingFor[0];
            return (
              <li key={`${u.functionId}:${u.name}`}>
                <To route={{ screen: 'functions', name: u.functionName, tab: 'reads' }}>{u.functionName}</To> reads <code>{u.name}</code>
                {u.seenIn.includes('log') && !u.seenIn.includes('code') ? <span className="muted"> (seen in its log)</span> : null}: undefined for{' '}
                {u.missingFor.length === u.callers ? 'every caller' : `${u.missingFor.length} of ${plural(u.callers, 'caller')}`}
                {first ? <span className="muted"> ({u.missingFor.slice(0, 3).map((m) => m.keyName ?? 'no key').join(', ')}{u.missingFor.length > 3 ? ', …' : ''})</span> : null} —{' '}
                <To route={{ screen: 'inspector', name: u.name, function: u.functionName, key: first?.keyName ?? undefined, group: first?.groupName ?? undefined }}>
                  inspect
                </To>
              </li>
            );
            }}
          />
        </ul>
      </Section>
      {computed > 0 ? (
        <p className="state warn-box" role="note" data-testid="health-computed">
          <Icon name="warn" /> {plural(computed, 'call')} in {plural(h.computedReads.length, 'handler')} read a computed name that the scan cannot check
          ({h.computedReads.slice(0, 5).map((c, i) => (
            <span key={c.functionId}>
              {i > 0 ? ', ' : ''}
              <To route={{ screen: 'functions', name: c.functionName, tab: 'reads' }}>{c.functionName}</To>
            </span>
          ))}
          {h.computedReads.length > 5 ? ', …' : ''}): the lists below may miss what they read.
        </p>
      ) : null}
      <Section id="health-shadowed" title="Values that never answer" count={h.shadowed.length} ok="Every defined value answers some caller.">
        <ul className="health-list">
          <Limited
            items={h.shadowed}
            render={(s) => (
            <li key={s.secretId}>
              <code>{s.name}</code> at <ScopeBadge scope={s.scope} name={s.recordName} />{' '}
              {s.reason === 'shadowed' ? (
                <span>{overrideText({ name: s.name, reached: s.reached, overridden: s.reached, overriddenBy: s.by })}</span>
              ) : (
                <span>reaches no caller: no function accepts {s.scope === 'group' ? 'this group' : 'this key’s group'}</span>
              )}{' '}
              — <To route={scopeRoute(s)}>open the scope</To>
            </li>
            )}
          />
        </ul>
      </Section>
      <Section id="health-twins" title="Names that differ only in case" count={h.caseTwins.length} ok="No two names differ only in capitals.">
        <ul className="health-list">
          {h.caseTwins.map((g) => (
            <li key={g.join()}>
              {g.map((n, i) => (
                <span key={n}>
                  {i > 0 ? ' and ' : ''}
                  <To route={{ screen: 'inspector', name: n }}>
                    <code>{n}</code>
                  </To>
                </span>
              ))}{' '}
              <span className="muted">are different secrets: a handler asking for one never gets the other.</span>
            </li>
          ))}
        </ul>
      </Section>
      <Section id="health-unread" title="Secrets no handler reads" count={h.unreadSecrets.length} ok="Every secret name is read by some handler.">
        <p className="muted small">Candidates to delete: no handler's code names them and no call in the execution logs asked for them.</p>
        <ul className="health-list columns">
          <Limited
            items={h.unreadSecrets}
            render={(u) => (
            <li key={u.name}>
              <To route={{ screen: 'inspector', name: u.name }}>
                <code>{u.name}</code>
              </To>{' '}
              <span className="muted small">
                {u.scopes.join(', ')}
                {u.definitions > 1 ? ` (${u.definitions})` : ''}
              </span>
            </li>
            )}
          />
        </ul>
      </Section>
      <section className={`health-section${h.rotation.overdue ? ' has-issues' : ''}`} aria-labelledby="health-rotation" data-testid="health-rotation">
        <h2 id="health-rotation">
          <Icon name={h.rotation.overdue ? 'warn' : 'ok'} /> Key rotation
        </h2>
        <p>
          {h.rotation.overdue ? 'Overdue since' : 'Next rotation'} <strong title={h.rotation.nextRotationDue}>{formatWhen(h.rotation.nextRotationDue)}</strong> (every{' '}
          {plural(h.rotation.intervalDays, 'day')}; last {formatWhen(h.rotation.lastRotationAt)}) — <To route={{ screen: 'settings' }}>settings</To>
        </p>
      </section>
    </div>
  );
}

function scopeRoute(s: HealthReport['shadowed'][number]): Route {
  if (s.scope === 'global') return { screen: 'global' };
  if (s.scope === 'function' && s.recordName) return { screen: 'functions', name: s.recordName, tab: 'secrets' };
  if (s.recordName) return { screen: 'tree', scope: s.scope, record: s.recordName };
  return { screen: 'inspector', name: s.name };
}
