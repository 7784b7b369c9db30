// The secret names the handler passes as literals to ctx.getSecret / getCompleteSecret,
// and where each is defined — flagged when some callers would get `undefined`.
import type { ReactNode } from 'react';
import type { FunctionSecretUse } from '../../../../shared/contract';
import type { FunctionDef } from '../../../../shared/types';
import { crude } from '../../api/client';
import { ScopeBadge } from '../../components/ScopeBadge';
import { EmptyState, ErrorBanner, Loading } from '../../components/States';
import { useQuery } from '../../hooks/useQuery';
import { useRoute } from '../../shell/route';

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
  return (
    <>
      {visible.length === 0 ? <span className="muted">nowhere this function can see</span> : null}
      {visible.map((d, i) => (
        <ScopeBadge key={i} scope={d.scope} name={d.recordName} />
      ))}
      {hidden > 0 ? (
        <span className="muted small" title="Definitions for other functions or for groups this function does not accept">
          {' '}
          (+{hidden} elsewhere, not seen here)
        </span>
      ) : null}
    </>
  );
}

export function SecretUses({ fn }: { fn: FunctionDef }): ReactNode {
  const q = useQuery(() => crude().functions.secretUses({ functionId: fn.id }), [fn.id], ['secrets.', 'code.', 'keys.', 'groups.', 'functions.update']);
  const { go } = useRoute();
  if (q.error && !q.data) return <ErrorBanner error={q.error} onRetry={q.reload} />;
  if (!q.data) return <Loading what="secret uses" />;
  if (q.data.length === 0)
    return (
      <EmptyState title="This handler reads no secrets by name">
        No <code>ctx.getSecret("…")</code> or <code>ctx.getCompleteSecret("…")</code> call with a literal name was found in {fn.handler}.
      </EmptyState>
    );
  return (
    <table className="simple" aria-label="Secrets this function reads">
      <thead>
        <tr>
          <th>Secret</th>
          <th>Calls</th>
          <th>Defined at</th>
          <th>Status</th>
          <th />
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
              {u.status === 'partial' ? (
                <span className="pill warn" title="These callers get undefined">
                  missing for {u.missingFor.map((m) => (m.keyId === null ? 'calls with no key' : `${m.keyName} (${m.groupName})`)).join(', ')}
                </span>
              ) : null}
            </td>
            <td>
              <button type="button" className="link" onClick={() => go({ screen: 'inspector', name: u.name, functionId: fn.id })}>
                Inspect
              </button>
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
