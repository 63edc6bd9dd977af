// REST API read benchmark: `npm run bench:api -- --help`. See bench/README.md.
import http from 'node:http';
import os from 'node:os';
import { parseArgs } from 'node:util';
import postgres from 'postgres';
import { openDb } from '@/db/client';
import { assertLocalDatabaseUrl } from '@/db/maintenance';
import { createApiToken } from '@/lib/api-tokens/create-api-token';
import { systemActor } from '@/lib/auth/actor';
import { backendPids } from './lib-db';
import { startCpuMeter, type CpuReport } from './lib-cpu';
import { percentile } from './lib-load';
import { describeScans, largeTablesOf, openPlanCapture, requestPath, type ApiRequest } from './lib-api-plans';
import {
  NAME_SEARCHES,
  prepareSeededDesk,
  SEARCH_WORDS,
  TELEGRAM_ID_BASE,
  type SeedSize,
} from './lib-api-seed';
import { buildApp, startServer, waitForHealth, type Server } from './lib-server';
import { integer, printLoadRuns, printTable } from './lib-print';

const HELP = `npm run bench:api -- [options]      (DATABASE_URL: a local Postgres database)
  --reset            empty a database that holds rows, then seed it
  --reuse            keep a database an earlier run of this bench seeded at the same size
  --clients N        clients to seed          (default 100000)
  --messages N       messages to seed         (default 1000000)
  --operator-logs N  audit rows to seed       (default 200000)
  --requests N       measured requests per scenario run (default 1000)
  --warmup N         unmeasured requests before each run (default 200)
  --concurrency N    requests in flight       (default 16)
  --rounds N         scenarios N times, a baseline before and after each round (default 1)
  --scenarios LIST   baseline alone, or some of: clients-list, clients-search, client-messages,
                     messages-search-rare, messages-search-common, operator-logs-day
  --pool-max N       the app's DATABASE_POOL_MAX (default 10)
  --port N           port of next start       (default 3310)
  --skip-build       reuse .next-bench if it holds a build
Refuses PGlite (no DATABASE_URL) and a database with rows unless --reset or --reuse.
Exits 1 on an error answer or a plan with a sequential scan of a large table; a missed latency
target is reported, not an error.`;

const { values: flags } = parseArgs({
  options: {
    reset: { type: 'boolean', default: false },
    reuse: { type: 'boolean', default: false },
    clients: { type: 'string' },
    messages: { type: 'string' },
    'operator-logs': { type: 'string' },
    requests: { type: 'string' },
    warmup: { type: 'string' },
    concurrency: { type: 'string' },
    rounds: { type: 'string' },
    scenarios: { type: 'string' },
    'pool-max': { type: 'string' },
    port: { type: 'string' },
    'skip-build': { type: 'boolean', default: false },
    help: { type: 'boolean', default: false },
  },
});

/** What a scenario's requests are made of, read from the seeded database. */
type Desk = { departmentIds: string[]; longHistoryClientIds: string[]; logDays: string[] };

type ScenarioKind = 'baseline' | 'list' | 'search';

type Scenario = {
  name: string;
  kind: ScenarioKind;
  what: string;
  requests: (desk: Desk) => ApiRequest[];
};

/** Targets of the REST API issue, p95 on Postgres on this machine. */
const P95_TARGET_MS: Record<Exclude<ScenarioKind, 'baseline'>, number> = { list: 50, search: 200 };

const BASELINE: Scenario = {
  name: 'baseline',
  kind: 'baseline',
  what: 'GET /departments/{id}: token, rate limit, one primary-key select, through the same stack',
  requests: (desk) => desk.departmentIds.map((id) => ({ path: '/departments/{id}', params: { id } })),
};

