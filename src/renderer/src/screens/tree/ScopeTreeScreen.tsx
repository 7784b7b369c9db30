// Scope tree: every place a secret can live, with counts; pick a node to edit its
// secrets beside the tree; pick a secret name to mark every node that defines it.
import { useMemo, useRef, useState, type KeyboardEvent, type ReactNode } from 'react';
import { plural } from '../../components/format';
import { Icon } from '../../components/Icon';
import { useRoute, type Route } from '../../shell/route';
import { useVirtualizer } from '@tanstack/react-virtual';
import { crude } from '../../api/client';
import { NamePicker } from '../../components/NamePicker';
import { ErrorBanner, Loading } from '../../components/States';
import { useQuery } from '../../hooks/useQuery';
import { SecretsPanel } from '../secrets/SecretsPanel';
import { buildTree, type TreeNode } from './buildTree';

const ROW = 30;

type TreeRoute = Extract<Route, { screen: 'tree' }>;

/** The node a route names ("#/secrets/group/shipping"), once the records are loaded. */
function nodeIdOf(route: TreeRoute, data: { fns?: { id: number; name: string }[]; groups?: { id: number; name: string }[]; keys?: { id: number; name: string; groupName: string }[] }): string | null {
  if (!route.scope || !route.record) return null;
  if (route.scope === 'function') return data.fns?.find((f) => f.name === route.record) ? `f${data.fns.find((f) => f.name === route.record)!.id}` : null;
  if (route.scope === 'group') return data.groups?.find((g) => g.name === route.record) ? `g${data.groups.find((g) => g.name === route.record)!.id}` : null;
  const k = data.keys?.find((x) => x.name === route.record && (!route.group || x.groupName === route.group));
  return k ? `k${k.id}` : null;
}

export function ScopeTreeScreen({ route }: { route: TreeRoute }): ReactNode {
  const { replace } = useRoute();
  const refresh = ['secrets.', 'functions.', 'groups.', 'keys.'];
  const global = useQuery(() => crude().secrets.list({ scope: 'global' }), [], ['secrets.']);
  const fns = useQuery(() => crude().functions.list({}), [], refresh);
  const groups = useQuery(() => crude().groups.list({}), [], refresh);
  const keys = useQuery(() => crude().keys.list({}), [], refresh);
  const [name, setName] = useState('');
  const inspection = useQuery(() => (name ? crude().secrets.inspect({ name }) : Promise.resolve(null)), [name], ['secrets.']);
  const [expanded, setExpanded] = useState<Set<string>>(() => new Set(['functions', 'groups']));
  const [picked, setPicked] = useState<string | null>(null);
  const selectedId = picked ?? nodeIdOf(route, { fns: fns.data, groups: groups.data, keys: keys.data }) ?? 'global';
  // A link to a key opens its group in the tree, so the key's node is there to select.
  const routedKeyGroup = route.scope === 'key' ? keys.data?.find((k) => k.name === route.record && (!route.group || k.groupName === route.group))?.groupId : undefined;
  const shownExpanded = useMemo(
    () => (routedKeyGroup === undefined || expanded.has(`g${routedKeyGroup}`) ? expanded : new Set([...expanded, `g${routedKeyGroup}`])),
    [expanded, routedKeyGroup],
  );

  const nodes = useMemo(
    () =>
      buildTree({
        globalCount: global.data?.length ?? null,
        functions: fns.data ?? [],
        groups: groups.data ?? [],
        keys: keys.data ?? [],
        expanded: shownExpanded,
        definitions: inspection.data?.definitions ?? null,
      }),
    [global.data, fns.data, groups.data, keys.data, shownExpanded, inspection.data],
  );
  const selected = nodes.find((n) => n.id === selectedId) ?? nodes[0]!;
  // Picking a node puts it in the URL, so a reload (or a link) opens the same scope.
  const select = (id: string) => {
    setPicked(id);
    const n = nodes.find((x) => x.id === id);
    const s = n?.scope;
    if (!s || s.scope === 'global') replace({ screen: 'tree' });
    else if (s.scope === 'key') replace({ screen: 'tree', scope: 'key', record: s.recordName ?? '', group: keys.data?.find((k) => `k${k.id}` === id)?.groupName });
    else replace({ screen: 'tree', scope: s.scope, record: s.recordName ?? '' });
  };
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
        <h1 tabIndex={-1}>
          <Icon name="tree" /> Scope tree
        </h1>
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
          {!loading ? <Tree nodes={nodes} selectedId={selected.id} onSelect={select} expanded={shownExpanded} onToggle={toggle} /> : null}
        </aside>
        <section className="tree-detail">
          {selected.scope ? (
            <SecretsPanel key={selected.id} scope={selected.scope} maxHeight="calc(100vh - 300px)" />
          ) : (
            <div className="state empty">
              <h2>{selected.label}</h2>
              <p>
                {plural(selected.count ?? 0, 'secret')} below. Expand this folder and pick a {selected.id === 'functions' ? 'function' : 'group or key'} to see and edit its secrets.
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
                // A mouse target only: the tree item itself says expanded or not, and the
                // arrow keys toggle it, so the twisty adds nothing to the item's name.
                <span
                  className="twisty clickable"
                  aria-hidden="true"
                  title={expanded.has(n.id) ? `Collapse ${n.label}` : `Expand ${n.label}`}
                  data-toggle={n.id}
                  onClick={(e) => {
                    e.stopPropagation();
                    onToggle(n.id);
                  }}
                >
                  <Icon name={expanded.has(n.id) ? 'collapse' : 'expand'} />
                </span>
              ) : (
                <span className="twisty" aria-hidden="true" />
              )}
              <Icon name={n.icon} />
              <span className="tree-label">{n.label}</span>
              {n.marked ? (
                <span className="mark-dot" title="defines the picked secret">
                  <span className="sr-only">, defines the picked secret</span>
                </span>
              ) : null}
              <span className="count" title={n.depth === 0 && n.expandable ? 'secrets below' : 'secrets here'}>
                <span className="sr-only">, </span>
                {n.count ?? '…'}
                <span className="sr-only"> {n.count === 1 ? 'secret' : 'secrets'}</span>
              </span>
            </div>
          );
        })}
      </div>
    </div>
  );
}
