// One place for the values the Playwright config hands to the servers and the tests use to
// talk to them. None of them is a real secret: they exist only for the throwaway e2e desk.
// Overridable so two checkouts on one machine can run their browser tests side by side.
export const APP_PORT = Number(process.env.E2E_APP_PORT ?? 3100);
export const TELEGRAM_PORT = Number(process.env.E2E_TELEGRAM_PORT ?? 3199);

// next-auth v4 loses its cookie when the app is opened as 127.0.0.1: always use localhost.
export const APP_URL = `http://localhost:${APP_PORT}`;
export const TELEGRAM_API_ROOT = `http://127.0.0.1:${TELEGRAM_PORT}`;

export const BOT_TOKEN = '123456:E2E-token-for-the-recording-server';
export const WEBHOOK_SECRET = 'e2e-webhook-secret';
export const PGLITE_DIR = './data/e2e-pglite';

export const ADMIN_EMAIL = 'admin@example.com';
export const ADMIN_PASSWORD = 'e2e-admin-password';

export const BOT_USERNAME = 'desk_e2e_bot';

/** The seeded supervisor (scripts/seed.ts), in every department; the seed gives every person ADMIN_PASSWORD. */
export const SUPERVISOR = { email: 'supervisor@example.com', name: 'Sam Supervisor' } as const;

/** Seeded online operators that `create-invites.ts` invites to link a Telegram account. */
export const INVITED_OPERATORS = [
  { email: 'olga@example.com', name: 'Olga' },
  { email: 'mark@example.com', name: 'Mark' },
] as const;

/** { "<email>": "<invite token>" }, written before the server starts (see create-invites.ts). */
export const INVITES_FILE = './data/e2e-invites.json';

/** Environment for prepare-db, the seed and `next build && next start`. */
export const appEnv: Record<string, string> = {
  PGLITE_DIR,
  TELEGRAM_BOT_TOKEN: BOT_TOKEN,
  TELEGRAM_BOT_USERNAME: BOT_USERNAME,
  TELEGRAM_WEBHOOK_SECRET: WEBHOOK_SECRET,
  TELEGRAM_API_ROOT,
  NEXTAUTH_SECRET: 'e2e-nextauth-secret-not-for-production',
  NEXTAUTH_URL: APP_URL,
  APP_URL,
  SEED_ADMIN_EMAIL: ADMIN_EMAIL,
  SEED_ADMIN_PASSWORD: ADMIN_PASSWORD,
  // No Inngest: the in-process outbox worker sends, at Telegram's pace (the chat shows `sent`
  // through its live update).
  INNGEST_DEV: '',
  INNGEST_EVENT_KEY: '',
  INNGEST_BASE_URL: '',
  // The jobs' schedules would make the seeded operators idle and pass clients between them in
  // the middle of a run; the jobs are tested on their own (tests/integration/jobs.test.ts …).
  JOB_SCHEDULER: 'off',
};

/** { clientId, displayName } of the long-history client seed-long-chat.ts stores before start. */
export const LONG_CHAT_FILE = './data/e2e-long-chat.json';
export const LONG_CHAT_MESSAGES = 1200;
/** The text of the long history's n-th message (1 = the oldest). */
export function longChatText(n: number): string {
  return `Long history message ${String(n).padStart(4, '0')}`;
}
