// Webhook ingest benchmark: `npm run bench:ingest -- --help`. See bench/README.md.
import os from 'node:os';
import { parseArgs } from 'node:util';
import {
  assertLocalDatabase,
  backendPids,
  outboundByStatus,
  prepareDatabase,
  setOperatorsOnline,
  verifyCounts,
  waitForOutboundIdle,
  type Ranges,
} from './lib-db';
import {
  buildPosts,
  checkAnswers,
  createTarget,
  percentile,
  runLoad,
  type LoadResult,
  type Plan,
} from './lib-load';
import { startCpuMeter, type CpuReport } from './lib-cpu';
import { buildApp, startBaselineServer, startServer, waitForHealth, type Server } from './lib-server';
import { printTable } from './lib-print';
import { startTelegramServer } from '../tests/support/telegram-server';

const HELP = `npm run bench:ingest -- [options]
  --scenarios LIST   baseline,staffed,queued     (BENCH_SCENARIOS, default all three)
  --rounds N         repeat the app scenarios N times, a baseline after each round
                                                 (BENCH_ROUNDS, default 1)
  --updates N        measured updates per run    (BENCH_UPDATES, default 5000)
  --duplicates P     re-posted updates, % of N   (BENCH_DUPLICATES, default 10)
  --clients N        distinct Telegram users     (BENCH_CLIENTS, default 500)
  --concurrency N    requests in flight          (BENCH_CONCURRENCY, default 32)
  --pool-max N       both servers' pool size     (BENCH_POOL_MAX, default 10)
  --warmup N         unmeasured warm-up updates  (BENCH_WARMUP, default 1000)
  --port N           port for next start         (BENCH_PORT, default 3300)
  --baseline-port N  port for the baseline server (default: --port + 1)
  --skip-build       reuse .next-bench if it holds a build
  --url URL          bench a running server instead (staffed only; no build, start or seed)
  --secret S         its webhook secret (with --url)
Database: BENCH_DATABASE_URL (default postgres://postgres@127.0.0.1:5432/desk_bench);
with --url, rows are counted only if BENCH_DATABASE_URL or DATABASE_URL is set.
Order: baseline, then each round's app scenarios followed by a baseline; ratios are to the mean
of the baselines of the same run.`;

const { values: flags } = parseArgs({
  options: {
    scenarios: { type: 'string' },
    rounds: { type: 'string' },
    updates: { type: 'string' },
    duplicates: { type: 'string' },
    clients: { type: 'string' },
    concurrency: { type: 'string' },
    'pool-max': { type: 'string' },
    warmup: { type: 'string' },
    port: { type: 'string' },
    'baseline-port': { type: 'string' },
    'skip-build': { type: 'boolean', default: false },
    url: { type: 'string' },
    secret: { type: 'string' },
    help: { type: 'boolean', default: false },
  },
});

function integer(name: string, flag: string | undefined, envName: string, fallback: number, min = 1): number {
  const raw = flag ?? process.env[envName] ?? String(fallback);
  const value = Number(raw);
  if (!Number.isInteger(value) || value < min)
    throw new Error(`${name} must be an integer ≥ ${min}, got "${raw}"`);
  return value;
}

const OPERATORS = 10;

const SCENARIOS = ['baseline', 'staffed', 'queued'] as const;
type Scenario = (typeof SCENARIOS)[number];

const DESCRIPTIONS: Record<Scenario, string> = {
  baseline: 'bare node:http + postgres.js, one insert per update (bench/baseline-server.ts)',
  staffed: `${OPERATORS} operators online with capacity for every client`,
  queued: 'nobody online: every client queued, one queue auto-reply each',
};

/** Targets of the issue "Field reports and hardening", as shares of the same-run baseline. */
const TARGETS: Partial<Record<Scenario, { ratio: number; p99Ms: number }>> = {
  staffed: { ratio: 0.8, p99Ms: 100 },
  queued: { ratio: 0.6, p99Ms: 100 },
};

function parseScenarios(raw: string): Scenario[] {
  const names = raw
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  const known = new Set<string>(SCENARIOS);
  const unknown = names.filter((n) => !known.has(n));
  if (unknown.length > 0 || names.length === 0)
    throw new Error(`--scenarios takes a list of ${SCENARIOS.join(', ')}; got "${raw}"`);
  // Always in the canonical order, each once.
  return SCENARIOS.filter((s) => names.includes(s));
}

