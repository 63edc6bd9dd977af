// Runs once when the server starts: a bad environment fails loudly here, naming the variable,
// instead of on the first request that happens to read it. It also installs the hook that
// resolves each request's client address from its socket.
export async function register() {
  if (process.env.NEXT_RUNTIME !== 'nodejs') return;
  const { getEnv } = await import('@/lib/env');
  const env = getEnv();
  // Before any request is handled: the client address comes from the socket, and from
  // X-Forwarded-For only through TRUSTED_PROXIES (lib/http/client-ip.ts).
  const { installClientIpHook } = await import('@/lib/http/client-ip');
  installClientIpHook(env.TRUSTED_PROXIES);
  const database = env.DATABASE_URL ? 'Postgres (DATABASE_URL)' : `PGlite (${env.PGLITE_DIR})`;
  const telegram = env.TELEGRAM_BOT_TOKEN
    ? `connected via ${new URL(env.TELEGRAM_API_ROOT).host}`
    : 'not connected';
  console.log(`Support desk: database ${database}; Telegram ${telegram}.`);
  // Outbound messages a crash left `queued` or `sending` are found and finished, never left spinning.
  const { getDb } = await import('@/db/client');
  const { startDeliverySweeper } = await import('@/lib/messages/sweep-deliveries');
  startDeliverySweeper(getDb);
  // Follow-up work recorded in the outbox (sends, downloads, notices): run here, or handed to
  // Inngest when it is configured; the sweep also picks up what a crash left behind.
  const { startOutboxWorker } = await import('@/lib/outbox/outbox-worker');
  startOutboxWorker(getDb);
  // The background jobs' schedules: Inngest's cron triggers when it is configured, else here.
  const { isInngestConfigured } = await import('@/lib/env');
  if (!isInngestConfigured() && env.JOB_SCHEDULER === 'on') {
    const { startJobScheduler } = await import('@/lib/jobs/scheduler');
    startJobScheduler(getDb);
  }
}
