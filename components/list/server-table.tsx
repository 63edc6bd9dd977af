'use client';

import {
  flexRender,
  getCoreRowModel,
  useReactTable,
  type Table,
  type TableOptions,
} from '@tanstack/react-table';

/**
 * A TanStack table whose rows the server has already sorted, filtered and paged: the one place
 * the dashboard's lists build their table (sorting and paging stay manual).
 */
export function useServerTable<T>(
  options: Omit<TableOptions<T>, 'getCoreRowModel' | 'manualSorting' | 'manualPagination'>,
): Table<T> {
  return useReactTable({
    ...options,
    getCoreRowModel: getCoreRowModel(),
    manualSorting: true,
    manualPagination: true,
  });
}

/**
 * Renders a TanStack table whose rows are sorted on the server: a header whose column id is in
 * `sortFields` is a button that asks for that list ordering field (descending first, then
 * ascending) through `onOrder`, and says its state in `aria-sort`. `cellClass` gives a column's
 * header and cells extra classes (e.g. `hidden md:table-cell` for columns a phone can spare).
 */
export function ServerTable<T>({
  table,
  ordering,
  sortFields,
  onOrder,
  cellClass = {},
  caption,
  testId,
  rowTestId,
}: {
  table: Table<T>;
  /** The current ordering, e.g. `-createdAt`. */
  ordering: string;
  /** Column id → the list's ordering field. */
  sortFields: Record<string, string>;
  onOrder: (ordering: string) => void;
  cellClass?: Record<string, string>;
  /** Read by screen readers only. */
  caption: string;
  testId?: string;
  rowTestId?: string;
}) {
  const sortOf = (id: string) => {
    const field = sortFields[id];
    if (!field) return null;
    return ordering === field ? 'ascending' : ordering === `-${field}` ? 'descending' : 'none';
  };
  const toggle = (id: string) => {
    const field = sortFields[id];
    if (field) onOrder(ordering === `-${field}` ? field : `-${field}`);
  };
  return (
    <div className="overflow-x-auto rounded-box bg-base-100">
      <table className="table table-sm md:table-md" data-testid={testId}>
        <caption className="sr-only">{caption}</caption>
        <thead>
          {table.getHeaderGroups().map((group) => (
            <tr key={group.id}>
              {group.headers.map((header) => {
                const sort = sortOf(header.column.id);
                const label = flexRender(header.column.columnDef.header, header.getContext());
                return (
                  <th key={header.id} aria-sort={sort ?? undefined} className={cellClass[header.column.id]}>
                    {sort ? (
                      <button
                        type="button"
                        className="flex items-center gap-1"
                        onClick={() => toggle(header.column.id)}
                      >
                        {label}
                        <span aria-hidden>
                          {sort === 'ascending' ? '▲' : sort === 'descending' ? '▼' : '↕'}
                        </span>
                      </button>
                    ) : (
                      label
                    )}
                  </th>
                );
              })}
            </tr>
          ))}
        </thead>
        <tbody>
          {table.getRowModel().rows.map((row) => (
            <tr key={row.id} className="hover:bg-base-200" data-testid={rowTestId}>
              {row.getVisibleCells().map((cell) => (
                <td key={cell.id} className={cellClass[cell.column.id]}>
                  {flexRender(cell.column.columnDef.cell, cell.getContext())}
                </td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
