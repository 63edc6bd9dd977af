// Webhook ingest benchmark: `npm run bench:ingest -- --help`. See bench/README.md.
import os from 'node:os';
import { parseArgs } from 'node:util';
import { assertLocalDatabase, backendPids, prepareDatabase, verifyCounts, type Ranges } from './lib-db';
import { createTarget, percentile, runLoad, type LoadResult, type Plan } from './lib-load';
import { startCpuMeter } from './lib-cpu';
import { buildApp, startServer, waitForHealth, type Server } from './lib-server';

const HELP = `npm run bench:ingest -- [options]
  --updates N        measured updates            (BENCH_UPDATES, default 5000)
  --clients N        distinct Telegram users     (BENCH_CLIENTS, default 500)
  --concurrency N    requests in flight          (BENCH_CONCURRENCY, default 32)
  --pool-max N       server DATABASE_POOL_MAX    (BENCH_POOL_MAX, default 10)
  --warmup N         unmeasured warm-up updates  (BENCH_WARMUP, default 200)
  --port N           port for next start         (default 3300)
  --skip-build       reuse .next-bench if it holds a build
  --url URL          bench a running server instead (no build, start or seed)
  --secret S         its webhook secret (with --url)
Database: BENCH_DATABASE_URL (default postgres://postgres@127.0.0.1:5432/desk_bench);
with --url, rows are counted only if BENCH_DATABASE_URL or DATABASE_URL is set.`;

const { values: flags } = parseArgs({
  options: {
    updates: { type: 'string' },
    clients: { type: 'string' },
    concurrency: { type: 'string' },
    'pool-max': { type: 'string' },
    warmup: { type: 'string' },
    port: { type: 'string' },
    'skip-build': { type: 'boolean', default: false },
    url: { type: 'string' },
    secret: { type: 'string' },
    help: { type: 'boolean', default: false },
  },
});

function positiveInt(name: string, flag: string | undefined, envName: string, fallback: number): number {
  const raw = flag ?? process.env[envName] ?? String(fallback);
  const value = Number(raw);
  if (!Number.isInteger(value) || value < 1)
    throw new Error(`${name} must be a positive integer, got "${raw}"`);
  return value;
}

const WARMUP_CLIENTS = 50;
const OPERATORS = 10;
const SECRET = 'bench-secret';

