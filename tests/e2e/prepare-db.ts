// Gives the e2e desk an empty database before `npm run db:seed`:
// `npx tsx tests/e2e/prepare-db.ts`.
// - DATABASE_URL set: migrate, then truncate every table (local hosts only — this wipes data).
// - otherwise: delete the PGlite directory, which the seed recreates and migrates.
import fs from 'node:fs';
import path from 'node:path';
import { drizzle } from 'drizzle-orm/postgres-js';
import { migrate } from 'drizzle-orm/postgres-js/migrator';
import postgres from 'postgres';

const LOCAL_HOSTS = new Set(['localhost', '127.0.0.1', '::1', '[::1]']);

async function preparePostgres(url: string) {
  const host = new URL(url).hostname;
  if (!LOCAL_HOSTS.has(host)) {
    throw new Error(`Refusing to wipe non-local database host ${host}; e2e runs only against this machine.`);
  }
  const sql = postgres(url, { max: 1, onnotice: () => {} });
  try {
    await migrate(drizzle(sql), { migrationsFolder: path.resolve(process.cwd(), 'drizzle') });
    // Every table of the app schema, so a table added later is wiped too (drizzle's own
    // migration journal lives in the `drizzle` schema and is kept).
    const rows = await sql<{ tablename: string }[]>`
      select tablename from pg_tables where schemaname = 'public' order by tablename`;
    if (rows.length > 0) {
      const names = rows.map((r) => `"public"."${r.tablename.replaceAll('"', '""')}"`).join(', ');
      await sql.unsafe(`truncate table ${names} restart identity cascade`);
    }
    console.log(`prepare-db: migrated and truncated ${rows.length} tables on ${host}.`);
  } finally {
    await sql.end({ timeout: 5 });
  }
}

function preparePglite(dir: string) {
  const root = process.cwd();
  const target = path.resolve(root, dir);
  const relative = path.relative(root, target);
  // Only ever delete a directory inside the project, never the project itself.
  if (!relative || relative.startsWith('..') || path.isAbsolute(relative)) {
    throw new Error(`Refusing to delete PGLITE_DIR ${target}: it must be inside ${root}.`);
  }
  fs.rmSync(target, { recursive: true, force: true });
  console.log(`prepare-db: removed ${relative}; the seed creates a fresh PGlite there.`);
}

async function main() {
  const url = process.env.DATABASE_URL?.trim();
  if (url) return preparePostgres(url);
  const dir = process.env.PGLITE_DIR?.trim();
  if (!dir || dir.startsWith('memory://')) {
    throw new Error('Set PGLITE_DIR to a directory: the seed and the server are separate processes.');
  }
  preparePglite(dir);
}

main().catch((error: unknown) => {
  console.error('prepare-db failed:', error instanceof Error ? error.message : error);
  process.exit(1);
});