const SCENARIOS: Scenario[] = [
  {
    name: 'clients-list',
    kind: 'list',
    what: 'GET /clients?department_id=…&status=…&ordering=-last_message_at',
    requests: (desk) =>
      desk.departmentIds.flatMap((departmentId) =>
        ['new,waiting', 'in_progress', 'resolved', 'waiting'].map((status) => ({
          path: '/clients',
          query: `department_id=${departmentId}&status=${encodeURIComponent(status)}&ordering=-last_message_at`,
        })),
      ),
  },
  {
    name: 'clients-search',
    kind: 'search',
    what: `GET /clients?search=… (${NAME_SEARCHES.join(', ')})`,
    requests: () =>
      NAME_SEARCHES.map((term) => ({ path: '/clients', query: `search=${encodeURIComponent(term)}` })),
  },
  {
    name: 'client-messages',
    kind: 'list',
    what: 'GET /clients/{id}/messages?limit=50 (clients with long histories)',
    requests: (desk) =>
      desk.longHistoryClientIds.map((id) => ({
        path: '/clients/{id}/messages',
        params: { id },
        query: 'limit=50',
      })),
  },
  {
    name: 'messages-search-rare',
    kind: 'search',
    what: `GET /messages?search=… (${SEARCH_WORDS.rare.join(', ')})`,
    requests: () =>
      SEARCH_WORDS.rare.map((word) => ({ path: '/messages', query: `search=${encodeURIComponent(word)}` })),
  },
  {
    name: 'messages-search-common',
    kind: 'search',
    what: `GET /messages?search=… (${SEARCH_WORDS.common.join(', ')})`,
    requests: () =>
      SEARCH_WORDS.common.map((word) => ({ path: '/messages', query: `search=${encodeURIComponent(word)}` })),
  },
  {
    name: 'operator-logs-day',
    kind: 'list',
    what: 'GET /operator-logs?created_from=<day>&created_to=<next day>',
    requests: (desk) =>
      desk.logDays.map((day) => {
        const next = new Date(Date.parse(`${day}T00:00:00Z`) + 86_400_000).toISOString().slice(0, 10);
        return {
          path: '/operator-logs',
          query: `created_from=${day}T00:00:00Z&created_to=${next}T00:00:00Z`,
        };
      }),
  },
];

/** Department ids, 50 clients with long histories, and the 28 whole days of the audit trail. */
async function readDesk(url: string): Promise<Desk> {
  const sql = postgres(url, { max: 1, onnotice: () => {} });
  try {
    const departments = await sql<{ id: string }[]>`select id from departments order by sort_order, name`;
    const clients = await sql<{ id: string }[]>`
      select id from clients where telegram_user_id between ${TELEGRAM_ID_BASE + 1} and ${TELEGRAM_ID_BASE + 50}
      order by telegram_user_id`;
    const days = await sql<{ day: string }[]>`
      select to_char(d, 'YYYY-MM-DD') as day
      from generate_series(date_trunc('day', now() at time zone 'UTC') - interval '28 days',
                           date_trunc('day', now() at time zone 'UTC') - interval '1 day', interval '1 day') d`;
    return {
      departmentIds: departments.map((d) => d.id),
      longHistoryClientIds: clients.map((c) => c.id),
      logDays: days.map((d) => d.day),
    };
  } finally {
    await sql.end({ timeout: 5 });
  }
}

type LoadResult = {
  durationMs: number;
  latenciesMs: Float64Array;
  /** Results per answer (list length; 1 for a single object). */
  resultCounts: number[];
  failures: string[];
};

function get(agent: http.Agent, url: URL, token: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const request = http.request(
      url,
      { method: 'GET', agent, headers: { authorization: `Bearer ${token}`, accept: 'application/json' } },
      (response) => {
        const chunks: Buffer[] = [];
        response.on('data', (chunk: Buffer) => chunks.push(chunk));
        response.on('end', () =>
          resolve({ status: response.statusCode ?? 0, body: Buffer.concat(chunks).toString() }),
        );
        response.on('error', reject);
      },
    );
    request.on('error', reject);
    request.end();
  });
}

/**
 * `count` requests, the scenario's variants in turn, `concurrency` in flight on keep-alive
 * connections. A request fails unless it answers 200 with JSON; a list answering no result at
 * all fails too (every variant is built to have some, so an empty page means the bench is not
 * measuring what it says).
 */
