// Applies the committed migrations: `npm run db:migrate` (Postgres from DATABASE_URL, or PGlite).
import { migrate } from 'drizzle-orm/postgres-js/migrator';
import { drizzle } from 'drizzle-orm/postgres-js';
import postgres from 'postgres';
import { migrationsFolder, openDb } from '@/db/client';
import { getEnv } from '@/lib/env';

async function main() {
  const env = getEnv();
  if (!env.DATABASE_URL) {
    const handle = await openDb(); // PGlite migrates itself when opened
    await handle.close();
    console.log(`PGlite at ${env.PGLITE_DIR} is up to date.`);
    return;
  }
  const sql = postgres(env.DATABASE_URL, { max: 1, onnotice: () => {} });
  try {
    await migrate(drizzle(sql), { migrationsFolder: migrationsFolder() });
    console.log('Postgres is up to date.');
  } finally {
    await sql.end();
  }
}

main().catch((error: unknown) => {
  console.error('Migration failed:', error instanceof Error ? error.message : error);
  process.exit(1);
});
