import { z } from 'zod';
import { getEnv } from '@/lib/env';
import { redactToken } from './redact';

/** A Bot API error with Telegram's code and, for 429, how long to wait. Never carries the token. */
export class TelegramApiError extends Error {
  readonly errorCode: number;
  readonly retryAfterSec?: number;
  readonly method: string;

  constructor(method: string, errorCode: number, description: string, retryAfterSec?: number) {
    super(description);
    this.name = 'TelegramApiError';
    this.method = method;
    this.errorCode = errorCode;
    this.retryAfterSec = retryAfterSec;
  }

  get isRateLimit() {
    return this.errorCode === 429;
  }
  /** Blocked by the user, deactivated user, or kicked: the chat cannot receive messages. */
  get isForbidden() {
    return this.errorCode === 403;
  }
  get isParseError() {
    return this.errorCode === 400 && /can't parse entities|parse entities/i.test(this.message);
  }
  /** Network failures (code 0) and server errors are worth retrying. */
  get isTransient() {
    return this.errorCode === 0 || this.errorCode >= 500;
  }
}

export class TelegramNotConfiguredError extends Error {
  constructor() {
    super('Telegram bot is not connected: TELEGRAM_BOT_TOKEN is not set.');
    this.name = 'TelegramNotConfiguredError';
  }
}

const responseSchema = z.object({
  ok: z.boolean(),
  result: z.unknown().optional(),
  error_code: z.number().int().optional(),
  description: z.string().optional(),
  parameters: z.object({ retry_after: z.number().optional() }).optional(),
});

export type BotApiOptions = { token?: string; apiRoot?: string; timeoutMs?: number };

/**
 * Calls one Bot API method with a JSON body. The token only ever appears in the request path
 * Telegram requires; errors are rebuilt so it cannot leak into messages or logs.
 */
export async function callBotApi<T = unknown>(
  method: string,
  payload: Record<string, unknown>,
  options: BotApiOptions = {},
): Promise<T> {
  const env = getEnv();
  const token = options.token ?? env.TELEGRAM_BOT_TOKEN;
  if (!token) throw new TelegramNotConfiguredError();
  const root = (options.apiRoot ?? env.TELEGRAM_API_ROOT).replace(/\/+$/, '');
  let response: Response;
  try {
    response = await fetch(`${root}/bot${token}/${method}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(payload),
      signal: AbortSignal.timeout(options.timeoutMs ?? 30_000),
    });
  } catch (error) {
    const reason = error instanceof Error ? `${error.name}: ${error.message}` : 'unknown error';
    throw new TelegramApiError(method, 0, redactToken(`Network error calling ${method}: ${reason}`, token));
  }
  const body = responseSchema.safeParse(await response.json().catch(() => null));
  if (!body.success) {
    throw new TelegramApiError(
      method,
      response.status || 0,
      `Unexpected response from Telegram (${response.status})`,
    );
  }
  if (!body.data.ok) {
    throw new TelegramApiError(
      method,
      body.data.error_code ?? response.status,
      redactToken(body.data.description ?? `HTTP ${response.status}`, token),
      body.data.parameters?.retry_after,
    );
  }
  return body.data.result as T;
}

export const sentMessageSchema = z.looseObject({ message_id: z.number().int(), date: z.number().int() });
