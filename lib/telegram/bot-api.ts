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

/** A file uploaded with a multipart call: bytes we hold, never a URL Telegram must fetch. */
export type BotApiUpload = { field: string; name: string; type: string; bytes: Uint8Array };

/**
 * Calls one Bot API method with a JSON body. The token only ever appears in the request path
 * Telegram requires; errors are rebuilt so it cannot leak into messages or logs.
 */
export async function callBotApi<T = unknown>(
  method: string,
  payload: Record<string, unknown>,
  options: BotApiOptions = {},
): Promise<T> {
  return postToBotApi<T>(
    method,
    () => ({ headers: { 'content-type': 'application/json' }, body: JSON.stringify(payload) }),
    options.timeoutMs ?? 30_000,
    options,
  );
}

/**
 * Calls one Bot API method as multipart/form-data with one uploaded file (sendPhoto,
 * sendDocument…). Nested fields (reply_parameters…) must already be JSON strings, as Telegram
 * expects them in a form. Same errors and token redaction as callBotApi.
 */
export async function callBotApiMultipart<T = unknown>(
  method: string,
  fields: Record<string, string>,
  file: BotApiUpload,
  options: BotApiOptions = {},
): Promise<T> {
  return postToBotApi<T>(
    method,
    () => {
      const form = new FormData();
      for (const [key, value] of Object.entries(fields)) form.append(key, value);
      form.append(file.field, new Blob([arrayBufferView(file.bytes)], { type: file.type }), file.name);
      return { body: form };
    },
    // Up to 50 MB goes up in one request: allow for slow links.
    options.timeoutMs ?? 300_000,
    options,
  );
}

/** Blob wants an ArrayBuffer-backed view; copy only when the bytes live in a shared buffer. */
function arrayBufferView(bytes: Uint8Array): Uint8Array<ArrayBuffer> {
  const { buffer } = bytes;
  return buffer instanceof ArrayBuffer
    ? new Uint8Array(buffer, bytes.byteOffset, bytes.byteLength)
    : new Uint8Array(bytes);
}

async function postToBotApi<T>(
  method: string,
  buildRequest: () => { headers?: Record<string, string>; body: string | FormData },
  timeoutMs: number,
  options: BotApiOptions,
): Promise<T> {
  const env = getEnv();
  const token = options.token ?? env.TELEGRAM_BOT_TOKEN;
  if (!token) throw new TelegramNotConfiguredError();
  const root = (options.apiRoot ?? env.TELEGRAM_API_ROOT).replace(/\/+$/, '');
  let response: Response;
  try {
    response = await fetch(`${root}/bot${token}/${method}`, {
      method: 'POST',
      ...buildRequest(),
      signal: AbortSignal.timeout(timeoutMs),
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

const photoSizeSchema = z.looseObject({
  file_id: z.string(),
  file_unique_id: z.string(),
  width: z.number().int(),
  height: z.number().int(),
  file_size: z.number().int().optional(),
});

/** What sendPhoto / sendDocument answer: the message and the file Telegram now holds. */
export const sentMediaMessageSchema = z.looseObject({
  message_id: z.number().int(),
  date: z.number().int(),
  photo: z.array(photoSizeSchema).optional(),
  document: z.looseObject({ file_id: z.string(), file_unique_id: z.string() }).optional(),
});
