// Small helpers every bench shares: its command-line integers and its result tables.

/** `raw` (a command-line value) as an integer ≥ `min`, or `fallback` when absent; throws naming `name`. */
export function integer(name: string, raw: unknown, fallback: number, min = 1): number {
  const value = Number(raw ?? fallback);
  if (!Number.isInteger(value) || value < min)
    throw new Error(`${name} must be an integer ≥ ${min}, got "${String(raw)}"`);
  return value;
}

/** Prints a table: the first two columns left-aligned, the others (figures) right-aligned. */
export function printTable(header: string[], rows: string[][]) {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: string[]) =>
    cells.map((c, i) => (i < 2 ? c.padEnd(widths[i] ?? 0) : c.padStart(widths[i] ?? 0))).join('  ');
  console.log(line(header));
  for (const row of rows) console.log(line(row));
}
