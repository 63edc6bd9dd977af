// A recording Telegram Bot API server for tests: answers like Telegram, remembers every call,
// and can be told to fail for a chat (429 with retry_after, 403 blocked, 400, 500).
// Used in-process by integration tests and as a standalone process by Playwright.
import http from 'node:http';
import type { AddressInfo } from 'node:net';

export type RecordedCall = {
  method: string;
  token: string;
  payload: Record<string, unknown>;
  at: number;
  /**
   * The JSON body the server answered with (`{ ok: true, result }` or `{ ok: false, error_code,
   * description }`), so a test can learn e.g. the message_id Telegram gave a sent message.
   * Absent for file downloads, which answer with bytes.
   */
  result?: unknown;
};

/** How the server answers a chat's next calls (`method`: only calls of that method). */
export type Behaviour = { method?: string } & (
  | { kind: 'rate_limit'; retryAfter: number; times: number }
  | { kind: 'error'; code: number; description: string; times: number }
  /** Accepts the call (it takes effect at once, as in Telegram) but answers only after delayMs. */
  | { kind: 'delay'; delayMs: number; times: number }
);

/** A field case's `bot_api_rule` (tests/fixtures/field-cases): a failure the server must answer with. */
export type BotApiRule = {
  method: string;
  chatId: number;
  times: number;
  delayMs?: number;
  status?: number;
  description?: string;
};

/** The behaviour a field case's rule asks for. */
export function behaviourOf(rule: BotApiRule): Behaviour {
  if (rule.delayMs !== undefined)
    return { kind: 'delay', method: rule.method, delayMs: rule.delayMs, times: rule.times };
  return {
    kind: 'error',
    method: rule.method,
    code: rule.status ?? 400,
    description: rule.description ?? 'Bad Request',
    times: rule.times,
  };
}

/** A file the fake Telegram serves through getFile and /file/bot<token>/<path>. */
export type FakeFile = { bytes: Uint8Array; size?: number };

export type TelegramServer = {
  url: string;
  calls: RecordedCall[];
  setBehaviour: (chatId: number | '*', behaviour: Behaviour) => void;
  /** Registers a file under a file_id (size overrides the reported file_size). */
  addFile: (fileId: string, file: FakeFile) => void;
  /**
   * Sets what getWebhookInfo reports besides what setWebhook stored, as Telegram would after
   * failed deliveries (pending_update_count, last_error_date, last_error_message).
   */
  setWebhookInfo: (info: Record<string, unknown>) => void;
  /**
   * Answers like Telegram under load when set: a message sent to a chat within `perChatMs` of
   * the last one accepted there, or beyond `perSecond` accepted in the last second overall, gets
   * 429 with retry_after (core.telegram.org/bots/faq). null: no limits (the default, and
   * after reset()).
   */
  enforceLimits: (limits: TelegramLimits | null) => void;
  reset: () => void;
  close: () => Promise<void>;
};

export type TelegramLimits = { perSecond: number; perChatMs: number };

/** Methods that post a message into a chat: the ones Telegram's send limits count. */
function postsMessage(method: string): boolean {
  return method.startsWith('send') || method === 'copyMessage' || method === 'forwardMessage';
}

/** An uploaded multipart file as the server received it. */
export type RecordedUpload = { __file: true; name: string; type: string; size: number; sha256: string };

async function readBody(req: http.IncomingMessage): Promise<Record<string, unknown>> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  const buffer = Buffer.concat(chunks);
  if (buffer.length === 0) return {};
  const type = req.headers['content-type'] ?? '';
  if (type.includes('multipart/form-data')) {
    // Parse like Telegram would: fields are strings (JSON for nested ones), files are uploads.
    const form = await new Response(buffer, { headers: { 'content-type': type } }).formData();
    const out: Record<string, unknown> = { __multipart: true };
    for (const [key, value] of form.entries()) {
      if (typeof value === 'string') out[key] = value;
      else {
        const bytes = new Uint8Array(await value.arrayBuffer());
        const { createHash } = await import('node:crypto');
        out[key] = {
          __file: true,
          name: value.name,
          type: value.type,
          size: bytes.length,
          sha256: createHash('sha256').update(bytes).digest('hex'),
        } satisfies RecordedUpload;
      }
    }
    return out;
  }
  const raw = buffer.toString('utf8');
  if (type.includes('application/json')) return JSON.parse(raw) as Record<string, unknown>;
  if (type.includes('application/x-www-form-urlencoded')) return Object.fromEntries(new URLSearchParams(raw));
  return { __raw: raw.slice(0, 10_000), __contentType: type };
}

