// The `daily-report` scenario of `npm run bench:jobs`: one department-day holding 1,000,000
// messages (by default), reported by the job's own domain function on Postgres. See bench/README.md.
import postgres from 'postgres';
import { openDb } from '@/db/client';
import { assertLocalDatabaseUrl, migrateAndTruncate } from '@/db/maintenance';
import { runDailyReports } from '@/lib/jobs/daily-report';
import { generateDailyReport } from '@/lib/reports/generate-daily-report';
import { generateOperatorStats } from '@/lib/reports/generate-operator-stats';
import { localDay } from '@/lib/time/local-day-range';

export type DailyReportBenchOptions = {
  url: string;
  /** Messages in the measured department-day (default 1,000,000). */
  messages: number;
  /** Messages of a second department at the same instants, which the report must leave out. */
  otherMessages: number;
  /** Clients (and episodes) of the measured department that day. */
  clients: number;
  /** Measured runs of each step (after one unmeasured). */
  runs: number;
};

export type DailyReportBenchResult = {
  seedSeconds: number;
  day: string;
  timeZone: string;
  baselineMs: number[];
  reportMs: number[];
  operatorStatsMs: number[];
  jobMs: number;
  figures: { inbound: number; outbound: number; newClients: number; resolved: number };
  expected: { inbound: number; outbound: number; newClients: number; resolved: number };
};

const DAY = '2026-11-29';
const ZONE = 'Europe/Moscow';
const OTHER_ZONE = 'America/New_York';
const OPERATORS_PER_DEPARTMENT = 10;
const BIG_TABLES = ['telegram_users', 'clients', 'conversations', 'messages'];

/**
 * Seeds an emptied database in one transaction the way bench/lib-api-seed.ts does (secondary
 * indexes of the big tables dropped and rebuilt from their definitions, triggers and foreign-key
 * checks off, then VACUUM ANALYZE): two departments (Europe/Moscow, America/New_York) of 10
 * operators each; `clients` clients of the first department created during its day of
 * 29 November, each with one episode opened then (first answer 30 s – 2 h later, 70 % resolved
 * that day, 40 % of those rated); `messages` messages spread evenly over that day, inbound and
 * outbound alternating (outbound: operators' 80 %, auto-replies 10 %, system 10 %); and
 * `otherMessages` messages of the second department's clients over the same instants.
 * Returns the seconds taken.
 */
