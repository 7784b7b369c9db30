// Complete-secret inspector: one name → its definitions side by side, the override chain
// for a chosen context, what getCompleteSecret returns, and the resolution matrix. The
// name, function and key are in the URL (#/inspect?name=LOG_LEVEL&function=notify).
import { useDeferredValue, useState, type ReactNode } from 'react';
import type { ApiKey, FunctionDef } from '../../../../shared/types';
import { crude } from '../../api/client';
import { Icon } from '../../components/Icon';
import { KeyPicker } from '../../components/KeyPicker';
import { NamePicker } from '../../components/NamePicker';
import { EmptyState, ErrorBanner, Loading } from '../../components/States';
import { useQuery } from '../../hooks/useQuery';
import { routeToHash, useRoute, type Route } from '../../shell/route';
import { Chain } from './Chain';
import { CompleteResult } from './CompleteResult';
import { Definitions } from './Definitions';
import { useDebounced } from '../../hooks/useDebounced';
import { Matrix, MATRIX_WINDOW, type MatrixFilters } from './Matrix';
import { ServerDiffPanel } from '../servers/ServerDiffPanel';
import { DidYouMean } from './DidYouMean';

type InspectorRoute = Extract<Route, { screen: 'inspector' }>;

/** The key a route names: by name, within its group when the route says which. */
export function keyByName(keys: ApiKey[] | undefined, name?: string, group?: string): ApiKey | undefined {
  return name ? keys?.find((k) => k.name === name && (!group || k.groupName === group)) : undefined;
}

export function InspectorScreen({ route }: { route: InspectorRoute }): ReactNode {
  const { go } = useRoute();
  const name = route.name ?? '';
  return (
    <div className="screen">
      <div className="toolbar">
        <h1 tabIndex={-1}>
          <Icon name="inspect" /> Complete-secret inspector
        </h1>
        <span className="grow" />
        <a
          className="link"
          href={routeToHash({ screen: 'caller', function: route.function, key: route.key, group: route.group })}
          onClick={(e) => {
            e.preventDefault();
            go({ screen: 'caller', function: route.function, key: route.key, group: route.group });
          }}
        >
          Every secret of one caller
        </a>
      </div>
      <p className="muted scope-explain">
        Pick a secret name to see every scope that defines it, which one a handler gets for a given function and key (Key &gt; Group &gt;
        Function &gt; Global), and the same answer for every function and caller at once.
      </p>
      <NamePicker value={name} onPick={(n) => go({ ...route, name: n })} />
      {name ? (
        <InspectName key={name} route={route as InspectorRoute & { name: string }} />
      ) : (
        <EmptyState title="No secret picked">Type a name above; suggestions come from every scope.</EmptyState>
      )}
    </div>
  );
}