/** baseline first; then per round the app scenarios and, when benched, a baseline again. */
function runOrder(scenarios: Scenario[], rounds: number): Scenario[] {
  const app = scenarios.filter((s) => s !== 'baseline');
  const withBaseline = scenarios.includes('baseline');
  const order: Scenario[] = withBaseline ? ['baseline'] : [];
  for (let r = 0; r < rounds; r++) order.push(...app, ...(withBaseline ? (['baseline'] as const) : []));
  return order;
}

const WARMUP_CLIENTS = 50;
const SECRET = 'bench-secret';
const MAX_RUNS = 10;

type RunRecord = {
  scenario: Scenario;
  rate: number;
  p50: number;
  p95: number;
  p99: number;
  max: number;
  cpu?: CpuReport;
};

async function main(): Promise<number> {
  if (flags.help) {
    console.log(HELP);
    return 0;
  }
  const updates = integer('--updates', flags.updates, 'BENCH_UPDATES', 5000);
  const duplicates = integer('--duplicates', flags.duplicates, 'BENCH_DUPLICATES', 10, 0);
  const clients = integer('--clients', flags.clients, 'BENCH_CLIENTS', 500);
  const concurrency = integer('--concurrency', flags.concurrency, 'BENCH_CONCURRENCY', 32);
  const poolMax = integer('--pool-max', flags['pool-max'], 'BENCH_POOL_MAX', 10);
  const warmup = integer('--warmup', flags.warmup, 'BENCH_WARMUP', 1000);
  const port = integer('--port', flags.port, 'BENCH_PORT', 3300);
  const baselinePort = integer('--baseline-port', flags['baseline-port'], 'BENCH_BASELINE_PORT', port + 1);
  const rounds = integer('--rounds', flags.rounds, 'BENCH_ROUNDS', 1);
  const external = flags.url !== undefined;
  const scenarios = parseScenarios(
    flags.scenarios ?? process.env.BENCH_SCENARIOS ?? (external ? 'staffed' : SCENARIOS.join(',')),
  );
  if (duplicates > 100) throw new Error('--duplicates is a percentage of --updates: 0–100');
  if (clients >= 900_000 || updates >= 90_000_000)
    throw new Error('too many clients or updates for the id ranges');
  if (external && scenarios.some((s) => s !== 'staffed'))
    throw new Error(
      'with --url only the staffed scenario runs (the others need the bench database and servers)',
    );
  const order = runOrder(scenarios, rounds);
  if (order.length > MAX_RUNS) throw new Error(`at most ${MAX_RUNS} runs; lower --rounds`);
  const databaseUrl = external
    ? (process.env.BENCH_DATABASE_URL ?? process.env.DATABASE_URL)
    : (process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/desk_bench');
  if (databaseUrl && !external) assertLocalDatabase(databaseUrl);
  const date = new Date().toISOString().slice(0, 10);

  // Ids are unique per run of the bench and per scenario run within it, so a server whose
  // database is not emptied can be benched again.
  const runTag = Math.floor(Date.now() / 1000) % 10_000;
  const plansOf = (run: number) => {
    const measured: Plan = {
      updates,
      clients,
      userBase: 5_000_000_000 + runTag * 10_000_000 + run * 1_000_000,
      updateBase: runTag * 1_000_000_000 + run * 100_000_000,
      label: 'Bench',
    };
    const warm: Plan = {
      updates: warmup,
      clients: WARMUP_CLIENTS,
      userBase: measured.userBase + 900_000,
      updateBase: measured.updateBase + 90_000_000,
      label: 'Warmup',
    };
    return { measured, warm };
  };

  console.log(
    `machine: ${os.cpus().length} cpus (${os.cpus()[0]?.model ?? '?'}), ` +
      `${Math.round(os.totalmem() / 2 ** 30)} GiB, node ${process.version}, ${os.platform()} ${os.release()}, ` +
      `load avg ${os.loadavg()[0]?.toFixed(1) ?? '?'}`,
  );
  console.log(
    `params: ${date} updates=${updates} duplicates=${duplicates}% clients=${clients} concurrency=${concurrency} ` +
      `warmup=${warmup} ` +
      (external ? `url=${flags.url}` : `poolMax=${poolMax} port=${port} baselinePort=${baselinePort}`) +
      ` db=${databaseUrl ? new URL(databaseUrl).pathname.slice(1) : '(not counted)'}`,
  );
  console.log(`runs: ${order.join(', ')}`);

  const servers: Server[] = [];
  let stopBot = async () => {};
  const stop = async () => {
    const running = servers.splice(0);
    await Promise.all([...running.map((s) => s.stop()), stopBot()]);
  };
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.once(signal, () => {
      void stop().finally(() => process.exit(130));
    });
  }

  try {
    const appUrl = flags.url ?? `http://localhost:${port}`;
    const baselineUrl = `http://localhost:${baselinePort}`;
    let secret = SECRET;
    let app: Server | undefined;
    let baseline: Server | undefined;
    if (external) {
      secret = flags.secret ?? process.env.TELEGRAM_WEBHOOK_SECRET ?? SECRET;
    } else {
      if (!databaseUrl) throw new Error('no database URL');
      const staffedRuns = order.filter((s) => s === 'staffed').length;
      const capacity = Math.max(100, Math.ceil((staffedRuns * (clients + WARMUP_CLIENTS)) / OPERATORS));
      await prepareDatabase(databaseUrl, { operators: OPERATORS, capacity });
      const serverDatabaseUrl = process.env.BENCH_SERVER_DATABASE_URL ?? databaseUrl;
      if (scenarios.includes('baseline')) {
        baseline = startBaselineServer(baselinePort, {
          DATABASE_URL: serverDatabaseUrl,
          DATABASE_POOL_MAX: String(poolMax),
          TELEGRAM_WEBHOOK_SECRET: SECRET,
        });
        servers.push(baseline);
      }
      if (scenarios.some((s) => s !== 'baseline')) {
        await buildApp(flags['skip-build']);
        // A Bot API that answers like Telegram (the tests' recording server): the queue
        // auto-replies are really sent, by the outbox worker at Telegram's pace.
        const bot = await startTelegramServer();
        stopBot = () => bot.close();
        app = startServer(
          port,
          {
            // Another URL for the server only, e.g. a Unix socket: postgres:///desk_bench with PGHOST.
            DATABASE_URL: serverDatabaseUrl,
            DATABASE_POOL_MAX: String(poolMax),
            TELEGRAM_WEBHOOK_SECRET: SECRET,
            TELEGRAM_BOT_TOKEN: '123456:BENCH-token-xxxxxxxxxxxxxxxx',
            TELEGRAM_API_ROOT: bot.url,
            NEXTAUTH_SECRET: 'bench',
            NEXTAUTH_URL: appUrl,
          },
          // e.g. "--cpu-prof --cpu-prof-dir=/tmp/prof" to profile the Next server only.
          (process.env.BENCH_SERVER_NODE_ARGS ?? '').split(' ').filter(Boolean),
        );
        servers.push(app);
      }
    }
    if (baseline) await waitForHealth(baselineUrl, baseline);
    if (scenarios.some((s) => s !== 'baseline')) await waitForHealth(appUrl, app);

    let ok = true;
    const records: RunRecord[] = [];
    for (const [run, scenario] of order.entries()) {
      const { measured, warm } = plansOf(run);
      const isApp = scenario !== 'baseline';
      const server = isApp ? app : baseline;
      console.log(`\n== run ${run + 1}/${order.length}: ${scenario} — ${DESCRIPTIONS[scenario]} ==`);
      if (isApp && databaseUrl && !external) await setOperatorsOnline(databaseUrl, scenario === 'staffed');

      const target = createTarget(isApp ? appUrl : baselineUrl, secret, concurrency);
      const startDate = Math.floor(Date.now() / 1000);
      const warmPosts = buildPosts(warm, duplicates, startDate);
      const warmResult = await runLoad(target, warmPosts, concurrency);
      const warmAnswers = checkAnswers(warmResult);
      console.log(
        `warm-up: ${warmPosts.length} posts in ${(warmResult.durationMs / 1000).toFixed(2)} s, ` +
          `errors: ${warmResult.failures.length}, updates answered wrong: ${warmAnswers.wrong}`,
      );
      printFailures(warmResult, server);
      ok &&= warmResult.failures.length === 0 && warmAnswers.wrong === 0;
      // The warm-up's queue auto-replies are sent after the answers: let them finish first.
      if (isApp && databaseUrl && !external) {
        const waited = await waitForOutboundIdle(databaseUrl);
        if (waited > 0.2)
          console.log(`warm-up follow-up work (auto-replies) took ${waited.toFixed(1)} s more`);
      }

      const posts = buildPosts(measured, duplicates, startDate);
      const meter = server && databaseUrl ? startCpuMeter(server, await backendPids(databaseUrl)) : undefined;
      const result = await runLoad(target, posts, concurrency);
      const cpu =
        meter && databaseUrl
          ? meter.report(result.durationMs / 1000, posts.length, await backendPids(databaseUrl))
          : undefined;
      target.agent.destroy();

      const record = printResult(scenario, result, concurrency, server);
      records.push({ ...record, cpu });
      for (const line of cpu?.lines ?? []) console.log(line);
      const answers = checkAnswers(result);
      console.log(
        answers.wrong === 0
          ? `answers ok: each update "stored" once, every other copy "duplicate"`
          : `answers FAIL: ${answers.wrong} updates answered wrong, e.g. ${answers.examples.join('; ')}`,
      );
      ok &&= result.failures.length === 0 && answers.wrong === 0;

      if (databaseUrl) {
        const ranges: Ranges = {
          users: { from: measured.userBase, to: measured.userBase + clients - 1 },
          updates: { from: measured.updateBase, to: measured.updateBase + updates - 1 },
        };
        if (isApp && !external) {
          const waited = await waitForOutboundIdle(databaseUrl);
          if (scenario === 'queued' || waited > 0.2)
            console.log(
              `follow-up work (auto-replies) ended ${waited.toFixed(1)} s after the load; ` +
                `auto-replies by delivery status: ${await outboundByStatus(databaseUrl, ranges.users)}`,
            );
        }
        for (const check of await verifyCounts(databaseUrl, scenario, ranges, { updates, clients })) {
          const pass = check.actual === check.expected;
          ok &&= pass;
          console.log(
            `check ${pass ? 'ok  ' : 'FAIL'} ${check.name}: ${check.actual} (expected ${check.expected})`,
          );
        }
      } else {
        console.log('rows not counted: set BENCH_DATABASE_URL or DATABASE_URL');
      }
    }
    await stop();

    printSummary(records, {
      date,
      heading:
        `${updates} updates + ${Math.floor((updates * duplicates) / 100)} duplicates (${duplicates} %) ` +
        `from ${clients} clients per run, ${concurrency} concurrent, pool ${poolMax}, ${os.cpus().length} cpus`,
    });
    console.log(ok ? 'RESULT: ok' : 'RESULT: FAILED');
    return ok ? 0 : 1;
  } finally {
    await stop();
  }
}