async function runLoad(
  baseUrl: string,
  token: string,
  variants: ApiRequest[],
  count: number,
  concurrency: number,
): Promise<LoadResult> {
  const agent = new http.Agent({ keepAlive: true, maxSockets: concurrency });
  const urls = variants.map((v) => new URL(requestPath(v), baseUrl));
  const latenciesMs = new Float64Array(count);
  const resultCounts: number[] = Array.from({ length: count }, () => 0);
  const failures: string[] = [];
  let next = 0;
  const worker = async () => {
    while (next < count) {
      const index = next++;
      const url = urls[index % urls.length] as URL;
      const started = performance.now();
      try {
        const response = await get(agent, url, token);
        latenciesMs[index] = performance.now() - started;
        const body = response.status === 200 ? (JSON.parse(response.body) as unknown) : undefined;
        const results =
          body && typeof body === 'object' && 'results' in body && Array.isArray(body.results)
            ? body.results.length
            : body
              ? 1
              : 0;
        resultCounts[index] = results;
        if (response.status !== 200 || results === 0)
          failures.push(
            `${url.pathname}${url.search}: HTTP ${response.status} ${response.body.slice(0, 200)}`,
          );
      } catch (error) {
        latenciesMs[index] = performance.now() - started;
        failures.push(
          `${url.pathname}${url.search}: ${error instanceof Error ? error.message : String(error)}`,
        );
      }
    }
  };
  const started = performance.now();
  await Promise.all(Array.from({ length: Math.min(concurrency, count) }, worker));
  const durationMs = performance.now() - started;
  agent.destroy();
  return { durationMs, latenciesMs, resultCounts, failures };
}

type RunRecord = {
  scenario: Scenario;
  rate: number;
  p50: number;
  p95: number;
  p99: number;
  max: number;
  meanResults: number;
  cpu: CpuReport;
};

/** Requests per scenario whose plans are checked (at least; every variant is). */
const PLAN_RUNS = 8;

const mean = (values: number[]) => values.reduce((a, b) => a + b, 0) / Math.max(values.length, 1);

