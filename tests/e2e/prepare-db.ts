// Gives the e2e desk an empty database before `npm run db:seed`:
// `npx tsx tests/e2e/prepare-db.ts`.
// - DATABASE_URL set: migrate, then truncate every table (local hosts only — this wipes data).
// - otherwise: delete the PGlite directory, which the seed recreates and migrates.
import fs from 'node:fs';
import path from 'node:path';
import { migrateAndTruncate } from '@/db/maintenance';

async function preparePostgres(url: string) {
  // Refuses any database that is not on this machine: this wipes data.
  const tables = await migrateAndTruncate(url);
  console.log(`prepare-db: migrated and truncated ${tables} tables on ${new URL(url).hostname}.`);
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
