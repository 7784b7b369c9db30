// Complete-secret inspector: one name → its definitions side by side, the override chain
// for a chosen context, what getCompleteSecret returns, and the resolution matrix.
import { useDeferredValue, useState, type ReactNode } from 'react';
import { crude } from '../../api/client';
import { KeyPicker } from '../../components/KeyPicker';
import { NamePicker } from '../../components/NamePicker';
import { EmptyState, ErrorBanner, Loading } from '../../components/States';
import { useQuery } from '../../hooks/useQuery';
import { Chain } from './Chain';
import { CompleteResult } from './CompleteResult';
import { Definitions } from './Definitions';
import { useDebounced } from '../../hooks/useDebounced';
import { Matrix, MATRIX_WINDOW, type MatrixFilters } from './Matrix';
import { ServerDiffPanel } from '../servers/ServerDiffPanel';

interface Props {
  initialName?: string;
  initialFunctionId?: number;
  initialKeyId?: number | null;
}

export function InspectorScreen({ initialName, initialFunctionId, initialKeyId }: Props): ReactNode {
  const [name, setName] = useState(initialName ?? '');
  return (
    <div className="screen">
      <div className="toolbar">
        <h2>🔎 Complete-secret inspector</h2>
      </div>
      <p className="muted scope-explain">
        Pick a secret name to see every scope that defines it, which one a handler gets for a given function and key (Key &gt; Group &gt;
        Function &gt; Global), and the same answer for every function and caller at once.
      </p>
      <NamePicker value={name} onPick={setName} />
      {name ? (
        <InspectName key={name} name={name} initialFunctionId={initialFunctionId} initialKeyId={initialKeyId} />
      ) : (
        <EmptyState title="No secret picked">Type a name above; suggestions come from every scope.</EmptyState>
      )}
    </div>
  );
}

function InspectName({ name, initialFunctionId, initialKeyId }: { name: string; initialFunctionId?: number; initialKeyId?: number | null }): ReactNode {
  const inspection = useQuery(() => crude().secrets.inspect({ name }), [name], ['secrets.', 'rotation.']);
  const [filters, setFilters] = useState<MatrixFilters>({ functionFilter: '', keyFilter: '' });
  const matrixWindow = useDebounced(filters, 200);
  const matrix = useQuery(
    () => crude().secrets.matrix({ name, ...matrixWindow, ...MATRIX_WINDOW }),
    [name, matrixWindow.functionFilter, matrixWindow.keyFilter],
    ['secrets.', 'functions.create', 'functions.update', 'functions.delete', 'keys.', 'groups.'],
  );
  const fns = useQuery(() => crude().functions.list({}), [], ['functions.create', 'functions.delete', 'functions.update']);
  const keys = useQuery(() => crude().keys.list({}), [], ['keys.', 'groups.']);
  const [pickedFunctionId, setFunctionId] = useState<number | null>(initialFunctionId ?? null);
  const [keyId, setKeyId] = useState<number | null>(initialKeyId ?? null);
  // The chain starts with the first function by name. The matrix (unfiltered when a name is
  // first inspected) lists functions in that order too and usually arrives before the
  // 500-entry picker list, so the chain need not wait for it.
  const functionId = pickedFunctionId ?? fns.data?.[0]?.id ?? matrix.data?.functions[0]?.id ?? null;
  // Rendering hundreds of picker options is deferred: the chain and matrix paint first.
  const functionOptions = useDeferredValue(fns.data);
  const keyOptions = useDeferredValue(keys.data);

  if (inspection.error && !inspection.data) return <ErrorBanner error={inspection.error} onRetry={inspection.reload} />;
  if (!inspection.data) return <Loading what={`definitions of ${name}`} />;
  return (
    <div className="inspect">
      <h3>
        Definitions of <code>{name}</code>
      </h3>
      {inspection.data.definitions.length === 0 ? (
        <p className="state empty">
          <code>{name}</code> is not defined in any scope: every handler gets <code>undefined</code>.
        </p>
      ) : (
        <Definitions inspection={inspection.data} />
      )}
      <h3 id="chain-heading">Override chain</h3>
      <div className="context-picker toolbar">
        <label>
          Function{' '}
          <select value={functionId ?? ''} onChange={(e) => setFunctionId(e.target.value ? Number(e.target.value) : null)} aria-label="Context function">
            {(functionOptions ?? []).map((f) => (
              <option key={f.id} value={f.id}>
                {f.name}
              </option>
            ))}
          </select>
        </label>
        <label>
          API key <KeyPicker keys={keyOptions ?? []} value={keyId} onChange={setKeyId} noneLabel="No key (public call)" />
        </label>
      </div>
      {functionId !== null ? <ChainFor name={name} functionId={functionId} keyId={keyId} /> : <p className="muted">Create a function to see a chain.</p>}
      <h3>Resolution matrix</h3>
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
            setFunctionId(f);
            setKeyId(k);
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
        Handler of <strong>⚡ {x.data.functionName}</strong> called with {x.data.keyName ? <strong>🔑 {x.data.keyName} ({x.data.groupName})</strong> : <strong>no key</strong>}:{' '}
        <code>ctx.getSecret("{name}")</code> → {x.data.winner ? <strong data-testid="chain-winner">{x.data.winner} scope</strong> : <strong data-testid="chain-winner">undefined</strong>}
      </p>
      <Chain explanation={x.data} />
      <CompleteResult key={`${name}:${functionId}:${keyId}`} explanation={x.data} />
    </div>
  );
}
