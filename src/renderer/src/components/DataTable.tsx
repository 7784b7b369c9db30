// A sortable, filterable, virtualized table: TanStack Table computes the rows,
// TanStack Virtual renders only the visible ones, so 10,000 rows stay smooth.
import { useRef, type ReactNode } from 'react';
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

interface Props<T extends RowData> {
  label: string;
  columns: Column<T>[];
  data: T[];
  getRowId: (row: T) => string;
  /** CSS grid-template-columns for header and rows. */
  template: string;
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
}

export function DataTable<T extends RowData>(props: Props<T>): ReactNode {
  const { columns, data, template, rowHeight = 44 } = props;
  const filterColumns = props.filterColumns;
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
  const scrollRef = useRef<HTMLDivElement>(null);
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

  return (
    <div className="table" role="table" aria-label={props.label} aria-rowcount={rows.length + 1}>
      {table.getHeaderGroups().map((group) => (
        <div className="table-head" role="row" key={group.id} style={{ gridTemplateColumns: template }}>
          {group.headers.map((header) => {
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
                    <span aria-hidden="true" className="sort-mark">
                      {sorted === 'asc' ? '▲' : sorted === 'desc' ? '▼' : '↕'}
                    </span>
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
                aria-rowindex={item.index + 2}
                aria-selected={props.onActivate ? selected : undefined}
                className={`table-row${selected ? ' selected' : ''}${props.onActivate ? ' clickable' : ''}${extra ? ` ${extra}` : ''}`}
                style={{ gridTemplateColumns: template, height: rowHeight, transform: `translateY(${item.start}px)` }}
                tabIndex={props.onActivate ? 0 : undefined}
                onClick={props.onActivate ? () => props.onActivate?.(row.original) : undefined}
                onKeyDown={
                  props.onActivate
                    ? (e) => {
                        if (e.key === 'Enter' && e.target === e.currentTarget) props.onActivate?.(row.original);
                      }
                    : undefined
                }
              >
                {row.getAllCells().map((cell) => (
                  <div role="cell" key={cell.id}>
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
