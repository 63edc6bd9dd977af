// A table that turns into cards below the md breakpoint (for settings lists whose every column
// matters, where the clients and operators tables instead hide the columns a phone can spare):
// the header row hides and each cell shows its column's name (data-label) before its value, so
// nothing scrolls sideways at 390 px. Server components: no state, no 'use client'.

const LABELLED_CELL =
  'align-top max-md:flex max-md:gap-3 max-md:py-1 max-md:before:w-28 max-md:before:shrink-0 max-md:before:font-medium max-md:before:opacity-70 max-md:before:content-[attr(data-label)]';
const PLAIN_CELL = 'align-top max-md:flex max-md:py-1';

/**
 * The table and its header. `columns` are the header cells in order; one with `hidden: true` is
 * read by screen readers only (e.g. an actions column). Rows are CardRow children.
 */
export function CardTable({
  columns,
  testId,
  children,
}: {
  columns: { label: string; hidden?: boolean }[];
  testId?: string;
  children: React.ReactNode;
}) {
  return (
    <div className="rounded-box bg-base-100 shadow-sm md:overflow-x-auto">
      <table className="table max-md:block" data-testid={testId}>
        <thead className="max-md:hidden">
          <tr>
            {columns.map((column, i) => (
              <th key={i}>
                {column.hidden ? <span className="sr-only">{column.label}</span> : column.label}
              </th>
            ))}
          </tr>
        </thead>
        <tbody className="max-md:block">{children}</tbody>
      </table>
    </div>
  );
}

/** One row: a card below md. Other props (data-testid, data-*-id…) go to the `<tr>`. */
export function CardRow({ children, ...row }: React.ComponentProps<'tr'>) {
  return (
    <tr {...row} className="max-md:block max-md:border-b max-md:border-base-300 max-md:py-2">
      {children}
    </tr>
  );
}

/**
 * One cell. With `label` (its column's name) the card shows the label before the value; without
 * one (a row's buttons) the value stands alone.
 */
export function CardCell({ label, children }: { label?: string; children: React.ReactNode }) {
  return (
    <td data-label={label} className={label ? LABELLED_CELL : PLAIN_CELL}>
      {children}
    </td>
  );
}
