import { z } from 'zod';
import { getEnv } from '@/lib/env';
import { paceSend } from './send-pace';
import { redactToken } from './redact';

/**
 * What a failed call did, as far as we can know. Telegram has no idempotency key
 * (tdlib/telegram-bot-api#126), so a send whose outcome is `unknown` must not be repeated
 * blindly: it may have been delivered.
 * - `refused`: Telegram answered with an error (4xx, incl. 429): nothing happened.
 * - `not_sent`: the request never reached Telegram (connection refused, name not resolved).
 * - `unknown`: it may have reached Telegram and no usable answer came back (our timeout, the
 *   connection dropped mid-request, a 5xx from Telegram or a proxy in front of it).
 */
export type CallOutcome = 'refused' | 'not_sent' | 'unknown';

// undici / Node error codes raised before a request is written to the socket.
const NOT_SENT_CODES = new Set([
  'ECONNREFUSED',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'UND_ERR_CONNECT_TIMEOUT',
]);

/** A Bot API error with Telegram's code and, for 429, how long to wait. Never carries the token. */
export class TelegramApiError extends Error {
  readonly errorCode: number;
  readonly retryAfterSec?: number;
  readonly method: string;
  readonly outcome: CallOutcome;

  constructor(
    method: string,
    errorCode: number,
    description: string,
    retryAfterSec?: number,
    outcome: CallOutcome = errorCode >= 400 && errorCode < 500 ? 'refused' : 'unknown',
  ) {
    super(description);
    this.name = 'TelegramApiError';
    this.method = method;
    this.errorCode = errorCode;
    this.retryAfterSec = retryAfterSec;
    this.outcome = outcome;
  }

  /** The call may have taken effect although it failed: never repeat a send after this. */
  get outcomeUnknown() {
    return this.outcome === 'unknown';
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
 * How long a JSON call may take before we stop waiting (TELEGRAM_CALL_TIMEOUT_SEC, default 75 s).
 * Telegram normally answers in well under a second but can take tens of seconds under load; a
 * send we stop waiting for ends `unknown`, never resent, so the wait is generous (field case
 * C09: an answer after 31 s).
 */
export function jsonCallTimeoutMs(): number {
  return getEnv().TELEGRAM_CALL_TIMEOUT_SEC * 1000;
}
/** Multipart uploads carry up to 50 MB (Bot FAQ): allow for slow links. */
export const UPLOAD_CALL_TIMEOUT_MS = 300_000;

/** A file uploaded with a multipart call: bytes we hold, never a URL Telegram must fetch. */
export type BotApiUpload = { field: string; name: string; type: string; bytes: Uint8Array };

/**
 * Calls one Bot API method with a JSON body. The token only ever appears in the request path
 * Telegram requires; errors are rebuilt so it cannot leak into messages or logs. A method that
 * posts a message waits for its turn under Telegram's limits first (paceSend).
 */
export async function callBotApi<T = unknown>(
  method: string,
  payload: Record<string, unknown>,
  options: BotApiOptions = {},
): Promise<T> {
  return postToBotApi<T>(
    method,
    payload.chat_id,
    () => ({ headers: { 'content-type': 'application/json' }, body: JSON.stringify(payload) }),
    options.timeoutMs ?? jsonCallTimeoutMs(),
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
    fields.chat_id,
    () => {
      const form = new FormData();
      for (const [key, value] of Object.entries(fields)) form.append(key, value);
      form.append(file.field, new Blob([arrayBufferView(file.bytes)], { type: file.type }), file.name);
      return { body: form };
    },
    options.timeoutMs ?? UPLOAD_CALL_TIMEOUT_MS,
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
  chatId: unknown,
  buildRequest: () => { headers?: Record<string, string>; body: string | FormData },
  timeoutMs: number,
  options: BotApiOptions,
): Promise<T> {
  const env = getEnv();
  const token = options.token ?? env.TELEGRAM_BOT_TOKEN;
  if (!token) throw new TelegramNotConfiguredError();
  const root = (options.apiRoot ?? env.TELEGRAM_API_ROOT).replace(/\/+$/, '');
  // Telegram's send limits, kept at the call itself (lib/telegram/send-pace.ts).
  await paceSend(method, chatId);
  let response: Response;
  try {
    response = await fetch(`${root}/bot${token}/${method}`, {
      method: 'POST',
      ...buildRequest(),
      signal: AbortSignal.timeout(timeoutMs),
    });
  } catch (error) {
    const reason = error instanceof Error ? `${error.name}: ${error.message}` : 'unknown error';
    const outcome =
      NOT_SENT_CODES.has(causeCode(error) ?? '') || isRefusedUrl(error) ? 'not_sent' : 'unknown';
    throw new TelegramApiError(
      method,
      0,
      redactToken(`Network error calling ${method}: ${reason}`, token),
      undefined,
      outcome,
    );
  }
  let json: unknown;
  try {
    json = await response.json();
  } catch {
    json = null; // includes a body cut off by the timeout: an answer we cannot read
  }
  const body = responseSchema.safeParse(json);
  if (!body.success) {
    throw new TelegramApiError(
      method,
      response.status || 0,
      `Unexpected response from Telegram (${response.status})`,
      undefined,
      response.status >= 400 && response.status < 500 ? 'refused' : 'unknown',
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

/** fetch refuses some URLs before connecting (Fetch standard "bad port": 1, 9, 25…). */
function isRefusedUrl(error: unknown): boolean {
  const cause = error instanceof Error ? error.cause : undefined;
  return cause instanceof Error && cause.message === 'bad port';
}

/** The `code` of a fetch failure's cause (undici puts the socket error there). */
function causeCode(error: unknown): string | undefined {
  let current: unknown = error;
  for (let depth = 0; current && typeof current === 'object' && depth < 4; depth++) {
    if ('code' in current && typeof current.code === 'string') return current.code;
    current = 'cause' in current ? current.cause : undefined;
  }
  return undefined;
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
