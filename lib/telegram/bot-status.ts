import { z } from 'zod';
import type { Actor } from '@/lib/auth/actor';
import { requireRole } from '@/lib/auth/permissions';
import { getEnv } from '@/lib/env';
import { callBotApi, TelegramApiError } from './bot-api';
import { redactToken } from './redact';

// The fields of getMe and getWebhookInfo we show (https://core.telegram.org/bots/api#getme,
// #getwebhookinfo); Telegram may add fields, so the objects are loose.
const meSchema = z.looseObject({ id: z.number(), username: z.string().optional() });
const webhookInfoSchema = z.looseObject({
  url: z.string(),
  pending_update_count: z.number().int(),
  last_error_date: z.number().int().optional(),
  last_error_message: z.string().optional(),
  max_connections: z.number().int().optional(),
  allowed_updates: z.array(z.string()).optional(),
});

export type BotWebhookInfo = {
  /** Empty when no webhook is set (the bot is polled, or not receiving at all). */
  url: string;
  pendingUpdateCount: number;
  /** ISO time of Telegram's last failed delivery to the webhook, if any. */
  lastErrorAt: string | null;
  lastErrorMessage: string | null;
  maxConnections: number | null;
  /** Null: Telegram's default set of update types. */
  allowedUpdates: string[] | null;
};

export type BotStatus =
  | { connected: false }
  | {
      connected: true;
      bot: { id: number; username: string | null } | null;
      webhook: BotWebhookInfo | null;
      /** Why a call failed (token removed): Telegram's description or the network error. */
      errors: { method: 'getMe' | 'getWebhookInfo'; message: string }[];
    };

/**
 * The Telegram bot's state for the settings page (admins): its identity (getMe) and webhook
 * (getWebhookInfo: URL, pending updates, last delivery error, max connections, allowed update
 * types), asked of the Bot API now — nothing is stored. `connected: false` when
 * TELEGRAM_BOT_TOKEN is not set. A failing call is reported in `errors` (its message without
 * the token) instead of thrown, so one broken call still shows the other. The token never
 * appears in the result; the webhook URL is passed through the same redaction in case it holds
 * the token. Errors: `forbidden` (not an admin); a malformed Telegram answer is reported as an
 * error of that call.
 */
export async function getBotStatus({ actor }: { actor: Actor }): Promise<BotStatus> {
  requireRole(actor, ['admin']);
  const token = getEnv().TELEGRAM_BOT_TOKEN;
  if (!token) return { connected: false };
  const errors: { method: 'getMe' | 'getWebhookInfo'; message: string }[] = [];
  const ask = async <T>(method: 'getMe' | 'getWebhookInfo', schema: z.ZodType<T>): Promise<T | null> => {
    try {
      const parsed = schema.safeParse(await callBotApi(method, {}));
      if (parsed.success) return parsed.data;
      errors.push({ method, message: 'Telegram answered in an unexpected shape.' });
    } catch (error) {
      const message =
        error instanceof TelegramApiError ? error.message : error instanceof Error ? error.message : 'error';
      errors.push({ method, message: redactToken(message, token) });
    }
    return null;
  };
  const [me, info] = await Promise.all([ask('getMe', meSchema), ask('getWebhookInfo', webhookInfoSchema)]);
  return {
    connected: true,
    bot: me ? { id: me.id, username: me.username ?? null } : null,
    webhook: info
      ? {
          url: redactToken(info.url, token),
          pendingUpdateCount: info.pending_update_count,
          lastErrorAt: info.last_error_date ? new Date(info.last_error_date * 1000).toISOString() : null,
          lastErrorMessage: info.last_error_message ? redactToken(info.last_error_message, token) : null,
          maxConnections: info.max_connections ?? null,
          allowedUpdates: info.allowed_updates ?? null,
        }
      : null,
    errors,
  };
}
