// Dashboard pages benchmark: `npm run bench:dashboard -- --help`. See bench/README.md.
import http from 'node:http';
import os from 'node:os';
import { parseArgs } from 'node:util';
import zlib from 'node:zlib';
import postgres from 'postgres';
import { openDb } from '@/db/client';
import { assertLocalDatabaseUrl } from '@/db/maintenance';
import { systemActor } from '@/lib/auth/actor';
import { updateOperator } from '@/lib/operators/update-operator';
import { Browser } from '@/tests/support/auth';
import { backendPids } from './lib-db';
import { startCpuMeter, type CpuReport } from './lib-cpu';
import { firstLoadJs, type FirstLoadJs } from './lib-first-load-js';
import { percentile } from './lib-load';
import { fullSeedSize, prepareSeededDesk, seedShape, TELEGRAM_ID_BASE, type SeedSize } from './lib-api-seed';
import { buildApp, DIST_DIR, startServer, waitForHealth, type Server } from './lib-server';
import { integer, printLoadRuns, printTable } from './lib-print';

const HELP = `npm run bench:dashboard -- [options]      (DATABASE_URL: a local Postgres database)
  --reset             empty a database that holds rows, then seed it
  --reuse             keep a database an earlier run of this bench seeded at the same size
  --clients N         clients to seed          (default 100000)
  --open-clients N    of them open (new, in progress, waiting) (default 10000)
  --messages N        messages to seed         (default 1000000)
  --long-histories N  clients sharing a fifth of the messages (default 100: 2,000 each)
  --operator-logs N   audit rows to seed       (default 200000)
  --requests N        measured requests per page run (default 200)
  --warmup N          unmeasured requests before each run (default 40)
  --concurrency N     requests in flight       (default 4)
  --rounds N          pages N times, a baseline before and after each round (default 1)
  --pages LIST        some of: overview, kanban, clients, queue, chat
  --pool-max N        the app's DATABASE_POOL_MAX (default 10)
  --port N            port of next start       (default 3320)
  --skip-build        reuse .next-bench if it holds a build
Refuses PGlite (no DATABASE_URL) and a database with rows unless --reset or --reuse.
Exits 1 on an error answer; a missed target is reported, not an error.`;

const { values: flags } = parseArgs({
  options: {
    reset: { type: 'boolean', default: false },
    reuse: { type: 'boolean', default: false },
    clients: { type: 'string' },
    'open-clients': { type: 'string' },
    messages: { type: 'string' },
    'long-histories': { type: 'string' },
    'operator-logs': { type: 'string' },
    requests: { type: 'string' },
    warmup: { type: 'string' },
    concurrency: { type: 'string' },
    rounds: { type: 'string' },
    pages: { type: 'string' },
    'pool-max': { type: 'string' },
    port: { type: 'string' },
    'skip-build': { type: 'boolean', default: false },
    help: { type: 'boolean', default: false },
  },
});

/** Targets of the dashboard issue, on Postgres on this machine. */
const P95_TARGET_MS = 300;
const FIRST_LOAD_JS_TARGET_BYTES = 200_000;

/** The desk users the bench signs in as (seeded by lib-api-seed.ts: operators 1–2 are admins, 3–8 supervisors). */
const USERS = [
  { role: 'admin', email: 'bench-1@bench.local' },
  // Supervisor of Support and Billing, the two largest departments (~47 % of the clients).
  { role: 'supervisor', email: 'bench-7@bench.local' },
] as const;
const PASSWORD = 'bench-dashboard-password';

type Role = (typeof USERS)[number]['role'];

/** What the pages' URLs are made of, read from the seeded database. */
type Desk = {
  /** Clients with long histories that both users may open, with their message counts. */
  longChats: { id: string; messages: number }[];
  openClients: number;
  queuedClients: number;
  messages: number;
};

type Page = { name: string; what: string; paths: (desk: Desk) => string[] };

