// A desk process that stores updates and is killed before it dispatches anything: the crash
// test (tests/integration/outbox-crash.test.ts) starts it, waits for "committed", SIGKILLs it.
// It opens the database from the environment (DATABASE_URL, else PGLITE_DIR), ingests the
// updates given as JSON on argv[2] exactly as the webhook does — each in its own committed
// transaction — and never wakes the outbox worker.
import { getDb } from '@/db/client';
import { ingestTelegramUpdate } from '@/lib/telegram/ingest-update';

async function main() {
  const updates = JSON.parse(process.argv[2] ?? '[]') as unknown[];
  const db = await getDb();
  for (const body of updates) {
    const result = await ingestTelegramUpdate({ db, body });
    if (result.status !== 'stored' && result.status !== 'handled') {
      throw new Error(`update not stored: ${JSON.stringify(result)}`);
    }
  }
  process.stdout.write(`committed ${updates.length}\n`);
  setInterval(() => undefined, 60_000); // alive until killed
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