async function main(): Promise<number> {
  if (flags.help) {
    console.log(HELP);
    return 0;
  }
  const databaseUrl = process.env.DATABASE_URL;
  if (!databaseUrl) throw new Error('bench:api measures Postgres: set DATABASE_URL (PGlite is not benched)');
  assertLocalDatabaseUrl(databaseUrl);
  const size: SeedSize = {
    clients: integer('--clients', flags.clients, 100_000),
    messages: integer('--messages', flags.messages, 1_000_000),
    operatorLogs: integer('--operator-logs', flags['operator-logs'], 200_000),
  };
  const requests = integer('--requests', flags.requests, 1000);
  const warmup = integer('--warmup', flags.warmup, 200, 0);
  const concurrency = integer('--concurrency', flags.concurrency, 16);
  const rounds = integer('--rounds', flags.rounds, 1);
  const poolMax = integer('--pool-max', flags['pool-max'], 10);
  const port = integer('--port', flags.port, 3310);
  const names = flags.scenarios?.split(',').map((s) => s.trim()) ?? SCENARIOS.map((s) => s.name);
  // The baseline always runs; `--scenarios baseline` runs it alone.
  const unknown = names.filter((n) => n !== 'baseline' && !SCENARIOS.some((s) => s.name === n));
  if (unknown.length > 0) throw new Error(`unknown scenarios: ${unknown.join(', ')}`);
  const scenarios = SCENARIOS.filter((s) => names.includes(s.name));
  const date = new Date().toISOString().slice(0, 10);

  console.log(
    `machine: ${os.cpus().length} cpus (${os.cpus()[0]?.model ?? '?'}), ${Math.round(os.totalmem() / 2 ** 30)} GiB, ` +
      `node ${process.version}, load avg ${os
        .loadavg()
        .map((l) => l.toFixed(1))
        .join(' ')}`,
  );
  console.log(
    `params: ${date} requests=${requests} warmup=${warmup} concurrency=${concurrency} rounds=${rounds} ` +
      `poolMax=${poolMax} db=${new URL(databaseUrl).pathname.slice(1)}`,
  );

  console.log(await prepareSeededDesk(databaseUrl, size, { reset: flags.reset, reuse: flags.reuse }));
  const desk = await readDesk(databaseUrl);
  const large = await largeTablesOf(databaseUrl);
  console.log(`large tables (≥ 10,000 rows): ${[...large].sort().join(', ')}`);

  const app = await openDb({ databaseUrl });
  let token: string;
  try {
    token = (
      await createApiToken({
        db: app.db,
        actor: systemActor('bench'),
        input: { name: 'bench:api', role: 'admin' },
      })
    ).token;
  } finally {
    await app.close();
  }

  // Plans first, through the route handlers in this process.
  let plansOk = true;
  const planLines: string[] = [];
  const capture = openPlanCapture(databaseUrl);
  try {
    for (const scenario of [BASELINE, ...scenarios]) {
      const variants = scenario.requests(desk);
      const scans = new Set<string>();
      const seq = new Set<string>();
      // Every variant, and at least PLAN_RUNS requests: from a statement's sixth execution on a
      // connection Postgres may switch it to a generic plan, which is then the one that runs.
      const runs = Math.max(variants.length, PLAN_RUNS);
      for (const request of Array.from({ length: runs }, (_, i) => variants[i % variants.length])) {
        if (!request) continue;
        const result = await capture.plansOf(request, token, large);
        if (result.status !== 200) {
          plansOk = false;
          seq.add(`HTTP ${result.status} for ${requestPath(request)}`);
        }
        for (const statement of result.statements)
          for (const s of describeScans(statement.plan)) scans.add(s);
        for (const s of result.seqScans) seq.add(s);
      }
      if (seq.size > 0) plansOk = false;
      planLines.push(
        `${scenario.name}: ${seq.size === 0 ? 'ok' : `FAIL (${[...seq].join('; ')})`} — ${[...scans].sort().join('; ')}`,
      );
    }
  } finally {
    await capture.close();
  }
  console.log(
    `\n== plans (auto_explain of every statement of every request variant, ${PLAN_RUNS}+ requests each) ==`,
  );
  for (const line of planLines) console.log(line);

  const servers: Server[] = [];
  const stop = async () => {
    await Promise.all(servers.splice(0).map((s) => s.stop()));
  };
  for (const signal of ['SIGINT', 'SIGTERM'] as const)
    process.once(signal, () => void stop().finally(() => process.exit(130)));

  const records: RunRecord[] = [];
  let errors = 0;
  try {
    await buildApp(flags['skip-build']);
    const baseUrl = `http://localhost:${port}`;
    const server = startServer(
      port,
      {
        DATABASE_URL: databaseUrl,
        DATABASE_POOL_MAX: String(poolMax),
        // The bench's requests must measure the API, not its 429s.
        API_RATE_LIMIT_PER_MINUTE: '100000',
        NEXTAUTH_SECRET: 'bench',
        NEXTAUTH_URL: baseUrl,
        APP_URL: baseUrl,
      },
      // e.g. "--cpu-prof --cpu-prof-dir=/tmp/prof" to profile the Next server only.
      (process.env.BENCH_SERVER_NODE_ARGS ?? '').split(' ').filter(Boolean),
    );
    servers.push(server);
    await waitForHealth(baseUrl, server);
    // A fresh server compiles each route and its code paths on first use: every scenario once,
    // unmeasured, so the first baseline is not measured against a cold server.
    for (const scenario of [BASELINE, ...scenarios]) {
      const warm = await runLoad(baseUrl, token, scenario.requests(desk), warmup, concurrency);
      errors += warm.failures.length;
      for (const failure of warm.failures.slice(0, 5)) console.log(`  error (server warm-up): ${failure}`);
    }

    const order: Scenario[] = [BASELINE];
    for (let r = 0; r < rounds; r++) order.push(...scenarios, BASELINE);
    for (const [run, scenario] of order.entries()) {
      console.log(`\n== run ${run + 1}/${order.length}: ${scenario.name} — ${scenario.what} ==`);
      const variants = scenario.requests(desk);
      const warm = await runLoad(baseUrl, token, variants, warmup, concurrency);
      const meter = startCpuMeter(server, await backendPids(databaseUrl));
      const result = await runLoad(baseUrl, token, variants, requests, concurrency);
      const cpu = meter.report(result.durationMs / 1000, requests, await backendPids(databaseUrl), 'request');
      const failures = [...warm.failures, ...result.failures];
      errors += failures.length;
      for (const failure of failures.slice(0, 5)) console.log(`  error: ${failure}`);
      if (failures.length > 0) console.log(`${server.label} output (last lines):\n${server.tail()}`);
      const sorted = result.latenciesMs.slice().sort();
      const record: RunRecord = {
        scenario,
        rate: requests / (result.durationMs / 1000),
        p50: percentile(sorted, 50),
        p95: percentile(sorted, 95),
        p99: percentile(sorted, 99),
        max: percentile(sorted, 100),
        meanResults: mean(result.resultCounts),
        cpu,
      };
      records.push(record);
      console.log(
        `${requests} requests in ${(result.durationMs / 1000).toFixed(2)} s = ${record.rate.toFixed(0)}/s, ` +
          `errors ${failures.length}; latency ms p50 ${record.p50.toFixed(1)}, p95 ${record.p95.toFixed(1)}, ` +
          `p99 ${record.p99.toFixed(1)}, max ${record.max.toFixed(1)}; ${record.meanResults.toFixed(1)} results per answer`,
      );
      for (const line of cpu.lines) console.log(line);
    }
  } finally {
    await stop();
  }

  printSummary(records, planLines, { date, concurrency, requests, poolMax });
  console.log(
    `load avg after: ${os
      .loadavg()
      .map((l) => l.toFixed(1))
      .join(' ')}`,
  );
  const ok = errors === 0 && plansOk;
  console.log(
    ok
      ? 'RESULT: ok'
      : `RESULT: FAILED (${errors} error answers${plansOk ? '' : ', a plan scans a large table'})`,
  );
  return ok ? 0 : 1;
}