const BASELINE: Page = {
  name: 'baseline',
  what: 'GET /login without a session: a dynamic page render (HTML + RSC) with no query',
  paths: () => ['/login'],
};

const PAGES: Page[] = [
  { name: 'overview', what: 'GET / (stats cards)', paths: () => ['/'] },
  {
    name: 'kanban',
    what: 'GET /kanban (counts per status, first 20 cards per column)',
    paths: () => ['/kanban'],
  },
  { name: 'clients', what: 'GET /clients (50 per page, newest message first)', paths: () => ['/clients'] },
  {
    name: 'queue',
    what: 'GET /clients?queue=true (unassigned, longest waiting first)',
    paths: () => ['/clients?queue=true'],
  },
  {
    name: 'chat',
    what: 'GET /clients/<id> (clients with long histories: newest page of messages)',
    paths: (desk) => desk.longChats.map((c) => `/clients/${c.id}`),
  },
];

async function readDesk(url: string, size: Required<SeedSize>): Promise<Desk> {
  const sql = postgres(url, { max: 1, onnotice: () => {} });
  try {
    const { heavyClients } = seedShape(size);
    const supervisor = USERS.find((u) => u.role === 'supervisor')?.email ?? '';
    const longChats = await sql<{ id: string; messages: number }[]>`
      select c.id, (select count(*)::int from messages m where m.client_id = c.id) as messages
      from clients c
      where c.telegram_user_id between ${TELEGRAM_ID_BASE + 1} and ${TELEGRAM_ID_BASE + heavyClients}
        and c.department_id in (select od.department_id from operator_departments od
          join operators o on o.id = od.operator_id where o.email = ${supervisor})
      order by c.telegram_user_id limit 10`;
    const [counts] = await sql<{ open: number; queued: number; messages: number }[]>`
      select (select count(*)::int from clients where status in ('new', 'in_progress', 'waiting')) as open,
        (select count(*)::int from clients where assigned_operator_id is null and queued_at is not null) as queued,
        (select reltuples::bigint::int from pg_class where oid = 'messages'::regclass) as messages`;
    if (longChats.length === 0)
      throw new Error('no client with a long history in the supervisor’s departments');
    return {
      longChats,
      openClients: counts?.open ?? 0,
      queuedClients: counts?.queued ?? 0,
      messages: counts?.messages ?? 0,
    };
  } finally {
    await sql.end({ timeout: 5 });
  }
}

/** Gives the bench users a password (as an admin would, through updateOperator). */
async function setPasswords(url: string): Promise<void> {
  const app = await openDb({ databaseUrl: url });
  try {
    const sql = postgres(url, { max: 1, onnotice: () => {} });
    try {
      for (const user of USERS) {
        const [row] = await sql<{ id: string; role: string }[]>`
          select id, role from operators where email = ${user.email}`;
        if (row?.role !== user.role) throw new Error(`${user.email} is not a seeded ${user.role}`);
        await updateOperator({
          db: app.db,
          actor: systemActor('bench'),
          input: { operatorId: row.id, password: PASSWORD },
        });
      }
    } finally {
      await sql.end({ timeout: 5 });
    }
  } finally {
    await app.close();
  }
}

/** Signs each user in through next-auth's credentials sign-in, as the login form does. */
async function signIn(baseUrl: string): Promise<Map<Role, string>> {
  const cookies = new Map<Role, string>();
  for (const user of USERS) {
    const browser = new Browser(baseUrl);
    const result = await browser.signIn('credentials', { email: user.email, password: PASSWORD });
    const session = await browser.session();
    if (!result.ok || !('user' in session))
      throw new Error(`sign-in of ${user.email} failed: ${result.error ?? 'no session'}`);
    cookies.set(user.role, [...browser.cookies].map(([k, v]) => `${k}=${v}`).join('; '));
  }
  return cookies;
}

/** One request of a run: a page as one user (or, for the baseline, nobody). */
type Visit = { path: string; role: Role | null; cookie: string };

