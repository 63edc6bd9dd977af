// `npm run bench:jobs`: the background jobs' speed targets (issue "Jobs"), one scenario per job,
// each self-contained in bench/jobs-<scenario>.ts: it seeds its own desk into the bench database
// (emptied first), measures its job, and reports figures against a baseline of the same run and
// PASS/MISS against the target. See bench/README.md.
import { parseArgs } from 'node:util';
import { assertLocalDatabaseUrl } from '@/db/maintenance';
import { archiveScenario } from './jobs-archive';
import { dailyReportScenario } from './jobs-daily-report';
import { reassignScenario } from './jobs-reassign';
import type { JobScenario } from './lib-jobs';
import { integer } from './lib-print';

/** Every scenario, in the order they run. Add new ones here (and their file beside this one). */
const SCENARIOS: readonly JobScenario[] = [reassignScenario, dailyReportScenario, archiveScenario];

const scenarioOptions = SCENARIOS.flatMap((s) =>
  Object.entries(s.options).map(([name, option]) => ({ scenario: s.name, name, ...option })),
);

const HELP = `npm run bench:jobs -- [options]      (DATABASE_URL: a local Postgres database, emptied)
  --scenarios LIST   some of: ${SCENARIOS.map((s) => s.name).join(', ')} (default: all)
  --rounds N         each scenario's measurement N times (default 1)
${scenarioOptions.map((o) => `  --${o.name.padEnd(17)}${o.scenario}: ${o.help} (default ${o.default})`).join('\n')}
Refuses PGlite (no DATABASE_URL) and any database not on this machine. Every table of the
database is emptied. Exits 1 when a scenario's result is wrong (not when a target is missed).`;

const { values: flags } = parseArgs({
  options: {
    scenarios: { type: 'string' },
    rounds: { type: 'string' },
    help: { type: 'boolean', default: false },
    ...Object.fromEntries(scenarioOptions.map((o) => [o.name, { type: 'string' as const }])),
  },
});

async function main() {
  if (flags.help) {
    console.log(HELP);
    return;
  }
  const databaseUrl = process.env.DATABASE_URL;
  if (!databaseUrl) throw new Error('bench:jobs measures Postgres: set DATABASE_URL (PGlite is not benched)');
  assertLocalDatabaseUrl(databaseUrl);
  const names = flags.scenarios?.split(',').map((s) => s.trim()) ?? SCENARIOS.map((s) => s.name);
  const unknown = names.filter((n) => !SCENARIOS.some((s) => s.name === n));
  if (unknown.length > 0) throw new Error(`unknown scenarios: ${unknown.join(', ')}`);
  const rounds = integer('--rounds', flags.rounds, 1);
  console.log(`bench:jobs ${new Date().toISOString()} · rounds ${rounds}`);
  let failed = false;
  for (const scenario of SCENARIOS.filter((s) => names.includes(s.name))) {
    console.log(`\n== ${scenario.name}: ${scenario.what}`);
    const option = (name: string) => {
      const declared = scenario.options[name];
      if (!declared) throw new Error(`scenario ${scenario.name} has no option ${name}`);
      return integer(`--${name}`, (flags as Record<string, unknown>)[name], declared.default);
    };
    const outcome = await scenario.run({ databaseUrl, rounds, option });
    for (const line of outcome.lines) console.log(line);
    if (!outcome.correct) failed = true;
  }
  if (failed) process.exitCode = 1;
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
