import postgres from 'postgres';
import { assertLocalDatabaseUrl, migrateAndTruncate } from '@/db/maintenance';

/** The bench truncates every table, so it must never point at a shared or remote database. */
export const assertLocalDatabase = assertLocalDatabaseUrl;

function open(url: string, max = 1) {
  return postgres(url, { max, onnotice: () => {} });
}

async function createDatabaseIfMissing(url: string): Promise<void> {
  const parsed = new URL(url);
  const name = decodeURIComponent(parsed.pathname.slice(1));
  if (!/^[a-z_][a-z0-9_]*$/.test(name)) throw new Error(`unexpected database name "${name}"`);
  parsed.pathname = '/postgres';
  const admin = open(parsed.toString());
  try {
    const found = await admin`select 1 from pg_database where datname = ${name}`;
    if (found.length === 0) {
      await admin.unsafe(`create database "${name}"`);
      console.log(`created database ${name}`);
    }
  } finally {
    await admin.end();
  }
}

/**
 * Creates, migrates and empties the bench database, creates the baseline server's own table,
 * then seeds one default department with `operators` online operators whose total capacity
 * covers every client of every staffed run, so no client is queued there and no auto-reply is
 * attempted. setOperatorsOnline(url, false) makes the same desk one with nobody online.
 */
export async function prepareDatabase(url: string, seed: { operators: number; capacity: number }) {
  await createDatabaseIfMissing(url);
  await migrateAndTruncate(url); // also empties bench_baseline_updates: it lives in public
  const sql = open(url);
  try {
    // bench/baseline-server.ts writes here: one row per update, nothing else.
    await sql`create table if not exists bench_baseline_updates (
      update_id bigint primary key, chat_id bigint, message_id bigint, text text,
      received_at timestamptz not null default now())`;
    const [department] = await sql<{ id: string }[]>`
      insert into departments (name, is_default) values ('General', true) returning id`;
    if (!department) throw new Error('department insert returned no row');
    const seeded = Array.from({ length: seed.operators }, (_, i) => ({
      email: `bench-operator-${i + 1}@bench.local`,
      name: `Bench Operator ${i + 1}`,
      role: 'operator',
      status: 'online',
      capacity: seed.capacity,
    }));
    const operators = await sql<{ id: string }[]>`
      insert into operators ${sql(seeded)} returning id`;
    const links = operators.map((o) => ({ operator_id: o.id, department_id: department.id }));
    await sql`insert into operator_departments ${sql(links)}`;
  } finally {
    await sql.end();
  }
}

/**
 * Puts every operator online (a staffed desk) or offline (nobody online: new clients are
 * queued). Written directly, not through the app, so no queue drain runs: clients queued by an
 * earlier run stay queued and do not compete with the next run.
 */
export async function setOperatorsOnline(url: string, online: boolean): Promise<void> {
  const sql = open(url);
  try {
    await sql`update operators set status = ${online ? 'online' : 'offline'}, status_changed_at = now()`;
  } finally {
    await sql.end();
  }
}

/**
 * Waits until no outbound message is queued or being sent — the queue auto-replies the app
 * sends after answering — so one run's follow-up work does not run into the next run.
 * Returns the seconds waited.
 */
