// A sortable, filterable, virtualized table: TanStack Table computes the rows,
// TanStack Virtual renders only the visible ones, so 10,000 rows stay smooth.
// Keyboard: the table is one Tab stop; arrow keys move between rows (as grids do), and
// left/right between a row's buttons; Enter opens the row. In a narrow window the
// columns a caller marks as optional fold away first (no horizontal scrolling).
import { useEffect, useLayoutEffect, useRef, useState, type KeyboardEvent, type ReactNode } from 'react';
import {
  columnFilteringFeature,
  createFilteredRowModel,
  createSortedRowModel,
  filterFn_includesString,
  globalFilteringFeature,
  rowSortingFeature,
  sortFn_alphanumeric,
  sortFn_datetime,
  sortFn_basic,
  tableFeatures,
  useTable,
  type ColumnDef,
  type RowData,
} from '@tanstack/react-table';
import { useVirtualizer } from '@tanstack/react-virtual';
import { Icon } from './Icon';

export const tableFeatureSet = tableFeatures({
  rowSortingFeature,
  sortedRowModel: createSortedRowModel(),
  sortFns: { alphanumeric: sortFn_alphanumeric, datetime: sortFn_datetime, basic: sortFn_basic },
  columnFilteringFeature,
  globalFilteringFeature,
  filteredRowModel: createFilteredRowModel(),
  filterFns: { includesString: filterFn_includesString },
});
export type Features = typeof tableFeatureSet;
export type Column<T extends RowData> = ColumnDef<Features, T, any>;

/** Below `below` px of table width, use `template` and leave out the `hide` columns. */
export interface Collapse {
  below: number;
  template: string;
  hide: string[];
}

interface Props<T extends RowData> {
  label: string;
  columns: Column<T>[];
  data: T[];
  getRowId: (row: T) => string;
  /** CSS grid-template-columns for header and rows. */
  template: string;
  /** Narrower layouts, widest first. */
  collapse?: Collapse[];
  /** Text filter across `filterColumns`. */
  filter?: string;
  filterColumns?: string[];
  rowHeight?: number;
  /** Max height of the scrolling body, CSS length. */
  maxHeight?: string;
  selectedId?: string | null;
  onActivate?: (row: T) => void;
  rowClassName?: (row: T) => string | undefined;
  /** Shown when the filter matches nothing (the caller handles "no data at all"). */
  noMatch?: ReactNode;
  /** Told how many rows the filter lets through, so a count beside the table can agree. */
  onRowCount?: (shown: number) => void;
}

const CONTROLS = 'button, input, select, textarea, a[href]';

