import { sql } from 'drizzle-orm';
import { openDb, setDbHandle, type Db, type DbHandle } from '@/db/client';
import { migrateAndTruncate, truncateWith } from '@/db/maintenance';

type GlobalWithTestDb = typeof globalThis & { __testDb?: Promise<DbHandle> };
const g = globalThis as GlobalWithTestDb;

async function open(): Promise<DbHandle> {
  const url = process.env.DATABASE_URL;
  if (url) {
    // Tests truncate everything: this refuses any database that is not on this machine.
    await migrateAndTruncate(url);
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

export async function resetDb(db: Db) {
  await truncateWith((text) => db.execute(sql.raw(text)));
}
