import { z } from 'zod';
import { parseTrustedProxies } from '@/lib/http/trusted-proxies';

const optionalString = z
  .string()
  .optional()
  .transform((v) => (v === undefined || v.trim() === '' ? undefined : v.trim()));

const booleanFlag = z
  .string()
  .optional()
  .transform((v) => v !== undefined && ['1', 'true', 'yes', 'on'].includes(v.toLowerCase()));

const envSchema = z.object({
  NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
  DATABASE_URL: optionalString.pipe(
    z
      .string()
      .regex(/^postgres(ql)?:\/\//, 'must be a postgres:// or postgresql:// connection URL')
      .optional(),
  ),
  DATABASE_POOL_MAX: z.coerce.number().int().min(1).max(200).default(10),
  PGLITE_DIR: z.string().default('./data/pglite'),
  MIGRATIONS_DIR: z.string().default('./drizzle'),
  UPLOADS_DIR: z.string().default('./data/uploads'),
  S3_ENDPOINT: optionalString,
  S3_REGION: z.string().default('us-east-1'),
  S3_BUCKET: optionalString,
  S3_ACCESS_KEY_ID: optionalString,
  S3_SECRET_ACCESS_KEY: optionalString,
  S3_FORCE_PATH_STYLE: booleanFlag,
  TELEGRAM_BOT_TOKEN: optionalString.pipe(
    z
      .string()
      .regex(/^\d+:[A-Za-z0-9_-]{20,}$/, 'must look like 123456:ABC… (the token BotFather gave you)')
      .optional(),
  ),
  TELEGRAM_BOT_USERNAME: optionalString,
  TELEGRAM_WEBHOOK_SECRET: optionalString.pipe(
    z
      .string()
      .regex(/^[A-Za-z0-9_-]{1,256}$/, 'must be 1–256 characters of A-Z, a-z, 0-9, _ and -')
      .optional(),
  ),
  TELEGRAM_API_ROOT: z.url().default('https://api.telegram.org'),
  APP_URL: z.url().default('http://localhost:3000'),
  /**
   * Reverse proxies whose `X-Forwarded-For` entries are believed: comma-separated IPs, CIDRs or
   * `loopback` / `linklocal` / `uniquelocal`. Unset = none: the client is the socket's peer.
   */
  TRUSTED_PROXIES: z
    .string()
    .optional()
    .transform((value, ctx) => {
      try {
        return parseTrustedProxies(value);
      } catch (error) {
        ctx.addIssue({ code: 'custom', message: error instanceof Error ? error.message : String(error) });
        return z.NEVER;
      }
    }),
  NEXTAUTH_SECRET: optionalString,
  /**
   * `off`: this process does not run the background jobs' schedules (another instance, or an
   * external cron calling `npm run job`, does). Only without Inngest; default `on`.
   */
  JOB_SCHEDULER: z.enum(['on', 'off']).default('on'),
  INNGEST_EVENT_KEY: optionalString,
  INNGEST_SIGNING_KEY: optionalString,
  INNGEST_DEV: optionalString,
  INNGEST_BASE_URL: optionalString,
  /**
   * How long (seconds) a Bot API call may take before we stop waiting. A send we stop waiting
   * for ends `unknown` and is never resent by itself, so keep this above Telegram's slow answers.
   */
  TELEGRAM_CALL_TIMEOUT_SEC: z.coerce.number().int().min(1).max(600).default(75),
  /** REST API requests one token (or one signed-in operator) may make per minute. */
  API_RATE_LIMIT_PER_MINUTE: z.coerce.number().int().min(1).max(100_000).default(600),
  /**
   * Messages per second this process posts to Telegram (lib/telegram/send-pace.ts). Telegram
   * allows a bot about 30 per second overall (core.telegram.org/bots/faq); the default keeps a
   * third in reserve: calls let through evenly can still arrive bunched (network jitter, a busy
   * event loop), and the burst test saw 29 arrive within one second at a pace of 25.
   */
  TELEGRAM_SENDS_PER_SECOND: z.coerce.number().min(1).max(30).default(20),
  /**
   * Least time (ms) between two messages this process posts to one chat: Telegram asks for no
   * more than about one per second in a chat (same FAQ); the default keeps a margin for jitter.
   */
  TELEGRAM_CHAT_INTERVAL_MS: z.coerce.number().int().min(0).max(60_000).default(1100),
});

export type Env = z.infer<typeof envSchema>;

let cached: Env | undefined;

/** Parses process.env once; a bad value stops the process with a message naming the variable. */
export function getEnv(): Env {
  if (cached) return cached;
  const parsed = envSchema.safeParse(process.env);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  ${i.path.join('.')}: ${i.message}`);
    throw new Error(`Invalid environment configuration (see .env.example):\n${lines.join('\n')}`);
  }
  if (
    parsed.data.NODE_ENV === 'production' &&
    parsed.data.TELEGRAM_BOT_TOKEN &&
    !parsed.data.TELEGRAM_WEBHOOK_SECRET
  ) {
    console.warn('TELEGRAM_WEBHOOK_SECRET is not set: the webhook will refuse every update until it is.');
  }
  cached = parsed.data;
  return cached;
}

/** For tests that change process.env between cases. */
export function resetEnvCache() {
  cached = undefined;
}

export function isInngestConfigured(env: Env = getEnv()) {
  return Boolean(env.INNGEST_EVENT_KEY || env.INNGEST_DEV || env.INNGEST_BASE_URL);
}

export function isS3Configured(env: Env = getEnv()) {
  return Boolean(env.S3_BUCKET);
}