type Answer = { status: number; html: string; wireBytes: number; location?: string };

/** A browser's navigation: document request headers, compressed answer, the body read in full. */
function getDocument(agent: http.Agent, url: URL, cookie: string): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const request = http.request(
      url,
      {
        method: 'GET',
        agent,
        headers: {
          accept: 'text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8',
          'accept-encoding': 'gzip, deflate, br',
          'accept-language': 'ru,en;q=0.8',
          'sec-fetch-dest': 'document',
          'sec-fetch-mode': 'navigate',
          'user-agent': 'Mozilla/5.0 (X11; Linux x86_64) bench:dashboard',
          ...(cookie ? { cookie } : {}),
        },
      },
      (response) => {
        const chunks: Buffer[] = [];
        response.on('data', (chunk: Buffer) => chunks.push(chunk));
        response.on('end', () => {
          const body = Buffer.concat(chunks);
          const encoding = response.headers['content-encoding'];
          try {
            const html = (
              encoding === 'gzip'
                ? zlib.gunzipSync(body)
                : encoding === 'br'
                  ? zlib.brotliDecompressSync(body)
                  : encoding === 'deflate'
                    ? zlib.inflateSync(body)
                    : body
            ).toString('utf8');
            resolve({
              status: response.statusCode ?? 0,
              html,
              wireBytes: body.length,
              location: response.headers.location,
            });
          } catch (error) {
            reject(error instanceof Error ? error : new Error(String(error)));
          }
        });
        response.on('error', reject);
      },
    );
    request.on('error', reject);
    request.end();
  });
}

/**
 * Why an answer is not the page: anything but 200, or a body without the dashboard's main
 * element (the login form for the baseline) — a redirect to /login or an error page would
 * otherwise be measured as a fast page.
 */
function problemOf(visit: Visit, answer: Answer): string | null {
  if (answer.status !== 200)
    return `HTTP ${answer.status}${answer.location ? ` → ${answer.location}` : ''} ${answer.html.slice(0, 200)}`;
  const marker = visit.role ? 'id="main"' : 'type="password"';
  if (!answer.html.includes(marker)) return `no ${marker} in the page (${answer.html.length} characters)`;
  return null;
}

type LoadResult = {
  durationMs: number;
  latenciesMs: Float64Array;
  roles: (Role | null)[];
  htmlBytes: number;
  wireBytes: number;
  failures: string[];
};

/** `count` visits, the variants in turn, `concurrency` in flight on keep-alive connections. */
async function runLoad(
  baseUrl: string,
  visits: Visit[],
  count: number,
  concurrency: number,
): Promise<LoadResult> {
  const agent = new http.Agent({ keepAlive: true, maxSockets: concurrency });
  const latenciesMs = new Float64Array(count);
  const roles: (Role | null)[] = Array.from({ length: count }, () => null);
  const failures: string[] = [];
  let htmlBytes = 0;
  let wireBytes = 0;
  let next = 0;
  const worker = async () => {
    while (next < count) {
      const index = next++;
      const visit = visits[index % visits.length] as Visit;
      roles[index] = visit.role;
      const url = new URL(visit.path, baseUrl);
      const started = performance.now();
      try {
        const answer = await getDocument(agent, url, visit.cookie);
        latenciesMs[index] = performance.now() - started;
        htmlBytes += answer.html.length;
        wireBytes += answer.wireBytes;
        const problem = problemOf(visit, answer);
        if (problem) failures.push(`${visit.role ?? 'anonymous'} ${visit.path}: ${problem}`);
      } catch (error) {
        latenciesMs[index] = performance.now() - started;
        failures.push(`${visit.path}: ${error instanceof Error ? error.message : String(error)}`);
      }
    }
  };
  const started = performance.now();
  await Promise.all(Array.from({ length: Math.min(concurrency, count) }, worker));
  const durationMs = performance.now() - started;
  agent.destroy();
  return {
    durationMs,
    latenciesMs,
    roles,
    htmlBytes: htmlBytes / count,
    wireBytes: wireBytes / count,
    failures,
  };
}

