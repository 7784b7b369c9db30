// The secret names the handler passes as literals to ctx.getSecret / getCompleteSecret,
// and where each is defined — flagged when some callers would get `undefined`. Calls with
// a computed name cannot be checked: they are counted, with where they are.
import type { ReactNode } from 'react';
import type { ComputedSecretCall, FunctionSecretUse } from '../../../../shared/contract';
import type { FunctionDef } from '../../../../shared/types';
import { crude } from '../../api/client';
import { plural } from '../../components/format';
import { Icon } from '../../components/Icon';
import { ScopeBadge } from '../../components/ScopeBadge';
import { EmptyState, ErrorBanner, Loading } from '../../components/States';
import { useQuery } from '../../hooks/useQuery';
import { routeToHash, useRoute } from '../../shell/route';

/** Only the definitions this function can see: its own, global, and its groups' and keys'. */
function DefinedAt({ fn, definedAt }: { fn: FunctionDef; definedAt: FunctionSecretUse['definedAt'] }): ReactNode {
  const visible = definedAt.filter(
    (d) =>
      d.scope === 'global' ||
      (d.scope === 'function' && d.scopeId === fn.id) ||
      (d.scope === 'group' && d.scopeId !== null && fn.groupIds.includes(d.scopeId)) ||
      (d.scope === 'key' && fn.groupIds.length > 0),
  );
  const hidden = definedAt.length - visible.length;
  const shown = visible.slice(0, 4);
  return (
    <>
      {visible.length === 0 ? <span className="muted">nowhere this function can see</span> : null}
      {shown.map((d, i) => (
        <ScopeBadge key={i} scope={d.scope} name={d.recordName} />
      ))}
      {visible.length > shown.length ? <span className="muted small"> +{visible.length - shown.length} more</span> : null}
      {hidden > 0 ? (
        <span className="muted small" title="Definitions for other functions or for groups this function does not accept">
          {' '}
          (+{hidden} elsewhere, not seen here)
        </span>
      ) : null}
    </>
  );
}

/** "missing for 3 of 12 callers", with the callers on demand: at scale the list is long. */
function Missing({ use }: { use: FunctionSecretUse }): ReactNode {
  const names = use.missingFor.map((m) => (m.keyId === null ? 'calls with no key' : `${m.keyName} (${m.groupName})`));
  return (
    <details className="missing">
      <summary>
        <span className="pill warn">missing for {plural(use.missingFor.length, 'caller')}</span>
      </summary>
      <ul className="missing-list">
        {names.map((n) => (
          <li key={n}>{n}</li>
        ))}
      </ul>
    </details>
  );
}

function ComputedNote({ fn, calls }: { fn: FunctionDef; calls: ComputedSecretCall[] }): ReactNode {
  const { go } = useRoute();
  if (calls.length === 0) return null;
  return (
    <div className="state warn-box" role="note" data-testid="computed-calls">
      <p>
        <Icon name="warn" /> <strong>{plural(calls.length, 'call')} with a computed name not checked:</strong> the name is not a string
        literal, so which secret it reads is known only when it runs (see the execution log's trace).
      </p>
      <ul>
        {calls.map((c, i) => {
          const to = { screen: 'functions' as const, name: fn.name, tab: 'handler' as const, line: c.line, column: c.column };
          return (
            <li key={i}>
              <a
                href={routeToHash(to)}
                className="link mono"
                onClick={(e) => {
                  e.preventDefault();
                  go(to);
                }}
              >
                {fn.handler}:{c.line}:{c.column}
              </a>{' '}
              <code>{c.text}</code>
            </li>
          );
        })}
      </ul>
    </div>
  );
}

export function SecretUses({ fn }: { fn: FunctionDef }): ReactNode {
  const refresh = ['secrets.', 'code.', 'keys.', 'groups.', 'functions.update'];
  const q = useQuery(() => crude().functions.secretUses({ functionId: fn.id }), [fn.id], refresh);
  const computed = useQuery(() => crude().functions.computedSecretCalls({ functionId: fn.id }), [fn.id], ['code.', 'functions.update']);
  const { go } = useRoute();
  if (q.error && !q.data) return <ErrorBanner error={q.error} onRetry={q.reload} />;
  if (!q.data) return <Loading what="secret uses" />;
  const note = <ComputedNote fn={fn} calls={computed.data ?? []} />;
  if (q.data.length === 0)
    return (
      <>
        {note}
        <EmptyState title="This handler reads no secrets by name">
          No <code>ctx.getSecret("…")</code> or <code>ctx.getCompleteSecret("…")</code> call with a literal name was found in {fn.handler}.
        </EmptyState>
      </>
    );
  return (
    <>
      {note}
      <table className="simple" aria-label="Secrets this function reads">
        <thead>
          <tr>
            <th>Secret</th>
            <th>Calls</th>
            <th>Defined at</th>
            <th>Status</th>
            <th>
              <span className="sr-only">Inspect</span>
            </th>
          </tr>
        </thead>
        <tbody>
          {q.data.map((u) => (
            <tr key={u.name} className={`use-${u.status}`}>
              <td className="mono strong">{u.name}</td>
              <td className="small">
                {u.calls.join(', ')}
                {u.requestedScopes.length ? <> (scope {u.requestedScopes.join(', ')})</> : null}
              </td>
              <td>
                <DefinedAt fn={fn} definedAt={u.definedAt} />
              </td>
              <td>
                {u.status === 'defined' ? <span className="pill good">defined for every caller</span> : null}
                {u.status === 'missing' ? <span className="pill bad">missing: every caller gets undefined</span> : null}
                {u.status === 'partial' ? <Missing use={u} /> : null}
              </td>
              <td>
                <a
                  href={routeToHash({ screen: 'inspector', name: u.name, function: fn.name })}
                  className="link"
                  aria-label={`Inspect ${u.name}`}
                  onClick={(e) => {
                    e.preventDefault();
                    go({ screen: 'inspector', name: u.name, function: fn.name });
                  }}
                >
                  Inspect
                </a>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </>
  );
}
