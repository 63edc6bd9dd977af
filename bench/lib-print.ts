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

/** One measured run as the load benches (bench:api, bench:dashboard) print it. */
export type LoadRun = {
  name: string;
  /** Requests per second. */
  rate: number;
  /** Latency percentiles and maximum, ms. */
  p50: number;
  p95: number;
  p99: number;
  max: number;
  /** Server and Postgres CPU ms per request, the machine's busy %, other work's CPU seconds. */
  cpu: { serverMs: number; postgresMs: number; busyPercent: number; otherSeconds: number };
};

/**
 * Prints every run with its throughput as a ratio to `baseRate` (the mean baseline of the same
 * bench run), then the baselines' rates. `digits`: decimals of the rate and of the CPU columns.
 */
export function printLoadRuns(
  runs: LoadRun[],
  baselineRates: number[],
  baseRate: number,
  { nameHeader, digits }: { nameHeader: string; digits: { rate: number; cpu: number } },
) {
  const fixed = (n: number) => n.toFixed(1);
  printTable(
    [
      'run',
      nameHeader,
      'req/s',
      'p50',
      'p95',
      'p99',
      'max',
      'server ms/req',
      'pg ms/req',
      'busy',
      'other cpu s',
      'ratio',
    ],
    runs.map((r, i) => [
      String(i + 1),
      r.name,
      r.rate.toFixed(digits.rate),
      fixed(r.p50),
      fixed(r.p95),
      fixed(r.p99),
      fixed(r.max),
      r.cpu.serverMs.toFixed(digits.cpu),
      r.cpu.postgresMs.toFixed(digits.cpu),
      `${r.cpu.busyPercent.toFixed(0)}%`,
      r.cpu.otherSeconds.toFixed(1),
      (r.rate / baseRate).toFixed(2),
    ]),
  );
  console.log(
    `latency in ms; ratio = req/s ÷ mean baseline req/s of this run; baseline ${baselineRates
      .map((rate) => rate.toFixed(digits.rate))
      .join(', ')} req/s, mean ${baseRate.toFixed(digits.rate)}`,
  );
}
