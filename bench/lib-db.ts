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
 * Creates, migrates and empties the bench database, then seeds one default department with
 * `operators` online operators whose total capacity covers every client, so no client is
 * queued and no auto-reply is attempted.
 */
export async function prepareDatabase(url: string, seed: { operators: number; capacity: number }) {
  await createDatabaseIfMissing(url);
  await migrateAndTruncate(url);
  const sql = open(url);
  try {
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

export type Ranges = {
  users: { from: number; to: number };
  updates: { from: number; to: number };
};

export type Check = { name: string; actual: number; expected: number };

/** Row counts proving every measured update was stored exactly once and every client assigned. */
export async function verifyCounts(
  url: string,
  ranges: Ranges,
  expected: { updates: number; clients: number },
) {
  const sql = open(url);
  const u = ranges.users;
  const count = async (query: Promise<{ n: number }[]>) => (await query)[0]?.n ?? -1;
  try {
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
        name: 'telegram_updates rows',
        expected: expected.updates,
        actual: await count(sql<{ n: number }[]>`select count(*)::int as n from telegram_updates
          where update_id between ${ranges.updates.from} and ${ranges.updates.to} and status = 'processed'`),
      },
      {
        name: 'unassigned clients',
        expected: 0,
        actual: await count(sql<{ n: number }[]>`select count(*)::int as n from clients
          where telegram_user_id between ${u.from} and ${u.to} and assigned_operator_id is null`),
      },
      {
        name: 'sum of unread counts',
        expected: expected.updates,
        actual: await count(sql<{ n: number }[]>`select coalesce(sum(unread_count), 0)::int as n from clients
          where telegram_user_id between ${u.from} and ${u.to}`),
      },
      {
        name: 'outbound messages (auto-replies)',
        expected: 0,
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
