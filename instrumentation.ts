// Runs once when the server starts: a bad environment fails loudly here, naming the variable,
// instead of on the first request that happens to read it.
export async function register() {
  if (process.env.NEXT_RUNTIME !== 'nodejs') return;
  const { getEnv } = await import('@/lib/env');
  const env = getEnv();
  const database = env.DATABASE_URL ? 'Postgres (DATABASE_URL)' : `PGlite (${env.PGLITE_DIR})`;
  const telegram = env.TELEGRAM_BOT_TOKEN
    ? `connected via ${new URL(env.TELEGRAM_API_ROOT).host}`
    : 'not connected';
  console.log(`Support desk: database ${database}; Telegram ${telegram}.`);
  // Outbound messages a crash left `queued` or `sending` are found and finished, never left spinning.
  const { getDb } = await import('@/db/client');
  const { startDeliverySweeper } = await import('@/lib/messages/sweep-deliveries');
  startDeliverySweeper(getDb);
}
