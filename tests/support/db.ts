import { sql } from 'drizzle-orm';
import { drizzle } from 'drizzle-orm/postgres-js';
import { migrate } from 'drizzle-orm/postgres-js/migrator';
import postgres from 'postgres';
import { migrationsFolder, openDb, setDbHandle, type Db, type DbHandle } from '@/db/client';

const LOCAL_HOSTS = new Set(['localhost', '127.0.0.1', '::1', '[::1]']);

type GlobalWithTestDb = typeof globalThis & { __testDb?: Promise<DbHandle> };
const g = globalThis as GlobalWithTestDb;

/** Tests TRUNCATE everything: refuse any database that is not on this machine. */
function assertLocal(url: string) {
  const host = new URL(url).hostname;
  if (!LOCAL_HOSTS.has(host))
    throw new Error(`Refusing to run tests against non-local database host ${host}`);
}

async function open(): Promise<DbHandle> {
  const url = process.env.DATABASE_URL;
  if (url) {
    assertLocal(url);
    const migrator = postgres(url, { max: 1, onnotice: () => {} });
    try {
      await migrate(drizzle(migrator), { migrationsFolder: migrationsFolder() });
    } finally {
      await migrator.end();
    }
    return openDb({ databaseUrl: url });
  }
  return openDb({ pgliteDir: 'memory://' });
}

/** One database per test worker, installed as the process-wide database for route handlers. */
export async function getTestDb(): Promise<Db> {
  g.__testDb ??= open();
  const handle = await g.__testDb;
  setDbHandle(handle);
  return handle.db;
}

export function testDbKind(): 'postgres' | 'pglite' {
  return process.env.DATABASE_URL ? 'postgres' : 'pglite';
}

const TABLES = [
  'operator_notifications',
  'message_edits',
  'attachments',
  'messages',
  'conversations',
  'clients',
  'telegram_users',
  'operator_logs',
  'auth_tokens',
  'api_tokens',
  'operator_departments',
  'operators',
  'departments',
  'telegram_updates',
  'settings',
];

export async function resetDb(db: Db) {
  await db.execute(sql.raw(`truncate table ${TABLES.join(', ')} restart identity cascade`));
}