/**
 * Every run, then per scenario the ratio of its throughput to the mean baseline of the same
 * bench run, its worst p95 against the issue's target (PASS/MISS), and the plan check.
 */
function printSummary(
  records: RunRecord[],
  planLines: string[],
  run: { date: string; concurrency: number; requests: number; poolMax: number },
) {
  const baselines = records.filter((r) => r.scenario.kind === 'baseline');
  const baseRate = mean(baselines.map((r) => r.rate));
  const baseCpu = mean(baselines.map((r) => r.cpu.serverMs + r.cpu.postgresMs));
  const fixed = (n: number) => n.toFixed(1);
  console.log(
    `\n== summary, ${run.date}: ${run.requests} requests per run, ${run.concurrency} concurrent, pool ${run.poolMax}, ` +
      `${os.cpus().length} cpus ==`,
  );
  printLoadRuns(
    records.map((r) => ({ ...r, name: r.scenario.name })),
    baselines.map((b) => b.rate),
    baseRate,
    { nameHeader: 'scenario', digits: { rate: 0, cpu: 2 } },
  );
  const verdicts = [...new Set(records.map((r) => r.scenario))]
    .filter((s) => s.kind !== 'baseline')
    .map((scenario) => {
      const runs = records.filter((r) => r.scenario === scenario);
      const target = P95_TARGET_MS[scenario.kind as Exclude<ScenarioKind, 'baseline'>];
      const p95 = Math.max(...runs.map((r) => r.p95));
      const cpu = mean(runs.map((r) => r.cpu.serverMs + r.cpu.postgresMs));
      const plan = planLines.find((l) => l.startsWith(`${scenario.name}:`))?.includes(': ok') ? 'ok' : 'FAIL';
      return [
        scenario.name,
        scenario.kind,
        (mean(runs.map((r) => r.rate)) / baseRate).toFixed(2),
        (baseCpu / cpu).toFixed(2),
        fixed(Math.max(...runs.map((r) => r.p50))),
        fixed(p95),
        fixed(Math.max(...runs.map((r) => r.p99))),
        `≤ ${target}`,
        p95 <= target ? 'PASS' : 'MISS',
        plan,
      ];
    });
  console.log('');
  printTable(
    [
      'scenario',
      'kind',
      'ratio',
      'cpu ratio',
      'p50 (worst run)',
      'p95 (worst run)',
      'p99 (worst run)',
      'target p95',
      'p95',
      'plans',
    ],
    verdicts,
  );
  console.log(
    'cpu ratio = baseline ÷ scenario server + Postgres CPU ms per request. Targets from the REST API\n' +
      'issue; a MISS is reported, not an error (latency depends on the machine and its other work).',
  );
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error('bench failed:', error instanceof Error ? error.message : error);
    process.exit(1);
  },
);