export async function seedDailyReportDesk(options: DailyReportBenchOptions): Promise<number> {
  const { start, end } = localDay(DAY, ZONE);
  const started = performance.now();
  await migrateAndTruncate(options.url);
  const sql = postgres(options.url, { max: 1, onnotice: () => {} });
  try {
    await sql.begin(async (tx) => {
      await tx.unsafe(`set local session_replication_role = replica`);
      await tx.unsafe(`set local synchronous_commit = off`);
      await tx.unsafe(`set local maintenance_work_mem = '1GB'`);
      await tx.unsafe(`select setseed(0.42)`);
      const indexes = await tx<{ name: string; definition: string }[]>`
        select quote_ident(ic.relname) as name, pg_get_indexdef(i.indexrelid) as definition
        from pg_index i join pg_class t on t.oid = i.indrelid join pg_class ic on ic.oid = i.indexrelid
        where t.relnamespace = 'public'::regnamespace and t.relname = any(${BIG_TABLES})
          and not exists (select 1 from pg_constraint c where c.conindid = i.indexrelid)`;
      for (const index of indexes) await tx.unsafe(`drop index public.${index.name}`);

      const departments = await tx<{ id: string }[]>`
        insert into departments ${tx([
          {
            name: 'Moscow',
            working_hours: { timeZone: ZONE, days: [{ day: 1, from: '09:00', to: '18:00' }] },
          },
          {
            name: 'New York',
            working_hours: { timeZone: OTHER_ZONE, days: [{ day: 1, from: '09:00', to: '18:00' }] },
          },
        ])} returning id`;
      const [moscow, newYork] = departments.map((d) => d.id);
      if (!moscow || !newYork) throw new Error('departments not stored');
      await tx.unsafe(`create temp table seed_ops (dept int, slot int, id uuid) on commit drop`);
      for (const [dept, departmentId] of [moscow, newYork].entries()) {
        const ops = await tx<{ id: string }[]>`
          insert into operators ${tx(
            Array.from({ length: OPERATORS_PER_DEPARTMENT }, (_, i) => ({
              email: `bench-${dept}-${i}@bench.local`,
              name: `Bench ${dept}-${i}`,
              role: i === 0 ? 'supervisor' : 'operator',
            })),
          )} returning id`;
        await tx`insert into operator_departments ${tx(ops.map((o) => ({ operator_id: o.id, department_id: departmentId })))}`;
        await tx`insert into seed_ops ${tx(ops.map((o, slot) => ({ dept, slot, id: o.id })))}`;
      }

      const dayMs = end.getTime() - start.getTime();
      const from = start.toISOString();
      // Clients 1..N of Moscow, N+1..N+N/4 of New York; ids from 2e9 up.
      const otherClients = Math.max(1, Math.floor(options.clients / 4));
      await tx`
        insert into telegram_users (id, first_name)
        select 2000000000 + g, 'Bench ' || g from generate_series(1, ${options.clients + otherClients}) g`;
      /* eslint-disable no-restricted-syntax -- a bench filling an empty database, not a client's state change */
      await tx`
        insert into clients (telegram_user_id, chat_id, display_name, department_id, assigned_operator_id, status, created_at)
        select 2000000000 + g, 2000000000 + g, 'Bench ' || g,
          case when g <= ${options.clients} then ${moscow}::uuid else ${newYork}::uuid end,
          (select id from seed_ops where dept = case when g <= ${options.clients} then 0 else 1 end
             and slot = 1 + g % ${OPERATORS_PER_DEPARTMENT - 1}),
          'in_progress',
          ${from}::timestamptz + (g % ${options.clients}) * (${dayMs}::double precision / ${options.clients}) * interval '1 millisecond'
        from generate_series(1, ${options.clients + otherClients}) g`;
      await tx`
        insert into conversations (client_id, department_id, operator_id, status, opened_at, first_response_at, resolved_at, rating)
        select c.id, c.department_id, c.assigned_operator_id,
          case when r.resolved then 'resolved'::conversation_status else 'open'::conversation_status end,
          c.created_at, c.created_at + (30 + r.wait) * interval '1 second',
          case when r.resolved then c.created_at + (60 + r.wait * 3) * interval '1 second' end,
          case when r.resolved and r.rated then 1 + (r.wait % 5) end
        from clients c
        cross join lateral (select (random() * 7170)::int as wait, random() < 0.7 as resolved, random() < 0.4 as rated) r`;
      await tx`update clients c set current_conversation_id = v.id from conversations v where v.client_id = c.id`;
      /* eslint-enable no-restricted-syntax */
      await tx`
        insert into messages (client_id, conversation_id, direction, sender_kind, operator_id, text, telegram_chat_id, telegram_message_id, created_at)
        select c.id, c.current_conversation_id,
          case when g % 2 = 0 then 'inbound'::message_direction else 'outbound'::message_direction end,
          case when g % 2 = 0 then 'client'::sender_kind when g % 20 = 1 then 'bot'::sender_kind
            when g % 20 = 3 then 'system'::sender_kind else 'operator'::sender_kind end,
          case when g % 2 = 1 and g % 20 not in (1, 3) then c.assigned_operator_id end,
          'Bench message ' || g, c.chat_id, g,
          ${from}::timestamptz + g * (${dayMs}::double precision / ${options.messages + 1}) * interval '1 millisecond'
        from generate_series(1, ${options.messages}) g
        join clients c on c.telegram_user_id = 2000000000 + 1 + g % ${options.clients}`;
      await tx`
        insert into messages (client_id, direction, sender_kind, text, telegram_chat_id, telegram_message_id, created_at)
        select c.id, 'inbound', 'client', 'Other ' || g, c.chat_id, ${options.messages} + g,
          ${from}::timestamptz + g * (${dayMs}::double precision / ${options.otherMessages + 1}) * interval '1 millisecond'
        from generate_series(1, ${options.otherMessages}) g
        join clients c on c.telegram_user_id = 2000000000 + ${options.clients} + 1 + g % ${otherClients}`;
      for (const index of indexes) await tx.unsafe(index.definition);
    });
    for (const table of BIG_TABLES) await sql.unsafe(`vacuum (analyze) ${table}`);
  } finally {
    await sql.end();
  }
  return (performance.now() - started) / 1000;
}