type RunRecord = {
  page: Page;
  rate: number;
  p50: number;
  p95: number;
  p99: number;
  max: number;
  /** p95 per signed-in role. */
  p95ByRole: Partial<Record<Role, number>>;
  htmlBytes: number;
  wireBytes: number;
  cpu: CpuReport;
};

const mean = (values: number[]) => values.reduce((a, b) => a + b, 0) / Math.max(values.length, 1);

function visitsOf(page: Page, desk: Desk, cookies: Map<Role, string>): Visit[] {
  if (page === BASELINE) return page.paths(desk).map((path) => ({ path, role: null, cookie: '' }));
  // Users alternate: every path as each role in turn.
  return page
    .paths(desk)
    .flatMap((path) => USERS.map((u) => ({ path, role: u.role, cookie: cookies.get(u.role) ?? '' })));
}

const kB = (bytes: number) => (bytes / 1000).toFixed(1);

async function main(): Promise<number> {
  if (flags.help) {
    console.log(HELP);
    return 0;
  }
  const databaseUrl = process.env.DATABASE_URL;
  if (!databaseUrl)
    throw new Error('bench:dashboard measures Postgres: set DATABASE_URL (PGlite is not benched)');
  assertLocalDatabaseUrl(databaseUrl);
  const size = fullSeedSize({
    clients: integer('--clients', flags.clients, 100_000),
    openClients: integer('--open-clients', flags['open-clients'], 10_000),
    messages: integer('--messages', flags.messages, 1_000_000),
    longHistories: integer('--long-histories', flags['long-histories'], 100),
    operatorLogs: integer('--operator-logs', flags['operator-logs'], 200_000),
    // The overview's first-response median and resolved-today count read the episodes.
    conversations: true,
  });
  const requests = integer('--requests', flags.requests, 200);
  const warmup = integer('--warmup', flags.warmup, 40, 0);
  const concurrency = integer('--concurrency', flags.concurrency, 4);
  const rounds = integer('--rounds', flags.rounds, 1);
  const poolMax = integer('--pool-max', flags['pool-max'], 10);
  const port = integer('--port', flags.port, 3320);
  const names = flags.pages?.split(',').map((s) => s.trim()) ?? PAGES.map((p) => p.name);
  const unknown = names.filter((n) => !PAGES.some((p) => p.name === n));
  if (unknown.length > 0) throw new Error(`unknown pages: ${unknown.join(', ')}`);
  const pages = PAGES.filter((p) => names.includes(p.name));
  const started = new Date();
  const date = `${started.toISOString().slice(0, 16).replace('T', ' ')} UTC`;

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
  await setPasswords(databaseUrl);
  const desk = await readDesk(databaseUrl, size);
  console.log(
    `desk: ${desk.openClients.toLocaleString('en')} open clients (${desk.queuedClients.toLocaleString('en')} queued), ` +
      `~${desk.messages.toLocaleString('en')} messages; long chats: ${desk.longChats.length} clients with ` +
      `${Math.min(...desk.longChats.map((c) => c.messages))}–${Math.max(...desk.longChats.map((c) => c.messages))} messages`,
  );

  const servers: Server[] = [];
  const stop = async () => {
    await Promise.all(servers.splice(0).map((s) => s.stop()));
  };
  for (const signal of ['SIGINT', 'SIGTERM'] as const)
    process.once(signal, () => void stop().finally(() => process.exit(130)));

  const records: RunRecord[] = [];
  const sizes: { page: string; role: Role; js: FirstLoadJs; htmlBytes: number }[] = [];
  let errors = 0;
  try {
    await buildApp(flags['skip-build']);
    const baseUrl = `http://localhost:${port}`;
    const server = startServer(
      port,
      {
        DATABASE_URL: databaseUrl,
        DATABASE_POOL_MAX: String(poolMax),
        NEXTAUTH_SECRET: 'bench',
        NEXTAUTH_URL: baseUrl,
        APP_URL: baseUrl,
      },
      // e.g. "--cpu-prof --cpu-prof-dir=/tmp/prof" to profile the Next server only.
      (process.env.BENCH_SERVER_NODE_ARGS ?? '').split(' ').filter(Boolean),
    );
    servers.push(server);
    await waitForHealth(baseUrl, server);
    const cookies = await signIn(baseUrl);

    // First-load JS: every page once per role, from the HTML the server answers.
    const gzipCache = new Map<string, number>();
    const probe = new http.Agent({ keepAlive: true });
    for (const page of pages) {
      for (const visit of visitsOf(page, desk, cookies).filter(
        (v, i, all) => all.findIndex((w) => w.role === v.role) === i,
      )) {
        const answer = await getDocument(probe, new URL(visit.path, baseUrl), visit.cookie);
        const problem = problemOf(visit, answer);
        if (problem) throw new Error(`${visit.role} ${visit.path}: ${problem}`);
        if (!visit.role) continue;
        sizes.push({
          page: page.name,
          role: visit.role,
          js: firstLoadJs(answer.html, DIST_DIR, gzipCache),
          htmlBytes: answer.wireBytes,
        });
      }
    }
    probe.destroy();

    // A fresh server compiles each route and its code paths on first use: every page once,
    // unmeasured, so the first baseline is not measured against a cold server.
    for (const page of [BASELINE, ...pages]) {
      const warm = await runLoad(baseUrl, visitsOf(page, desk, cookies), warmup, concurrency);
      errors += warm.failures.length;
      for (const failure of warm.failures.slice(0, 5)) console.log(`  error (server warm-up): ${failure}`);
    }

    const order: Page[] = [BASELINE];
    for (let r = 0; r < rounds; r++) order.push(...pages, BASELINE);
    for (const [run, page] of order.entries()) {
      console.log(`\n== run ${run + 1}/${order.length}: ${page.name} — ${page.what} ==`);
      const visits = visitsOf(page, desk, cookies);
      const warm = await runLoad(baseUrl, visits, warmup, concurrency);
      const meter = startCpuMeter(server, await backendPids(databaseUrl));
      const result = await runLoad(baseUrl, visits, requests, concurrency);
      const cpu = meter.report(result.durationMs / 1000, requests, await backendPids(databaseUrl), 'request');
      const failures = [...warm.failures, ...result.failures];
      errors += failures.length;
      for (const failure of failures.slice(0, 5)) console.log(`  error: ${failure}`);
      if (failures.length > 0) console.log(`${server.label} output (last lines):\n${server.tail()}`);
      const sorted = result.latenciesMs.slice().sort();
      const p95ByRole: Partial<Record<Role, number>> = {};
      for (const user of USERS) {
        const own = Float64Array.from(
          result.latenciesMs.filter((_, i) => result.roles[i] === user.role),
        ).sort();
        if (own.length > 0) p95ByRole[user.role] = percentile(own, 95);
      }
      const record: RunRecord = {
        page,
        rate: requests / (result.durationMs / 1000),
        p50: percentile(sorted, 50),
        p95: percentile(sorted, 95),
        p99: percentile(sorted, 99),
        max: percentile(sorted, 100),
        p95ByRole,
        htmlBytes: result.htmlBytes,
        wireBytes: result.wireBytes,
        cpu,
      };
      records.push(record);
      console.log(
        `${requests} requests in ${(result.durationMs / 1000).toFixed(2)} s = ${record.rate.toFixed(1)}/s, ` +
          `errors ${failures.length}; latency ms p50 ${record.p50.toFixed(1)}, p95 ${record.p95.toFixed(1)} ` +
          `(${Object.entries(p95ByRole)
            .map(([role, p]) => `${role} ${p.toFixed(1)}`)
            .join(', ')}), p99 ${record.p99.toFixed(1)}, max ${record.max.toFixed(1)}; ` +
          `HTML ${kB(record.htmlBytes)} kB (${kB(record.wireBytes)} kB compressed)`,
      );
      for (const line of cpu.lines) console.log(line);
    }
  } finally {
    await stop();
  }

  printSummary(records, sizes, { date, concurrency, requests, poolMax });
  console.log(
    `load avg after: ${os
      .loadavg()
      .map((l) => l.toFixed(1))
      .join(' ')}`,
  );
  console.log(errors === 0 ? 'RESULT: ok' : `RESULT: FAILED (${errors} error answers)`);
  return errors === 0 ? 0 : 1;
}

