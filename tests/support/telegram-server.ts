// A recording Telegram Bot API server for tests: answers like Telegram, remembers every call,
// and can be told to fail for a chat (429 with retry_after, 403 blocked, 400, 500).
// Used in-process by integration tests and as a standalone process by Playwright.
import http from 'node:http';
import type { AddressInfo } from 'node:net';

export type RecordedCall = { method: string; token: string; payload: Record<string, unknown>; at: number };

export type Behaviour =
  | { kind: 'rate_limit'; retryAfter: number; times: number }
  | { kind: 'error'; code: number; description: string; times: number };

export type TelegramServer = {
  url: string;
  calls: RecordedCall[];
  setBehaviour: (chatId: number | '*', behaviour: Behaviour) => void;
  reset: () => void;
  close: () => Promise<void>;
};

async function readBody(req: http.IncomingMessage): Promise<Record<string, unknown>> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  const raw = Buffer.concat(chunks).toString('utf8');
  if (!raw) return {};
  const type = req.headers['content-type'] ?? '';
  if (type.includes('application/json')) return JSON.parse(raw) as Record<string, unknown>;
  if (type.includes('application/x-www-form-urlencoded')) return Object.fromEntries(new URLSearchParams(raw));
  return { __raw: raw.slice(0, 10_000), __contentType: type };
}

export async function startTelegramServer(port = 0): Promise<TelegramServer> {
  const calls: RecordedCall[] = [];
  const behaviours = new Map<string, Behaviour>();
  let nextMessageId = 1000;

  const server = http.createServer(async (req, res) => {
    const send = (status: number, body: unknown) => {
      res.writeHead(status, { 'content-type': 'application/json' });
      res.end(JSON.stringify(body));
    };
    try {
      const url = new URL(req.url ?? '/', 'http://localhost');
      if (url.pathname === '/__calls') return send(200, calls);
      if (url.pathname === '/__reset') {
        calls.length = 0;
        behaviours.clear();
        return send(200, { ok: true });
      }
      if (url.pathname === '/__behaviour') {
        const body = await readBody(req);
        behaviours.set(String(body.chatId), body.behaviour as Behaviour);
        return send(200, { ok: true });
      }
      const match = /^\/bot([^/]+)\/([A-Za-z]+)$/.exec(url.pathname);
      if (!match) return send(404, { ok: false, error_code: 404, description: 'Not Found' });
      const [, token = '', method = ''] = match;
      const payload = await readBody(req);
      calls.push({ method, token, payload, at: Date.now() });

      const chatKey = String(payload.chat_id ?? '');
      const behaviour = behaviours.get(chatKey) ?? behaviours.get('*');
      if (behaviour && behaviour.times > 0) {
        behaviour.times -= 1;
        if (behaviour.kind === 'rate_limit') {
          return send(429, {
            ok: false,
            error_code: 429,
            description: `Too Many Requests: retry after ${behaviour.retryAfter}`,
            parameters: { retry_after: behaviour.retryAfter },
          });
        }
        return send(behaviour.code, {
          ok: false,
          error_code: behaviour.code,
          description: behaviour.description,
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
    reset: () => {
      calls.length = 0;
      behaviours.clear();
    },
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

// Standalone: `tsx tests/support/telegram-server.ts` (port from TELEGRAM_TEST_PORT).
if (process.argv[1] && import.meta.url === `file://${process.argv[1]}`) {
  const port = Number(process.env.TELEGRAM_TEST_PORT ?? 3199);
  startTelegramServer(port).then((s) => console.log(`recording Telegram Bot API server on ${s.url}`));
}