export async function waitForOutboundIdle(url: string, timeoutMs = 120_000): Promise<number> {
  const sql = open(url);
  const started = performance.now();
  try {
    for (;;) {
      const [row] = await sql<{ n: number }[]>`select count(*)::int as n from messages
        where direction = 'outbound' and delivery_status in ('queued', 'sending')`;
      if ((row?.n ?? 0) === 0) return (performance.now() - started) / 1000;
      if (performance.now() - started > timeoutMs)
        throw new Error(`${row?.n} outbound messages still queued or sending after ${timeoutMs / 1000} s`);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  } finally {
    await sql.end();
  }
}

/** Outbound messages of the range's clients by delivery status, e.g. "failed 500". */
export async function outboundByStatus(url: string, users: { from: number; to: number }): Promise<string> {
  const sql = open(url);
  try {
    const rows = await sql<{ status: string | null; n: number }[]>`
      select delivery_status as status, count(*)::int as n from messages
      where direction = 'outbound' and telegram_chat_id between ${users.from} and ${users.to}
      group by 1 order by 1`;
    return rows.map((r) => `${r.status ?? 'null'} ${r.n}`).join(', ') || 'none';
  } finally {
    await sql.end();
  }
}

export type Ranges = {
  users: { from: number; to: number };
  updates: { from: number; to: number };
};

export type Check = { name: string; actual: number; expected: number };

/** What a run should have left behind: the baseline's rows, an assigned desk, or a queue. */
export type Expectation = 'baseline' | 'staffed' | 'queued';

/**
 * Row counts proving every measured update was stored exactly once (duplicates stored nothing)
 * and every client was assigned (staffed) or queued with one auto-reply (queued).
 */
export async function verifyCounts(
  url: string,
  expectation: Expectation,
  ranges: Ranges,
  expected: { updates: number; clients: number },
): Promise<Check[]> {
  const sql = open(url);
  const u = ranges.users;
  const count = async (query: Promise<{ n: number }[]>) => (await query)[0]?.n ?? -1;
  try {
    if (expectation === 'baseline') {
      return [
        {
          name: 'baseline rows',
          expected: expected.updates,
          actual: await count(sql<{ n: number }[]>`select count(*)::int as n from bench_baseline_updates
            where update_id between ${ranges.updates.from} and ${ranges.updates.to}`),
        },
      ];
    }
    const queued = expectation === 'queued';
    const checks: Check[] = [
      {
        name: 'inbound messages',
        expected: expected.updates,
        actual: await count(sql<{ n: number }[]>`select count(*)::int as n from messages
          where direction = 'inbound' and telegram_chat_id between ${u.from} and ${u.to}`),
      },
      {
        name: 'clients',
        expected: expected.clients,
        actual: await count(sql<{ n: number }[]>`select count(*)::int as n from clients
          where telegram_user_id between ${u.from} and ${u.to}`),
      },
      {
        name: 'duplicate (chat, message) pairs',
        expected: 0,
        actual: await count(sql<{ n: number }[]>`select count(*)::int as n from (
          select telegram_chat_id, telegram_message_id from messages group by 1, 2 having count(*) > 1) d`),
      },
      {
        name: 'telegram_updates rows, all processed',
        expected: expected.updates,
        actual: await count(sql<{ n: number }[]>`select count(*)::int as n from telegram_updates
          where update_id between ${ranges.updates.from} and ${ranges.updates.to} and status = 'processed'`),
      },
      {
        name: 'telegram_updates rows, any status',
        expected: expected.updates,
        actual: await count(sql<{ n: number }[]>`select count(*)::int as n from telegram_updates
          where update_id between ${ranges.updates.from} and ${ranges.updates.to}`),
      },
      {
        name: 'unassigned clients',
        expected: queued ? expected.clients : 0,
        actual: await count(sql<{ n: number }[]>`select count(*)::int as n from clients
          where telegram_user_id between ${u.from} and ${u.to} and assigned_operator_id is null`),
      },
      {
        name: 'queued clients',
        expected: queued ? expected.clients : 0,
        actual: await count(sql<{ n: number }[]>`select count(*)::int as n from clients
          where telegram_user_id between ${u.from} and ${u.to} and queued_at is not null`),
      },
      {
        name: 'sum of unread counts',
        expected: expected.updates,
        actual: await count(sql<{ n: number }[]>`select coalesce(sum(unread_count), 0)::int as n from clients
          where telegram_user_id between ${u.from} and ${u.to}`),
      },
      {
        name: 'outbound messages (auto-replies)',
        expected: queued ? expected.clients : 0,
        actual: await count(sql<{ n: number }[]>`select count(*)::int as n from messages
          where direction = 'outbound' and telegram_chat_id between ${u.from} and ${u.to}`),
      },
    ];
    return checks;
  } finally {
    await sql.end();
  }
}

/** Server processes of the other sessions connected to the bench database (for CPU accounting). */
export async function backendPids(url: string): Promise<Set<number>> {
  const sql = open(url);
  try {
    const rows = await sql<{ pid: number }[]>`select pid from pg_stat_activity
      where datname = current_database() and pid <> pg_backend_pid()`;
    return new Set(rows.map((r) => r.pid));
  } finally {
    await sql.end();
  }
}