async function main(): Promise<number> {
  if (flags.help) {
    console.log(HELP);
    return 0;
  }
  const updates = positiveInt('--updates', flags.updates, 'BENCH_UPDATES', 5000);
  const clients = positiveInt('--clients', flags.clients, 'BENCH_CLIENTS', 500);
  const concurrency = positiveInt('--concurrency', flags.concurrency, 'BENCH_CONCURRENCY', 32);
  const poolMax = positiveInt('--pool-max', flags['pool-max'], 'BENCH_POOL_MAX', 10);
  const warmup = positiveInt('--warmup', flags.warmup, 'BENCH_WARMUP', 200);
  const port = positiveInt('--port', flags.port, 'BENCH_PORT', 3300);
  if (clients >= 900_000 || updates >= 90_000_000)
    throw new Error('too many clients or updates for the id ranges');
  const external = flags.url !== undefined;
  const databaseUrl = external
    ? (process.env.BENCH_DATABASE_URL ?? process.env.DATABASE_URL)
    : (process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/desk_bench');
  if (databaseUrl && !external) assertLocalDatabase(databaseUrl);

  // Ids are unique per run, so a server whose database is not emptied can be benched again.
  const runTag = Math.floor(Date.now() / 1000) % 10_000;
  const measured: Plan = {
    updates,
    clients,
    userBase: 5_000_000_000 + runTag * 1_000_000,
    updateBase: runTag * 100_000_000,
    label: 'Bench',
  };
  const warm: Plan = {
    updates: warmup,
    clients: WARMUP_CLIENTS,
    userBase: measured.userBase + 900_000,
    updateBase: measured.updateBase + 90_000_000,
    label: 'Warmup',
  };

  console.log(
    `machine: ${os.cpus().length} cpus (${os.cpus()[0]?.model ?? '?'}), ` +
      `${Math.round(os.totalmem() / 2 ** 30)} GiB, node ${process.version}, ${os.platform()} ${os.release()}, ` +
      `load avg ${os.loadavg()[0]?.toFixed(1) ?? '?'}`,
  );
  console.log(
    `params: updates=${updates} clients=${clients} concurrency=${concurrency} warmup=${warmup} ` +
      (external ? `url=${flags.url}` : `poolMax=${poolMax} port=${port}`) +
      ` db=${databaseUrl ? new URL(databaseUrl).pathname.slice(1) : '(not counted)'}`,
  );

  let server: Server | undefined;
  const stop = async () => {
    const running = server;
    server = undefined;
    await running?.stop();
  };
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.once(signal, () => {
      void stop().finally(() => process.exit(130));
    });
  }

  try {
    let baseUrl: string;
    let secret = SECRET;
    if (flags.url !== undefined) {
      baseUrl = flags.url;
      secret = flags.secret ?? process.env.TELEGRAM_WEBHOOK_SECRET ?? SECRET;
    } else {
      if (!databaseUrl) throw new Error('no database URL');
      const capacity = Math.max(100, Math.ceil((clients + WARMUP_CLIENTS) / OPERATORS));
      await prepareDatabase(databaseUrl, { operators: OPERATORS, capacity });
      await buildApp(flags['skip-build']);
      baseUrl = `http://localhost:${port}`;
      server = startServer(
        port,
        {
          // Another URL for the server only, e.g. a Unix socket: postgres:///desk_bench with PGHOST.
          DATABASE_URL: process.env.BENCH_SERVER_DATABASE_URL ?? databaseUrl,
          DATABASE_POOL_MAX: String(poolMax),
          TELEGRAM_WEBHOOK_SECRET: SECRET,
          TELEGRAM_BOT_TOKEN: '123456:BENCH-token-xxxxxxxxxxxxxxxx',
          TELEGRAM_API_ROOT: 'http://127.0.0.1:9',
          NEXTAUTH_SECRET: 'bench',
          NEXTAUTH_URL: baseUrl,
        },
        // e.g. "--cpu-prof --cpu-prof-dir=/tmp/prof" to profile the server only.
        (process.env.BENCH_SERVER_NODE_ARGS ?? '').split(' ').filter(Boolean),
      );
    }
    await waitForHealth(baseUrl, server);

    const target = createTarget(baseUrl, secret, concurrency);
    const warmResult = await runLoad(target, warm, concurrency);
    console.log(
      `warm-up: ${warmup} updates in ${(warmResult.durationMs / 1000).toFixed(2)} s, ` +
        `errors: ${warmResult.failures.length}`,
    );
    printFailures(warmResult, server);

    const meter =
      server && databaseUrl ? startCpuMeter(server.pid, await backendPids(databaseUrl)) : undefined;
    const result = await runLoad(target, measured, concurrency);
    const cpuLines =
      meter && databaseUrl
        ? meter.report(result.durationMs / 1000, updates, await backendPids(databaseUrl))
        : [];
    target.agent.destroy();

    printResult(result, clients, concurrency, server);
    for (const line of cpuLines) console.log(line);
    await stop();

    let ok = result.failures.length === 0 && warmResult.failures.length === 0;
    if (databaseUrl) {
      const ranges: Ranges = {
        users: { from: measured.userBase, to: measured.userBase + clients - 1 },
        updates: { from: measured.updateBase, to: measured.updateBase + updates - 1 },
      };
      for (const check of await verifyCounts(databaseUrl, ranges, { updates, clients })) {
        const pass = check.actual === check.expected;
        ok &&= pass;
        console.log(
          `check ${pass ? 'ok  ' : 'FAIL'} ${check.name}: ${check.actual} (expected ${check.expected})`,
        );
      }
    } else {
      console.log('rows not counted: set BENCH_DATABASE_URL or DATABASE_URL');
    }
    console.log(ok ? 'RESULT: ok' : 'RESULT: FAILED');
    return ok ? 0 : 1;
  } finally {
    await stop();
  }
}

function printFailures(result: LoadResult, server: Server | undefined) {
  for (const failure of result.failures.slice(0, 5)) {
    console.log(`  update #${failure.index}: HTTP ${failure.status} ${failure.body}`);
  }
  if (result.failures.length > 0 && server) console.log(`server output (last lines):\n${server.tail()}`);
}

function printResult(result: LoadResult, clients: number, concurrency: number, server: Server | undefined) {
  const seconds = result.durationMs / 1000;
  console.log(`total: ${result.sent} updates, errors: ${result.failures.length}`);
  printFailures(result, server);
  console.log(
    `duration: ${seconds.toFixed(2)} s, throughput: ${(result.sent / seconds).toFixed(0)} updates/s ` +
      `(${concurrency} concurrent)`,
  );
  console.log(`latency ms: ${summary(result.latenciesMs)}`);
  // The first message of each client takes the slow path (new client, conversation, assignment).
  console.log(
    `  first message of a client (${Math.min(clients, result.sent)}): ${summary(result.latenciesMs.subarray(0, clients))}`,
  );
  console.log(`  later messages: ${summary(result.latenciesMs.subarray(clients))}`);
}

function summary(latencies: Float64Array): string {
  if (latencies.length === 0) return 'none';
  const sorted = latencies.slice().sort();
  const ms = (p: number) => percentile(sorted, p).toFixed(1);
  return `p50 ${ms(50)}, p95 ${ms(95)}, p99 ${ms(99)}, max ${ms(100)}`;
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error('bench failed:', error instanceof Error ? error.message : error);
    process.exit(1);
  },
);