/** Milliseconds `work` takes, `runs` times after one unmeasured run. */
async function timed(runs: number, work: () => Promise<unknown>): Promise<number[]> {
  await work();
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now();
    await work();
    times.push(performance.now() - t0);
  }
  return times;
}

/**
 * Seeds (seedDailyReportDesk), then times in this process, on the app's own Postgres client:
 * the baseline — one count of the day's messages over messages_created_idx, the floor of any
 * report over them — the department-day report (generateDailyReport, stored), one operator's
 * day (generateOperatorStats) and one whole daily-report job run (both departments, from an
 * empty reports table). Checks the report's counts against the seed's own.
 */
export async function benchDailyReport(options: DailyReportBenchOptions): Promise<DailyReportBenchResult> {
  assertLocalDatabaseUrl(options.url);
  const seedSeconds = await seedDailyReportDesk(options);
  const handle = await openDb({ databaseUrl: options.url });
  const sql = postgres(options.url, { max: 1, onnotice: () => {} });
  try {
    const { db } = handle;
    const range = localDay(DAY, ZONE);
    const [dept] = await sql<{ id: string }[]>`select id from departments where name = 'Moscow'`;
    const [operator] = await sql<{ id: string }[]>`
      select operator_id as id from messages where operator_id is not null group by 1 order by count(*) desc limit 1`;
    if (!dept || !operator) throw new Error('seed incomplete');
    const [expected] = await sql<
      { inbound: number; outbound: number; new_clients: number; resolved: number }[]
    >`
      select
        (select count(*)::int from messages m join clients c on c.id = m.client_id
          where c.department_id = ${dept.id} and m.direction = 'inbound') as inbound,
        (select count(*)::int from messages m join clients c on c.id = m.client_id
          where c.department_id = ${dept.id} and m.direction = 'outbound' and m.sender_kind <> 'bot') as outbound,
        (select count(*)::int from clients where department_id = ${dept.id}) as new_clients,
        (select count(*)::int from conversations where department_id = ${dept.id}
          and resolved_at < ${range.end.toISOString()}::timestamptz) as resolved`;
    const baselineMs = await timed(
      options.runs,
      () =>
        sql`select count(*) from messages where created_at >= ${range.start.toISOString()}::timestamptz
        and created_at < ${range.end.toISOString()}::timestamptz`,
    );
    let figures = { inbound: -1, outbound: -1, newClients: -1, resolved: -1 };
    const reportMs = await timed(options.runs, async () => {
      const report = await generateDailyReport({
        db,
        departmentId: dept.id,
        timeZone: ZONE,
        ...range,
        now: new Date(),
      });
      figures = {
        inbound: report.inboundMessages,
        outbound: report.outboundMessages,
        newClients: report.newClients,
        resolved: report.resolved,
      };
    });
    const operatorStatsMs = await timed(options.runs, () =>
      generateOperatorStats({
        db,
        operatorId: operator.id,
        timeZone: ZONE,
        ...range,
        now: new Date(),
      }),
    );
    await sql`delete from daily_reports`;
    // 12:00 UTC on 30 November: both departments' 29th has ended.
    const t0 = performance.now();
    const job = await runDailyReports({ db, now: new Date('2026-11-30T12:00:00Z'), dryRun: false });
    const jobMs = performance.now() - t0;
    if (job.reported !== 2) throw new Error(`the job reported ${String(job.reported)} departments, not 2`);
    return {
      seedSeconds,
      day: DAY,
      timeZone: ZONE,
      baselineMs,
      reportMs,
      operatorStatsMs,
      jobMs,
      figures,
      expected: {
        inbound: expected?.inbound ?? -1,
        outbound: expected?.outbound ?? -1,
        newClients: expected?.new_clients ?? -1,
        resolved: expected?.resolved ?? -1,
      },
    };
  } finally {
    await sql.end();
    await handle.close();
  }
}