function printFailures(result: LoadResult, server: Server | undefined) {
  for (const failure of result.failures.slice(0, 5)) {
    const post = result.posts[failure.index];
    console.log(
      `  post #${failure.index} (update #${post?.update ?? '?'}, ${post?.kind ?? '?'}): ` +
        `HTTP ${failure.status} ${failure.body}`,
    );
  }
  if (result.failures.length > 0 && server)
    console.log(`${server.label} output (last lines):\n${server.tail()}`);
}

function printResult(
  scenario: Scenario,
  result: LoadResult,
  concurrency: number,
  server: Server | undefined,
): Omit<RunRecord, 'cpu'> {
  const seconds = result.durationMs / 1000;
  const posts = result.posts.length;
  console.log(`total: ${posts} posts, errors: ${result.failures.length}`);
  printFailures(result, server);
  const rate = posts / seconds;
  console.log(
    `duration: ${seconds.toFixed(2)} s, throughput: ${rate.toFixed(0)} updates/s ` +
      `(every post, duplicates included; ${concurrency} concurrent)`,
  );
  const all = sorted(result.latenciesMs);
  console.log(`latency ms: ${summary(all)}`);
  // The first message of each client takes the slow path (new client, conversation, assignment).
  for (const [kind, label] of [
    ['first', 'first message of a client'],
    ['later', 'later messages'],
    ['duplicate', 'duplicates'],
  ] as const) {
    const picked = sorted(result.latenciesMs.filter((_, i) => result.posts[i]?.kind === kind));
    if (picked.length > 0) console.log(`  ${label} (${picked.length}): ${summary(picked)}`);
  }
  return {
    scenario,
    rate,
    p50: percentile(all, 50),
    p95: percentile(all, 95),
    p99: percentile(all, 99),
    max: percentile(all, 100),
  };
}