export function DataTable<T extends RowData>(props: Props<T>): ReactNode {
  const { columns, data, rowHeight = 44 } = props;
  const filterColumns = props.filterColumns;
  const rootRef = useRef<HTMLDivElement>(null);
  const scrollRef = useRef<HTMLDivElement>(null);
  // The rows' width: the body's, which a vertical scrollbar narrows.
  const width = useWidth(scrollRef);
  const layout = [...(props.collapse ?? [])].sort((a, b) => a.below - b.below).find((c) => width > 0 && width < c.below);
  const template = layout?.template ?? props.template;
  const hidden = new Set(layout?.hide ?? []);
  const table = useTable({
    features: tableFeatureSet,
    columns,
    data,
    getRowId: (row: T) => props.getRowId(row),
    state: { globalFilter: props.filter ?? '' },
    onGlobalFilterChange: () => {},
    globalFilterFn: 'includesString',
    getColumnCanGlobalFilter: (c) => (filterColumns ? filterColumns.includes(c.id) : true),
  });
  const rows = table.getRowModel().rows;
  const { onRowCount } = props;
  useEffect(() => onRowCount?.(rows.length), [rows.length, onRowCount]);
  const [active, setActive] = useState(0);
  const activeIndex = Math.min(active, Math.max(rows.length - 1, 0));
  // Virtual's functions are not memoizable; this component does not rely on the React Compiler.
  // oxlint-disable-next-line react/incompatible-library
  const virtualizer = useVirtualizer({
    count: rows.length,
    getScrollElement: () => scrollRef.current,
    estimateSize: () => rowHeight,
    getItemKey: (i) => rows[i]?.id ?? i,
    overscan: 8,
    // Rows are rendered in the first pass, before the scroll element exists to be measured
    // (the window's height is an upper bound; the measurement trims the extra rows).
    initialRect: { width: 0, height: window.innerHeight },
  });

  // The buttons inside rows are reached with the arrow keys, not Tab: a long list must not
  // be four Tab stops per row. Rows come and go as they scroll, so this is kept up as they do.
  useLayoutEffect(() => {
    const body = scrollRef.current;
    if (!body) return;
    const apply = () => body.querySelectorAll<HTMLElement>(`[role='row'] :is(${CONTROLS})`).forEach((el) => el.setAttribute('tabindex', '-1'));
    apply();
    const mo = new MutationObserver(apply);
    mo.observe(body, { childList: true, subtree: true });
    return () => mo.disconnect();
  }, []);

  const focusRow = (i: number) => {
    const n = Math.max(0, Math.min(rows.length - 1, i));
    setActive(n);
    virtualizer.scrollToIndex(n);
    requestAnimationFrame(() => scrollRef.current?.querySelector<HTMLElement>(`[role='row'][data-index='${n}']`)?.focus());
  };
  const onRowKey = (e: KeyboardEvent<HTMLDivElement>, index: number, row: T) => {
    const rowEl = e.currentTarget;
    const controls = [...rowEl.querySelectorAll<HTMLElement>(CONTROLS)].filter((c) => !(c as HTMLButtonElement).disabled);
    const at = controls.indexOf(document.activeElement as HTMLElement);
    switch (e.key) {
      case 'ArrowDown':
        focusRow(index + 1);
        break;
      case 'ArrowUp':
        focusRow(index - 1);
        break;
      case 'Home':
        if (e.target !== rowEl) return;
        focusRow(0);
        break;
      case 'End':
        if (e.target !== rowEl) return;
        focusRow(rows.length - 1);
        break;
      case 'ArrowRight':
        if (controls.length === 0 || (e.target as HTMLElement).tagName === 'INPUT') return;
        controls[Math.min(at + 1, controls.length - 1)]?.focus();
        break;
      case 'ArrowLeft':
        if ((e.target as HTMLElement).tagName === 'INPUT') return;
        if (at <= 0) rowEl.focus();
        else controls[at - 1]?.focus();
        break;
      case 'Escape':
        if (e.target === rowEl) return;
        rowEl.focus();
        break;
      case 'Enter':
        if (e.target !== rowEl || !props.onActivate) return;
        props.onActivate(row);
        break;
      default:
        return;
    }
    e.preventDefault();
  };

  const visibleHeaders = (group: ReturnType<typeof table.getHeaderGroups>[number]) => group.headers.filter((h) => !hidden.has(h.column.id));
  return (
    <div className="table" role="table" aria-label={props.label} aria-rowcount={rows.length + 1} ref={rootRef}>
      {table.getHeaderGroups().map((group) => (
        <div className="table-head" role="row" key={group.id} style={{ gridTemplateColumns: template }}>
          {visibleHeaders(group).map((header) => {
            const sorted = header.column.getIsSorted();
            const canSort = header.column.getCanSort() && header.column.columnDef.enableSorting !== false;
            return (
              <div
                role="columnheader"
                key={header.id}
                aria-sort={sorted === 'asc' ? 'ascending' : sorted === 'desc' ? 'descending' : undefined}
              >
                {header.isPlaceholder ? null : canSort ? (
                  <button type="button" className="sort" onClick={header.column.getToggleSortingHandler()}>
                    <table.FlexRender header={header} />
                    <Icon name={sorted === 'asc' ? 'sortAsc' : sorted === 'desc' ? 'sortDesc' : 'sortNone'} className="sort-mark" />
                  </button>
                ) : (
                  <table.FlexRender header={header} />
                )}
              </div>
            );
          })}
        </div>
      ))}
      <div className="table-body" ref={scrollRef} style={{ maxHeight: props.maxHeight ?? 'calc(100vh - 260px)' }}>
        {rows.length === 0 && props.noMatch ? <div className="table-nomatch">{props.noMatch}</div> : null}
        <div style={{ height: virtualizer.getTotalSize(), position: 'relative' }}>
          {virtualizer.getVirtualItems().map((item) => {
            const row = rows[item.index];
            if (!row) return null;
            const selected = props.selectedId === row.id;
            const extra = props.rowClassName?.(row.original);
            return (
              <div
                role="row"
                key={row.id}
                data-index={item.index}
                aria-rowindex={item.index + 2}
                aria-selected={props.onActivate ? selected : undefined}
                className={`table-row${selected ? ' selected' : ''}${props.onActivate ? ' clickable' : ''}${extra ? ` ${extra}` : ''}`}
                style={{ gridTemplateColumns: template, height: rowHeight, transform: `translateY(${item.start}px)` }}
                tabIndex={item.index === activeIndex ? 0 : -1}
                onFocus={() => setActive(item.index)}
                onClick={props.onActivate ? () => props.onActivate?.(row.original) : undefined}
                onKeyDown={(e) => onRowKey(e, item.index, row.original)}
              >
                {row
                  .getAllCells()
                  .filter((cell) => !hidden.has(cell.column.id))
                  .map((cell) => (
                    <div role="cell" key={cell.id} className={`cell-${cell.column.id}`}>
                      <table.FlexRender cell={cell} />
                    </div>
                  ))}
              </div>
            );
          })}
        </div>
      </div>
    </div>
  );
}

/** The element's width, kept up to date (0 before the first measurement). */
function useWidth(ref: React.RefObject<HTMLElement | null>): number {
  const [w, setW] = useState(0);
  useLayoutEffect(() => {
    const el = ref.current;
    if (!el) return;
    setW(el.clientWidth);
    const ro = new ResizeObserver(() => setW(el.clientWidth));
    ro.observe(el);
    return () => ro.disconnect();
  }, [ref]);
  return w;
}
