import fs from 'node:fs';
import path from 'node:path';
import type { ExtractTablesWithRelations } from 'drizzle-orm';
import type { PgDatabase, PgQueryResultHKT, PgTransaction } from 'drizzle-orm/pg-core';
import { getEnv } from '@/lib/env';
import * as schema from './schema';

export type Schema = typeof schema;
export type Db = PgDatabase<PgQueryResultHKT, Schema, ExtractTablesWithRelations<Schema>>;
export type Tx = PgTransaction<PgQueryResultHKT, Schema, ExtractTablesWithRelations<Schema>>;
export type DbOrTx = Db | Tx;

export type DbHandle = {
  db: Db;
  kind: 'pglite' | 'postgres';
  close: () => Promise<void>;
};

type GlobalWithDb = typeof globalThis & { __deskDb?: Promise<DbHandle> };
const g = globalThis as GlobalWithDb;

export function migrationsFolder() {
  return path.resolve(/* turbopackIgnore: true */ process.cwd(), getEnv().MIGRATIONS_DIR);
}

/**
 * How long a postgres.js connection that closed with an error waits before it reconnects
 * (seconds), after `retries` such errors in the pool since its last successful connect: 0.05 s
 * doubling to at most 1 s, with jitter. postgres.js's default grows to 10–20 s after ten errors
 * (`3 ** retries / 100`), which a restart of a few seconds under load easily reaches: requests
 * then waited that long for a database that was back.
 */
export function reconnectDelaySeconds(retries: number): number {
  return Math.min(0.05 * 2 ** retries, 1) * (0.5 + Math.random() / 2);
}

/**
 * Opens PGlite (migrating it) or a postgres.js pool, from the environment. postgres.js is patched
 * (patches/, applied by `npm install`): as released it could crash the process or lose pool
 * connections when one closed inside a transaction.
 */
export async function openDb(options: { pgliteDir?: string; databaseUrl?: string } = {}): Promise<DbHandle> {
  const env = getEnv();
  const url = options.databaseUrl ?? (options.pgliteDir ? undefined : env.DATABASE_URL);
  if (url) {
    const { default: postgres } = await import('postgres');
    const { drizzle } = await import('drizzle-orm/postgres-js');
    const sql = postgres(url, {
      max: env.DATABASE_POOL_MAX,
      // Seconds. A server that is down refuses at once; one that takes longer than this to
      // accept is as good as down for a webhook that must answer within seconds.
      connect_timeout: 3,
      idle_timeout: 60,
      backoff: reconnectDelaySeconds,
      onnotice: () => {},
    });
    const db: Db = drizzle(sql, { schema });
    return { db, kind: 'postgres', close: () => sql.end({ timeout: 5 }) };
  }
  const { PGlite } = await import('@electric-sql/pglite');
  // pg_trgm (the clients list's name search, migration 0010) ships with PGlite as a contrib
  // extension; it must be loaded here for CREATE EXTENSION to find it.
  const { pg_trgm } = await import('@electric-sql/pglite/contrib/pg_trgm');
  const { drizzle } = await import('drizzle-orm/pglite');
  const { migrate } = await import('drizzle-orm/pglite/migrator');
  const dir = options.pgliteDir ?? env.PGLITE_DIR;
  const inMemory = dir.startsWith('memory://');
  const location = inMemory ? dir : path.resolve(/* turbopackIgnore: true */ process.cwd(), dir);
  if (!inMemory) fs.mkdirSync(/* turbopackIgnore: true */ location, { recursive: true });
  const unlock = inMemory ? async () => {} : await lockPgliteDir(location, dir);
  try {
    const client = new PGlite(location, { extensions: { pg_trgm } });
    const db: Db = drizzle(client, { schema });
    await migrate(drizzle(client), { migrationsFolder: migrationsFolder() });
    return {
      db,
      kind: 'pglite',
      close: async () => {
        await client.close();
        await unlock();
      },
    };
  } catch (error) {
    await unlock();
    throw error;
  }
}

/** Thrown when another process has the embedded database open. */
export class PgliteInUseError extends Error {
  constructor(dir: string) {
    super(
      `The embedded database ${dir} is open in another process (the running app, or a script). ` +
        'PGlite serves one process at a time, and a second one would lose data: stop the app ' +
        'before running scripts such as `npm run token:create`, or run the desk on Postgres ' +
        '(DATABASE_URL).',
    );
    this.name = 'PgliteInUseError';
  }
}

/**
 * Takes the PGlite directory for this process (proper-lockfile: a lock directory `<dir>.lock` beside the
 * data whose time is refreshed while the process lives, released on exit, taken over once it is
 * 10 s stale after a crash). Two processes writing one PGlite directory silently lose each
 * other's writes. Resolves to the release function.
 * @throws PgliteInUseError when another live process holds it.
 */
async function lockPgliteDir(location: string, dir: string): Promise<() => Promise<void>> {
  const lockfile = await import('proper-lockfile');
  try {
    return await lockfile.lock(location, {
      lockfilePath: `${location}.lock`,
      stale: 10_000,
      realpath: false,
    });
  } catch (error) {
    if ((error as { code?: string }).code === 'ELOCKED') throw new PgliteInUseError(dir);
    throw error;
  }
}

/** The process-wide database, opened on first use. */
export async function getDbHandle(): Promise<DbHandle> {
  if (!g.__deskDb) {
    g.__deskDb = openDb().catch((error: unknown) => {
      g.__deskDb = undefined;
      throw error;
    });
  }
  return g.__deskDb;
}

export async function getDb(): Promise<Db> {
  return (await getDbHandle()).db;
}

/** Tests and scripts swap the process-wide database. */
export function setDbHandle(handle: DbHandle | undefined) {
  g.__deskDb = handle ? Promise.resolve(handle) : undefined;
}

export async function closeDb() {
  const handle = g.__deskDb;
  g.__deskDb = undefined;
  if (handle) await (await handle).close();
}
