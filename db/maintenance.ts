// Shared by the tests, the e2e setup and the benchmark: they migrate and empty a database, so
// they must only ever touch one on this machine.
import { drizzle } from 'drizzle-orm/postgres-js';
import { migrate } from 'drizzle-orm/postgres-js/migrator';
import postgres from 'postgres';
import { migrationsFolder } from './client';

const LOCAL_HOSTS = new Set(['localhost', '127.0.0.1', '::1', '[::1]']);

/** Throws unless the URL is a postgres:// URL of a database on this machine. */
export function assertLocalDatabaseUrl(url: string): void {
  const parsed = new URL(url);
  if (!/^postgres(ql)?:$/.test(parsed.protocol)) throw new Error(`Not a postgres:// URL: ${parsed.protocol}`);
  if (!LOCAL_HOSTS.has(parsed.hostname)) {
    throw new Error(`Refusing to wipe non-local database host "${parsed.hostname}".`);
  }
}

/**
 * Applies the migrations, then truncates every table of the app schema — found in the catalogue,
 * so a table added later is emptied too (drizzle's journal lives in its own schema and stays).
 */
export async function migrateAndTruncate(url: string): Promise<number> {
  assertLocalDatabaseUrl(url);
  const sql = postgres(url, { max: 1, onnotice: () => {} });
  try {
    await migrate(drizzle(sql), { migrationsFolder: migrationsFolder() });
    return await truncateWith((text) => sql.unsafe(text));
  } finally {
    await sql.end({ timeout: 5 });
  }
}

/** Truncates every app table through any query function (postgres.js, PGlite, drizzle). */
export async function truncateWith(query: (text: string) => Promise<unknown>): Promise<number> {
  const result = await query(
    `select tablename from pg_tables where schemaname = 'public' order by tablename`,
  );
  const rows = Array.isArray(result)
    ? result
    : result && typeof result === 'object' && 'rows' in result && Array.isArray(result.rows)
      ? result.rows
      : [];
  const names = rows.flatMap((r: unknown) =>
    r && typeof r === 'object' && 'tablename' in r && typeof r.tablename === 'string'
      ? [`"public"."${r.tablename.replaceAll('"', '""')}"`]
      : [],
  );
  if (names.length > 0) await query(`truncate table ${names.join(', ')} restart identity cascade`);
  return names.length;
}