/**
 * Every run; per page its throughput and CPU as ratios to the mean baseline of the same bench
 * run, its worst p95 against the issue's target, and its first-load JS against the size target.
 */
function printSummary(
  records: RunRecord[],
  sizes: { page: string; role: Role; js: FirstLoadJs; htmlBytes: number }[],
  run: { date: string; concurrency: number; requests: number; poolMax: number },
) {
  const baselines = records.filter((r) => r.page === BASELINE);
  const baseRate = mean(baselines.map((r) => r.rate));
  const baseCpu = mean(baselines.map((r) => r.cpu.serverMs + r.cpu.postgresMs));
  const fixed = (n: number) => n.toFixed(1);
  console.log(
    `\n== summary, ${run.date}: ${run.requests} requests per run, ${run.concurrency} in flight, pool ${run.poolMax}, ` +
      `${os.cpus().length} cpus ==`,
  );
  printLoadRuns(
    records.map((r) => ({ ...r, name: r.page.name })),
    baselines.map((b) => b.rate),
    baseRate,
    { nameHeader: 'page', digits: { rate: 1, cpu: 1 } },
  );
  const verdicts = [...new Set(records.map((r) => r.page))]
    .filter((p) => p !== BASELINE)
    .map((page) => {
      const runs = records.filter((r) => r.page === page);
      const p95 = Math.max(...runs.map((r) => r.p95));
      const cpu = mean(runs.map((r) => r.cpu.serverMs + r.cpu.postgresMs));
      const js = Math.max(...sizes.filter((s) => s.page === page.name).map((s) => s.js.gzipBytes));
      return [
        page.name,
        (mean(runs.map((r) => r.rate)) / baseRate).toFixed(2),
        (baseCpu / cpu).toFixed(2),
        fixed(Math.max(...runs.map((r) => r.p50))),
        fixed(p95),
        fixed(Math.max(...runs.map((r) => r.p99))),
        p95 <= P95_TARGET_MS ? 'PASS' : 'MISS',
        kB(js),
        js <= FIRST_LOAD_JS_TARGET_BYTES ? 'PASS' : 'MISS',
      ];
    });
  console.log('');
  printTable(
    [
      'page',
      'ratio',
      'cpu ratio',
      'p50 (worst run)',
      'p95 (worst run)',
      'p99 (worst run)',
      `p95 ≤ ${P95_TARGET_MS} ms`,
      'first-load JS kB gz',
      `≤ ${FIRST_LOAD_JS_TARGET_BYTES / 1000} kB`,
    ],
    verdicts,
  );
  console.log('\nfirst-load JS per page and role (chunks the page HTML references, read from the build):');
  printTable(
    ['page', 'role', 'chunks', 'JS kB', 'JS kB gzip', 'HTML kB compressed'],
    sizes.map((s) => [
      s.page,
      s.role,
      String(s.js.chunks),
      kB(s.js.rawBytes),
      kB(s.js.gzipBytes),
      kB(s.htmlBytes),
    ]),
  );
  console.log(
    'kB = 1,000 bytes, gzip level 9. cpu ratio = baseline ÷ page server + Postgres CPU ms per request.\n' +
      'Targets from the dashboard issue; a MISS is reported, not an error (latency depends on the machine and its other work).',
  );
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error('bench failed:', error instanceof Error ? error.message : error);
    process.exit(1);
  },
);
