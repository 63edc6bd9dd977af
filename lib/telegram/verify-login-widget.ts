import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
import { z } from 'zod';

/**
 * A widget login is accepted for 5 minutes after Telegram signed it. Telegram's page only says
 * to check that the data is not outdated (its example allows a day); the widget hands the payload
 * to the page the moment the user confirms, so minutes are plenty and bound how long a leaked
 * payload is worth anything (each one also signs in only once: claimLoginWidgetPayload).
 */
export const LOGIN_WIDGET_MAX_AGE_SEC = 5 * 60;
/** Small allowance for clock skew between Telegram and us. */
const MAX_FUTURE_SKEW_SEC = 60;

export type TelegramWidgetUser = {
  id: number;
  firstName: string;
  lastName?: string;
  username?: string;
  photoUrl?: string;
  authDate: number;
};

export type TelegramWidgetVerification =
  | { ok: true; user: TelegramWidgetUser; /** The payload's `hash`, lower-case hex. */ signature: string }
  | { ok: false; reason: 'invalid' | 'tampered' | 'stale' };

// Form posts deliver numbers as strings; the signature covers the received text either way.
const positiveInt = z
  .union([
    z.number(),
    z
      .string()
      .regex(/^\d{1,16}$/)
      .transform(Number),
  ])
  .pipe(z.number().int().positive().max(Number.MAX_SAFE_INTEGER));

// Every received field (Telegram may add new ones) must be a primitive: it is part of the signed text.
const rawPayload = z
  .record(z.string().regex(/^[a-z_]{1,32}$/), z.union([z.string().max(1024), z.number()]))
  .refine((o) => Object.keys(o).length <= 20, 'too many fields');

const widgetPayload = z.object({
  id: positiveInt,
  first_name: z.string().min(1).max(256),
  last_name: z.string().max(256).optional(),
  username: z.string().max(64).optional(),
  photo_url: z.string().max(1024).optional(),
  auth_date: positiveInt,
  hash: z.string().regex(/^[0-9a-fA-F]{64}$/),
});

/** `key=value` lines of every received field except `hash`, sorted by key (Telegram's recipe). */
export function widgetDataCheckString(fields: Record<string, string | number>): string {
  return Object.keys(fields)
    .filter((key) => key !== 'hash')
    .sort()
    .map((key) => `${key}=${String(fields[key])}`)
    .join('\n');
}

/** HMAC-SHA-256 of the data-check-string, keyed with SHA-256 of the bot token (raw bytes). */
export function signWidgetData(dataCheckString: string, botToken: string): string {
  const secret = createHash('sha256').update(botToken).digest();
  return createHmac('sha256', secret).update(dataCheckString).digest('hex');
}

/**
 * Checks a Telegram Login Widget payload
 * (https://core.telegram.org/widgets/login#checking-authorization): the signature first, then
 * its age, so a valid but old login reads as `stale` and anything altered as `tampered`.
 */
export function verifyTelegramLoginWidget(
  payload: unknown,
  botToken: string,
  now = Date.now(),
): TelegramWidgetVerification {
  const raw = rawPayload.safeParse(payload);
  if (!raw.success || !botToken) return { ok: false, reason: 'invalid' };
  const parsed = widgetPayload.safeParse(raw.data);
  if (!parsed.success) return { ok: false, reason: 'invalid' };
  const data = parsed.data;

  const expected = Buffer.from(signWidgetData(widgetDataCheckString(raw.data), botToken), 'hex');
  const received = Buffer.from(data.hash.toLowerCase(), 'hex');
  if (received.length !== expected.length || !timingSafeEqual(received, expected)) {
    return { ok: false, reason: 'tampered' };
  }

  const nowSec = Math.floor(now / 1000);
  if (nowSec - data.auth_date > LOGIN_WIDGET_MAX_AGE_SEC || data.auth_date - nowSec > MAX_FUTURE_SKEW_SEC) {
    return { ok: false, reason: 'stale' };
  }

  return {
    ok: true,
    signature: data.hash.toLowerCase(),
    user: {
      id: data.id,
      firstName: data.first_name,
      ...(data.last_name !== undefined ? { lastName: data.last_name } : {}),
      ...(data.username !== undefined ? { username: data.username } : {}),
      ...(data.photo_url !== undefined ? { photoUrl: data.photo_url } : {}),
      authDate: data.auth_date,
    },
  };
}