export async function startTelegramServer(port = 0): Promise<TelegramServer> {
  const calls: RecordedCall[] = [];
  const behaviours = new Map<string, Behaviour>();
  const files = new Map<string, FakeFile>();
  let nextMessageId = 1000;
  // getWebhookInfo's answer: set by setWebhook, emptied by deleteWebhook (as in Telegram).
  const emptyWebhook = () => ({ url: '', has_custom_certificate: false, pending_update_count: 0 });
  let webhook: Record<string, unknown> = emptyWebhook();
  let limits: TelegramLimits | null = null;
  /** Times of the sends accepted in the last second, and each chat's last accepted send. */
  const recentSends: number[] = [];
  const lastSendToChat = new Map<string, number>();

  /** 429 under `limits`, else records the send as accepted (see enforceLimits). */
  const overLimit = (chatKey: string, now: number): number | null => {
    if (!limits) return null;
    while (recentSends.length > 0 && (recentSends[0] ?? 0) <= now - 1000) recentSends.shift();
    const last = lastSendToChat.get(chatKey);
    if (last !== undefined && now - last < limits.perChatMs)
      return Math.ceil((limits.perChatMs - (now - last)) / 1000);
    if (recentSends.length >= limits.perSecond) return 1;
    recentSends.push(now);
    lastSendToChat.set(chatKey, now);
    return null;
  };

  const server = http.createServer(async (req, res) => {
    // The Bot API call this request is, once recorded: its answer is recorded with it.
    let call: RecordedCall | undefined;
    const send = (status: number, body: unknown) => {
      if (call) call.result = body;
      res.writeHead(status, { 'content-type': 'application/json' });
      res.end(JSON.stringify(body));
    };
    try {
      const url = new URL(req.url ?? '/', 'http://localhost');
      if (url.pathname === '/__calls') return send(200, calls);
      if (url.pathname === '/__reset') {
        calls.length = 0;
        behaviours.clear();
        files.clear();
        webhook = emptyWebhook();
        limits = null;
        recentSends.length = 0;
        lastSendToChat.clear();
        return send(200, { ok: true });
      }
      if (url.pathname === '/__webhook') {
        webhook = { ...webhook, ...(await readBody(req)) };
        return send(200, { ok: true });
      }
      if (url.pathname === '/__file') {
        const body = await readBody(req);
        files.set(String(body.fileId), {
          bytes: new Uint8Array(Buffer.from(String(body.base64 ?? ''), 'base64')),
          size: typeof body.size === 'number' ? body.size : undefined,
        });
        return send(200, { ok: true });
      }
      if (url.pathname === '/__limits') {
        const body = await readBody(req);
        limits = body.perSecond
          ? { perSecond: Number(body.perSecond), perChatMs: Number(body.perChatMs ?? 0) }
          : null;
        return send(200, { ok: true });
      }
      if (url.pathname === '/__behaviour') {
        const body = await readBody(req);
        behaviours.set(String(body.chatId), body.behaviour as Behaviour);
        return send(200, { ok: true });
      }
      const download = /^\/file\/bot([^/]+)\/files\/(.+)$/.exec(url.pathname);
      if (download) {
        const file = files.get(decodeURIComponent(download[2] ?? ''));
        if (!file) return send(404, { ok: false, error_code: 404, description: 'Not Found' });
        calls.push({
          method: 'downloadFile',
          token: download[1] ?? '',
          payload: { path: download[2] },
          at: Date.now(),
        });
        res.writeHead(200, { 'content-type': 'application/octet-stream' });
        return res.end(Buffer.from(file.bytes));
      }
      const match = /^\/bot([^/]+)\/([A-Za-z]+)$/.exec(url.pathname);
      if (!match) return send(404, { ok: false, error_code: 404, description: 'Not Found' });
      const [, token = '', method = ''] = match;
      const payload = await readBody(req);
      call = { method, token, payload, at: Date.now() };
      calls.push(call);

      const chatKey = String(payload.chat_id ?? '');
      if (postsMessage(method)) {
        const retryAfter = overLimit(chatKey, call.at);
        if (retryAfter !== null) {
          return send(429, {
            ok: false,
            error_code: 429,
            description: `Too Many Requests: retry after ${retryAfter}`,
            parameters: { retry_after: retryAfter },
          });
        }
      }
      const behaviour = behaviours.get(chatKey) ?? behaviours.get('*');
      if (behaviour && behaviour.times > 0 && (!behaviour.method || behaviour.method === method)) {
        behaviour.times -= 1;
        if (behaviour.kind === 'delay') {
          // Telegram has acted on the call already; only its answer is late.
          await new Promise((resolve) => setTimeout(resolve, behaviour.delayMs));
          if (res.destroyed || res.socket?.destroyed) return;
        } else if (behaviour.kind === 'rate_limit') {
          return send(429, {
            ok: false,
            error_code: 429,
            description: `Too Many Requests: retry after ${behaviour.retryAfter}`,
            parameters: { retry_after: behaviour.retryAfter },
          });
        } else {
          return send(behaviour.code, {
            ok: false,
            error_code: behaviour.code,
            description: behaviour.description,
          });
        }
      }
      if (method === 'getFile') {
        const fileId = String(payload.file_id ?? '');
        const file = files.get(fileId);
        if (!file)
          return send(400, { ok: false, error_code: 400, description: 'Bad Request: invalid file_id' });
        const size = file.size ?? file.bytes.length;
        if (size > 20 * 1024 * 1024)
          return send(400, { ok: false, error_code: 400, description: 'Bad Request: file is too big' });
        return send(200, {
          ok: true,
          result: {
            file_id: fileId,
            file_unique_id: `u-${fileId}`,
            file_size: size,
            file_path: `files/${encodeURIComponent(fileId)}`,
          },
        });
      }
      if (method === 'copyMessage') {
        return send(200, { ok: true, result: { message_id: nextMessageId++ } });
      }
      if (method === 'editMessageText' || method === 'editMessageCaption') {
        return send(200, {
          ok: true,
          result: {
            message_id: Number(payload.message_id),
            date: Math.floor(Date.now() / 1000),
            chat: { id: Number(payload.chat_id), type: 'private' },
            text: payload.text,
          },
        });
      }
      if (method === 'sendPhoto' || method === 'sendDocument') {
        const kind = method === 'sendPhoto' ? 'photo' : 'document';
        const fileId = `sent-${kind}-${nextMessageId}`;
        const media =
          kind === 'photo'
            ? { photo: [{ file_id: fileId, file_unique_id: `u-${fileId}`, width: 100, height: 100 }] }
            : { document: { file_id: fileId, file_unique_id: `u-${fileId}` } };
        return send(200, {
          ok: true,
          result: {
            message_id: nextMessageId++,
            date: Math.floor(Date.now() / 1000),
            chat: { id: Number(payload.chat_id), type: 'private' },
            caption: payload.caption,
            ...media,
          },
        });
      }
      if (method.startsWith('send')) {
        return send(200, {
          ok: true,
          result: {
            message_id: nextMessageId++,
            date: Math.floor(Date.now() / 1000),
            chat: { id: Number(payload.chat_id), type: 'private' },
            text: payload.text,
          },
        });
      }
      if (method === 'getMe') {
        return send(200, {
          ok: true,
          result: { id: 1, is_bot: true, first_name: 'Desk', username: 'desk_test_bot' },
        });
      }
      if (method === 'getUpdates') return send(200, { ok: true, result: [] });
      if (method === 'setWebhook') {
        webhook = {
          ...emptyWebhook(),
          url: String(payload.url ?? ''),
          ...(payload.max_connections !== undefined ? { max_connections: payload.max_connections } : {}),
          ...(payload.allowed_updates !== undefined ? { allowed_updates: payload.allowed_updates } : {}),
        };
        return send(200, { ok: true, result: true, description: 'Webhook was set' });
      }
      if (method === 'deleteWebhook') {
        webhook = emptyWebhook();
        return send(200, { ok: true, result: true, description: 'Webhook was deleted' });
      }
      if (method === 'getWebhookInfo') return send(200, { ok: true, result: webhook });
      return send(200, { ok: true, result: true });
    } catch (error) {
      send(500, {
        ok: false,
        error_code: 500,
        description: error instanceof Error ? error.message : 'error',
      });
    }
  });

  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  const address = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${address.port}`,
    calls,
    setBehaviour: (chatId, behaviour) => behaviours.set(String(chatId), behaviour),
    addFile: (fileId, file) => files.set(fileId, file),
    setWebhookInfo: (info) => {
      webhook = { ...webhook, ...info };
    },
    enforceLimits: (next) => {
      limits = next;
      recentSends.length = 0;
      lastSendToChat.clear();
    },
    reset: () => {
      calls.length = 0;
      limits = null;
      recentSends.length = 0;
      lastSendToChat.clear();
      behaviours.clear();
      files.clear();
      webhook = emptyWebhook();
    },
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

// Standalone: `tsx tests/support/telegram-server.ts` (port from TELEGRAM_TEST_PORT).
if (process.argv[1] && import.meta.url === `file://${process.argv[1]}`) {
  const port = Number(process.env.TELEGRAM_TEST_PORT ?? 3199);
  startTelegramServer(port).then((s) => console.log(`recording Telegram Bot API server on ${s.url}`));
}
