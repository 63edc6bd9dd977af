// Background-job benchmarks: `npm run bench:jobs -- --help`. See bench/README.md.
import os from 'node:os';
import { parseArgs } from 'node:util';
import { benchDailyReport } from './lib-jobs-daily-report';

const HELP = `npm run bench:jobs -- [options]
  --scenarios LIST   daily-report                     (default: all)
  --messages N       messages in the reported department-day (default 1000000)
  --other N          another department's messages at the same instants (default 250000)
  --clients N        clients (episodes) of the department that day (default 50000)
  --runs N           measured runs of each step, after one unmeasured (default 5)
Database: DATABASE_URL, a Postgres on this machine; every table is emptied and seeded.`;

const { values: flags } = parseArgs({
  options: {
    scenarios: { type: 'string' },
    messages: { type: 'string' },
    other: { type: 'string' },
    clients: { type: 'string' },
    runs: { type: 'string' },
    help: { type: 'boolean', default: false },
  },
});

/** The daily report's target per department-day (the jobs issue). */
const DAILY_REPORT_TARGET_MS = 2_000;

const stats = (ms: number[]) => {
  const sorted = [...ms].sort((a, b) => a - b);
  const median = sorted[Math.floor(sorted.length / 2)] ?? NaN;
  return { median, max: sorted[sorted.length - 1] ?? NaN };
};
const f = (ms: number) => `${ms.toFixed(0)} ms`;

async function dailyReport(url: string): Promise<boolean> {
  const messages = Number(flags.messages ?? 1_000_000);
  const result = await benchDailyReport({
    url,
    messages,
    otherMessages: Number(flags.other ?? 250_000),
    clients: Number(flags.clients ?? 50_000),
    runs: Number(flags.runs ?? 5),
  });
  const baseline = stats(result.baselineMs);
  const report = stats(result.reportMs);
  const operator = stats(result.operatorStatsMs);
  const countsOk = JSON.stringify(result.figures) === JSON.stringify(result.expected);
  const pass = report.max <= DAILY_REPORT_TARGET_MS && countsOk;
  console.log(
    `daily-report · ${messages.toLocaleString('en')} messages in ${result.timeZone}'s ${result.day}`,
  );
  console.log(`  seed                         ${result.seedSeconds.toFixed(1)} s`);
  console.log(`  baseline (count the day)     median ${f(baseline.median)}, max ${f(baseline.max)}`);
  console.log(
    `  report of the department-day median ${f(report.median)}, max ${f(report.max)} · ${(report.median / baseline.median).toFixed(1)}× baseline · target ≤ ${f(DAILY_REPORT_TARGET_MS)}: ${pass ? 'PASS' : 'MISS'}`,
  );
  console.log(`  one operator's day           median ${f(operator.median)}, max ${f(operator.max)}`);
  console.log(`  daily-report job, 2 depts    ${f(result.jobMs)}`);
  console.log(
    `  counts ${countsOk ? 'match' : 'DIFFER'}: ${JSON.stringify(result.figures)}${countsOk ? '' : ` expected ${JSON.stringify(result.expected)}`}`,
  );
  return pass;
}

const SCENARIOS: Record<string, (url: string) => Promise<boolean>> = { 'daily-report': dailyReport };

async function main() {
  if (flags.help) return console.log(HELP);
  const url = process.env.DATABASE_URL;
  if (!url)
    throw new Error('Set DATABASE_URL to a Postgres database on this machine (PGlite is not benched).');
  const names = flags.scenarios ? flags.scenarios.split(',') : Object.keys(SCENARIOS);
  console.log(`${new Date().toISOString()} · ${os.cpus().length} cores · node ${process.version}`);
  let ok = true;
  for (const name of names) {
    const scenario = SCENARIOS[name];
    if (!scenario) throw new Error(`No scenario "${name}". Scenarios: ${Object.keys(SCENARIOS).join(', ')}.`);
    ok = (await scenario(url)) && ok;
  }
  process.exitCode = ok ? 0 : 1;
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
