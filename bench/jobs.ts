// `npm run bench:jobs [-- --scenarios reassign,… --rounds N]`: the background jobs at the sizes
// the Jobs issue names, on the local Postgres of DATABASE_URL (emptied: never a shared database).
// Each scenario reports its time per round next to a baseline measured in the same round, with
// the date, and PASS/MISS against its target.
import os from 'node:os';
import { parseArgs } from 'node:util';
import { assertLocalDatabase } from './lib-db';
import { runReassignScenario } from './lib-jobs-reassign';

type ScenarioReport = { name: string; target: string; lines: string[]; pass: boolean };

const SCENARIOS: Record<string, (url: string, rounds: number) => Promise<ScenarioReport>> = {
  reassign: async (url, rounds) => {
    const results = await runReassignScenario({ url, rounds });
    const worst = Math.max(...results.map((r) => r.reassignMs));
    return {
      name: 'reassign',
      target: 'reassign 10,000 clients ≤ 2 s',
      pass: worst <= 2_000,
      lines: results.map(
        (r) =>
          `round ${r.round}: reassign ${r.moved} clients ${r.reassignMs.toFixed(0)} ms · baseline UPDATE of the same rows ${r.baselineMs.toFixed(0)} ms · ratio ${(r.reassignMs / r.baselineMs).toFixed(1)}× · load spread ${r.loadSpread}`,
      ),
    };
  },
};

async function main() {
  const { values } = parseArgs({
    options: {
      scenarios: { type: 'string' },
      rounds: { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help) {
    console.log(
      `Usage: DATABASE_URL=postgres://…/bench_jobs npm run bench:jobs -- [--scenarios ${Object.keys(SCENARIOS).join(',')}] [--rounds 3]`,
    );
    return;
  }
  const url = process.env.DATABASE_URL;
  if (!url) throw new Error('bench:jobs needs DATABASE_URL: a local Postgres database it may empty.');
  assertLocalDatabase(url);
  const names = values.scenarios ? values.scenarios.split(',') : Object.keys(SCENARIOS);
  const rounds = Number(values.rounds ?? 3);
  const load = os
    .loadavg()
    .map((l) => l.toFixed(1))
    .join(' ');
  console.log(`bench:jobs ${new Date().toISOString()} · ${os.cpus().length} cores · load average ${load}`);
  let allPass = true;
  for (const name of names) {
    const scenario = SCENARIOS[name];
    if (!scenario)
      throw new Error(`unknown scenario "${name}"; scenarios: ${Object.keys(SCENARIOS).join(', ')}`);
    const report = await scenario(url, rounds);
    console.log(`\n${report.name} (target: ${report.target}) — ${report.pass ? 'PASS' : 'MISS'}`);
    for (const line of report.lines) console.log(`  ${line}`);
    allPass &&= report.pass;
  }
  console.log(`\nRESULT ${allPass ? 'all targets met' : 'a target missed'}`);
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exitCode = 1;
});