function InspectName({ route }: { route: InspectorRoute & { name: string } }): ReactNode {
  const { name } = route;
  const { replace, go } = useRoute();
  const inspection = useQuery(() => crude().secrets.inspect({ name }), [name], ['secrets.', 'rotation.']);
  const [filters, setFilters] = useState<MatrixFilters>({ functionFilter: '', keyFilter: '', acceptedOnly: false });
  const matrixWindow = useDebounced(filters, 200);
  const matrix = useQuery(
    () => crude().secrets.matrix({ name, ...matrixWindow, ...MATRIX_WINDOW }),
    [name, matrixWindow.functionFilter, matrixWindow.keyFilter, matrixWindow.acceptedOnly],
    ['secrets.', 'functions.create', 'functions.update', 'functions.delete', 'keys.', 'groups.'],
  );
  const fns = useQuery(() => crude().functions.list({}), [], ['functions.create', 'functions.delete', 'functions.update']);
  const keys = useQuery(() => crude().keys.list({}), [], ['keys.', 'groups.']);
  const picked: FunctionDef | undefined = route.function ? fns.data?.find((f) => f.name === route.function) : undefined;
  const key = keyByName(keys.data, route.key, route.group);
  const keyId = key?.id ?? null;
  // The chain starts with the first function by name. The matrix (unfiltered when a name is
  // first inspected) lists functions in that order too and usually arrives before the
  // 500-entry picker list, so the chain need not wait for it.
  const functionId = picked?.id ?? (route.function ? null : (fns.data?.[0]?.id ?? matrix.data?.functions[0]?.id ?? null));
  // Rendering hundreds of picker options is deferred: the chain and matrix paint first.
  const functionOptions = useDeferredValue(fns.data);
  const keyOptions = useDeferredValue(keys.data);
  const setContext = (f: FunctionDef | undefined, k: ApiKey | undefined | null) =>
    replace({ screen: 'inspector', name, function: f?.name, key: k?.name, group: k?.groupName });

  if (inspection.error && !inspection.data) return <ErrorBanner error={inspection.error} onRetry={inspection.reload} />;
  if (!inspection.data) return <Loading what={`definitions of ${name}`} />;
  return (
    <div className="inspect">
      <h2>
        Definitions of <code>{name}</code>
      </h2>
      {inspection.data.definitions.length === 0 ? (
        <div className="state empty">
          <p>
            <code>{name}</code> is not defined in any scope: every handler gets <code>undefined</code>.
          </p>
          <DidYouMean name={name} onPick={(n) => go({ ...route, name: n })} />
        </div>
      ) : (
        <>
          <DidYouMean name={name} onPick={(n) => go({ ...route, name: n })} twinsOnly />
          <Definitions inspection={inspection.data} />
        </>
      )}
      <h2 id="chain-heading">Override chain</h2>
      <div className="context-picker toolbar">
        <label>
          Function{' '}
          <select
            value={functionId ?? ''}
            onChange={(e) => setContext(fns.data?.find((f) => f.id === Number(e.target.value)), key)}
            aria-label="Context function"
          >
            {functionId === null ? <option value="">—</option> : null}
            {(functionOptions ?? []).map((f) => (
              <option key={f.id} value={f.id}>
                {f.name}
              </option>
            ))}
          </select>
        </label>
        <label>
          API key{' '}
          <KeyPicker
            keys={keyOptions ?? []}
            value={keyId}
            onChange={(k) => setContext(fns.data?.find((f) => f.id === functionId), k === null ? null : keys.data?.find((x) => x.id === k))}
            noneLabel="No key (public call)"
          />
        </label>
      </div>
      {functionId !== null ? (
        <ChainFor name={name} functionId={functionId} keyId={keyId} />
      ) : route.function && fns.data ? (
        <p className="state error" role="alert">
          No function named {route.function}.
        </p>
      ) : (
        <p className="muted">Create a function to see a chain.</p>
      )}
      <h2>Resolution matrix</h2>
      {matrix.error ? <ErrorBanner error={matrix.error} onRetry={matrix.reload} /> : null}
      {!matrix.data && !matrix.error ? <Loading what="resolution matrix" /> : null}
      {matrix.data ? (
        <Matrix
          matrix={matrix.data}
          loading={matrix.loading}
          filters={filters}
          onFilters={setFilters}
          selected={functionId !== null ? { functionId, keyId } : null}
          onPick={(f, k) => {
            setContext(
              fns.data?.find((x) => x.id === f) ?? ({ name: matrix.data?.functions.find((x) => x.id === f)?.name } as FunctionDef),
              k === null ? null : keys.data?.find((x) => x.id === k),
            );
            document.getElementById('chain-heading')?.scrollIntoView({ behavior: 'smooth', block: 'start' });
          }}
        />
      ) : null}
      <h3>Here and on a server</h3>
      <ServerDiffPanel name={name} />
    </div>
  );
}

function ChainFor({ name, functionId, keyId }: { name: string; functionId: number; keyId: number | null }): ReactNode {
  const x = useQuery(() => crude().secrets.explain({ name, functionId, keyId }), [name, functionId, keyId], ['secrets.', 'keys.', 'groups.', 'functions.update']);
  if (x.error && !x.data) return <ErrorBanner error={x.error} onRetry={x.reload} />;
  if (!x.data) return <Loading what="override chain" />;
  // The previous context's chain stays while the new one loads, dimmed, so nothing jumps.
  return (
    <div className={`chain-box${x.loading ? ' stale' : ''}`} aria-busy={x.loading}>
      {x.error ? <ErrorBanner error={x.error} onRetry={x.reload} /> : null}
      <p className="small">
        Handler of{' '}
        <strong>
          <Icon name="function" /> {x.data.functionName}
        </strong>{' '}
        called with{' '}
        {x.data.keyName ? (
          <strong>
            <Icon name="key" /> {x.data.keyName} ({x.data.groupName})
          </strong>
        ) : (
          <strong>no key</strong>
        )}
        : <code>ctx.getSecret("{name}")</code> → {x.data.winner ? <strong data-testid="chain-winner">{x.data.winner} scope</strong> : <strong data-testid="chain-winner">undefined</strong>}
      </p>
      <Chain explanation={x.data} />
      <CompleteResult key={`${name}:${functionId}:${keyId}`} explanation={x.data} />
    </div>
  );
}
