// Scope tree: every place a secret can live, with counts; pick a node to edit its
// secrets beside the tree; pick a secret name to mark every node that defines it.
import { useMemo, useRef, useState, type KeyboardEvent, type ReactNode } from 'react';
import { useVirtualizer } from '@tanstack/react-virtual';
import { crude } from '../../api/client';
import { NamePicker } from '../../components/NamePicker';
import { ErrorBanner, Loading } from '../../components/States';
import { useQuery } from '../../hooks/useQuery';
import { SecretsPanel } from '../secrets/SecretsPanel';
import { buildTree, type TreeNode } from './buildTree';

const ROW = 30;

export function ScopeTreeScreen(): ReactNode {
  const refresh = ['secrets.', 'functions.', 'groups.', 'keys.'];
  const global = useQuery(() => crude().secrets.list({ scope: 'global' }), [], ['secrets.']);
  const fns = useQuery(() => crude().functions.list({}), [], refresh);
  const groups = useQuery(() => crude().groups.list({}), [], refresh);
  const keys = useQuery(() => crude().keys.list({}), [], refresh);
  const [name, setName] = useState('');
  const inspection = useQuery(() => (name ? crude().secrets.inspect({ name }) : Promise.resolve(null)), [name], ['secrets.']);
  const [expanded, setExpanded] = useState<Set<string>>(() => new Set(['functions', 'groups']));
  const [selectedId, setSelectedId] = useState('global');

  const nodes = useMemo(
    () =>
      buildTree({
        globalCount: global.data?.length ?? null,
        functions: fns.data ?? [],
        groups: groups.data ?? [],
        keys: keys.data ?? [],
        expanded,
        definitions: inspection.data?.definitions ?? null,
      }),
    [global.data, fns.data, groups.data, keys.data, expanded, inspection.data],
  );
  const selected = nodes.find((n) => n.id === selectedId) ?? nodes[0]!;
  const error = fns.error ?? groups.error ?? keys.error ?? global.error;
  const loading = !fns.data || !groups.data || !keys.data;

  const toggle = (id: string) =>
    setExpanded((prev) => {
      const next = new Set(prev);
      if (next.has(id)) next.delete(id);
      else next.add(id);
      return next;
    });

  return (
    <div className="screen">
      <div className="toolbar">
        <h2>🌳 Scope tree</h2>
      </div>
      <div className="tree-layout">
        <aside className="tree-pane">
          <NamePicker value={name} onPick={setName} label="Mark nodes defining" submitLabel="Mark" />
          {name ? (
            <p className="small">
              <span className="mark-dot" aria-hidden="true" /> marks where <code>{name}</code> is defined
              {inspection.data ? ` (${inspection.data.definitions.length})` : ''}.{' '}
              <button type="button" className="link" onClick={() => setName('')}>
                Clear
              </button>
            </p>
          ) : null}
          {error ? <ErrorBanner error={error} /> : null}
          {loading && !error ? <Loading what="scopes" /> : null}
          {!loading ? <Tree nodes={nodes} selectedId={selected.id} onSelect={setSelectedId} expanded={expanded} onToggle={toggle} /> : null}
        </aside>
        <section className="tree-detail">
          {selected.scope ? (
            <SecretsPanel key={selected.id} scope={selected.scope} maxHeight="calc(100vh - 300px)" />
          ) : (
            <div className="state empty">
              <h3>{selected.label}</h3>
              <p>
                {selected.count ?? 0} secrets below. Expand this folder and pick a {selected.id === 'functions' ? 'function' : 'group or key'} to see and edit its secrets.
              </p>
            </div>
          )}
        </section>
      </div>
    </div>
  );
}

interface TreeProps {
  nodes: TreeNode[];
  selectedId: string;
  onSelect: (id: string) => void;
  expanded: Set<string>;
  onToggle: (id: string) => void;
}

function Tree({ nodes, selectedId, onSelect, expanded, onToggle }: TreeProps): ReactNode {
  const scrollRef = useRef<HTMLDivElement>(null);
  // Virtual's functions are not memoizable; this component does not rely on the React Compiler.
  // oxlint-disable-next-line react/incompatible-library
  const virtualizer = useVirtualizer({ count: nodes.length, getScrollElement: () => scrollRef.current, estimateSize: () => ROW, overscan: 10 });
  const index = nodes.findIndex((n) => n.id === selectedId);

  const focusAt = (i: number) => {
    const n = nodes[i];
    if (!n) return;
    onSelect(n.id);
    virtualizer.scrollToIndex(i);
    requestAnimationFrame(() => scrollRef.current?.querySelector<HTMLElement>(`[data-node="${n.id}"]`)?.focus());
  };
  const onKey = (e: KeyboardEvent, n: TreeNode, i: number) => {
    if (e.key === 'ArrowDown') focusAt(i + 1);
    else if (e.key === 'ArrowUp') focusAt(i - 1);
    else if (e.key === 'ArrowRight' && n.expandable && !expanded.has(n.id)) onToggle(n.id);
    else if (e.key === 'ArrowLeft' && n.expandable && expanded.has(n.id)) onToggle(n.id);
    else if (e.key === 'Home') focusAt(0);
    else if (e.key === 'End') focusAt(nodes.length - 1);
    else return;
    e.preventDefault();
  };

  return (
    <div className="tree" role="tree" aria-label="Scopes" ref={scrollRef}>
      <div style={{ height: virtualizer.getTotalSize(), position: 'relative' }}>
        {virtualizer.getVirtualItems().map((item) => {
          const n = nodes[item.index]!;
          const sel = n.id === selectedId;
          return (
            <div
              key={n.id}
              role="treeitem"
              aria-level={n.depth + 1}
              aria-selected={sel}
              aria-expanded={n.expandable ? expanded.has(n.id) : undefined}
              data-node={n.id}
              data-marked={n.marked ? 'true' : undefined}
              tabIndex={sel || (index < 0 && item.index === 0) ? 0 : -1}
              className={`tree-node${sel ? ' selected' : ''}${n.marked ? ' marked' : ''}`}
              style={{ transform: `translateY(${item.start}px)`, height: ROW, paddingLeft: 8 + n.depth * 18 }}
              onClick={() => onSelect(n.id)}
              onKeyDown={(e) => onKey(e, n, item.index)}
            >
              {n.expandable ? (
                <button
                  type="button"
                  tabIndex={-1}
                  className="twisty"
                  aria-label={expanded.has(n.id) ? `Collapse ${n.label}` : `Expand ${n.label}`}
                  onClick={(e) => {
                    e.stopPropagation();
                    onToggle(n.id);
                  }}
                >
                  {expanded.has(n.id) ? '▾' : '▸'}
                </button>
              ) : (
                <span className="twisty" aria-hidden="true" />
              )}
              <span aria-hidden="true">{n.icon}</span>
              <span className="tree-label">{n.label}</span>
              {n.marked ? <span className="mark-dot" title="defines the picked secret" aria-label="defines the picked secret" /> : null}
              <span className="count" title={n.depth === 0 && n.expandable ? 'secrets below' : 'secrets here'} aria-label={`${n.count ?? 0} secrets`}>
                🔐 {n.count ?? '…'}
              </span>
            </div>
          );
        })}
      </div>
    </div>
  );
}