function sorted(latencies: Float64Array): Float64Array {
  return latencies.slice().sort();
}

function summary(sortedLatencies: Float64Array): string {
  if (sortedLatencies.length === 0) return 'none';
  const ms = (p: number) => percentile(sortedLatencies, p).toFixed(1);
  return `p50 ${ms(50)}, p95 ${ms(95)}, p99 ${ms(99)}, max ${ms(100)}`;
}

const mean = (values: number[]) => values.reduce((a, b) => a + b, 0) / Math.max(values.length, 1);

/**
 * Every run, then per app scenario its throughput as a ratio to the mean baseline of the same
 * bench run (and to the first and last baseline) and PASS/MISS against the targets. A MISS
 * does not fail the bench: the figures depend on the machine and whatever else it is running.
 */
function printSummary(records: RunRecord[], { date, heading }: { date: string; heading: string }) {
  const baselines = records.filter((r) => r.scenario === 'baseline').map((r) => r.rate);
  const base = baselines.length > 0 ? mean(baselines) : undefined;
  const ratio = (rate: number, to: number | undefined) => (to ? (rate / to).toFixed(2) : '—');
  const fixed = (n: number) => n.toFixed(1);
  const rows = records.map((r, i) => [
    String(i + 1),
    r.scenario,
    r.rate.toFixed(0),
    fixed(r.p50),
    fixed(r.p95),
    fixed(r.p99),
    fixed(r.max),
    r.cpu ? r.cpu.serverMs.toFixed(2) : '—',
    r.cpu ? r.cpu.postgresMs.toFixed(2) : '—',
    r.cpu ? `${r.cpu.busyPercent.toFixed(0)}%` : '—',
    r.cpu ? r.cpu.otherSeconds.toFixed(1) : '—',
    ratio(r.rate, base),
  ]);
  console.log(`\n== summary, ${date}: ${heading} ==`);
  printTable(
    [
      'run',
      'scenario',
      'updates/s',
      'p50',
      'p95',
      'p99',
      'max',
      'server ms/upd',
      'pg ms/upd',
      'busy',
      'other cpu s',
      'ratio',
    ],
    rows,
  );
  console.log('latency in ms; ratio = updates/s ÷ mean baseline updates/s of this run');
  if (base === undefined || baselines.length === 0) {
    console.log('no baseline in this run: no ratios (add baseline to --scenarios)');
  } else {
    const first = baselines[0] ?? base;
    const last = baselines[baselines.length - 1] ?? base;
    const drift = ((last - first) / first) * 100;
    console.log(
      `baseline: ${baselines.map((b) => b.toFixed(0)).join(', ')} updates/s (first ${first.toFixed(0)}, ` +
        `last ${last.toFixed(0)}, ${drift >= 0 ? '+' : ''}${drift.toFixed(0)} %), mean ${base.toFixed(0)}`,
    );
  }
  const verdicts: string[][] = [];
  for (const scenario of SCENARIOS) {
    const target = TARGETS[scenario];
    const runs = records.filter((r) => r.scenario === scenario);
    if (!target || runs.length === 0) continue;
    const rate = mean(runs.map((r) => r.rate));
    const p99 = Math.max(...runs.map((r) => r.p99));
    const baselineRuns = records.filter((r) => r.scenario === 'baseline');
    const byBaseline =
      baselineRuns.length > 1
        ? ` (${ratio(rate, baselineRuns[0]?.rate)} / ${ratio(rate, baselineRuns[baselineRuns.length - 1]?.rate)})`
        : '';
    // Server + Postgres CPU per update, baseline's over the scenario's: what the throughput ratio
    // would be on a machine doing nothing else (other work on the cores moves it less).
    const cpuOf = (rs: RunRecord[]) => {
      const costs = rs.flatMap((r) => (r.cpu ? [r.cpu.serverMs + r.cpu.postgresMs] : []));
      return costs.length > 0 ? mean(costs) : undefined;
    };
    const baseCpu = cpuOf(baselineRuns);
    const runCpu = cpuOf(runs);
    const cpuRatio = baseCpu && runCpu ? (baseCpu / runCpu).toFixed(2) : '—';
    const ratioOk = base !== undefined && rate / base >= target.ratio;
    verdicts.push([
      scenario,
      rate.toFixed(0),
      `${ratio(rate, base)}${byBaseline}`,
      `≥ ${target.ratio.toFixed(2)}`,
      base === undefined ? '—' : ratioOk ? 'PASS' : 'MISS',
      cpuRatio,
      fixed(p99),
      `≤ ${target.p99Ms}`,
      p99 <= target.p99Ms ? 'PASS' : 'MISS',
    ]);
  }
  if (verdicts.length > 0) {
    console.log('');
    printTable(
      [
        'scenario',
        'updates/s',
        'ratio (to first / last baseline)',
        'target',
        'ratio',
        'cpu ratio',
        'p99 ms (worst run)',
        'target',
        'p99',
      ],
      verdicts,
    );
    console.log(
      'cpu ratio = baseline ÷ scenario server + Postgres CPU ms per update. Targets from the issue;\n' +
        'a MISS is reported, not an error (the figures depend on the machine and its other work)',
    );
  }
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error('bench failed:', error instanceof Error ? error.message : error);
    process.exit(1);
  },
);
