// The ceiling `npm run bench:ingest` compares the app with: what Node + postgres.js + Postgres
// can do on this machine, right now, for one insert per Telegram update. Nothing of the app is
// used on purpose — no Next, no drizzle, no zod, no app schema — only what any webhook receiver
// must do: check the secret, read and parse the body, store the update once, answer 200.
// Started by the bench in its own process (see lib-server.ts); it reads its settings from the
// environment: PORT, DATABASE_URL, DATABASE_POOL_MAX, TELEGRAM_WEBHOOK_SECRET.
import { createHash, timingSafeEqual } from 'node:crypto';
import http from 'node:http';
import postgres from 'postgres';

const port = Number(process.env.PORT ?? 3301);
const databaseUrl = process.env.DATABASE_URL;
const configuredSecret = process.env.TELEGRAM_WEBHOOK_SECRET;
if (!databaseUrl || !configuredSecret)
  throw new Error('DATABASE_URL and TELEGRAM_WEBHOOK_SECRET are required');
const secret: string = configuredSecret;

// The app's pool settings (db/client.ts), so both hold the same number of connections.
const sql = postgres(databaseUrl, {
  max: Number(process.env.DATABASE_POOL_MAX ?? 10),
  connect_timeout: 5,
  idle_timeout: 60,
  onnotice: () => {},
});

const secretHash = createHash('sha256').update(secret).digest();

/** Constant time, as the app's check (hash first so the lengths are equal). */
function secretMatches(header: string | string[] | undefined): boolean {
  if (typeof header !== 'string') return false;
  return (
    timingSafeEqual(createHash('sha256').update(header).digest(), secretHash) &&
    header.length === secret.length
  );
}

type Stored = { chatId: number | null; messageId: number | null; text: string | null };

/** The update_id and the few message fields the table keeps, or null when there is no update_id. */
function pick(body: unknown): ({ updateId: number } & Stored) | null {
  if (!body || typeof body !== 'object' || !('update_id' in body)) return null;
  const updateId = body.update_id;
  if (typeof updateId !== 'number' || !Number.isSafeInteger(updateId)) return null;
  const message = 'message' in body && body.message && typeof body.message === 'object' ? body.message : null;
  const chat =
    message && 'chat' in message && message.chat && typeof message.chat === 'object' ? message.chat : null;
  const number = (value: unknown) => (typeof value === 'number' ? value : null);
  return {
    updateId,
    chatId: chat && 'id' in chat ? number(chat.id) : null,
    messageId: message && 'message_id' in message ? number(message.message_id) : null,
    text: message && 'text' in message && typeof message.text === 'string' ? message.text : null,
  };
}

function answer(res: http.ServerResponse, status: number, body: unknown) {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) });
  res.end(text);
}

async function webhook(req: http.IncomingMessage, res: http.ServerResponse) {
  if (!secretMatches(req.headers['x-telegram-bot-api-secret-token'])) {
    req.resume();
    return answer(res, 401, { ok: false, status: 'unauthorized' });
  }
  const chunks: Buffer[] = [];
  for await (const chunk of req as AsyncIterable<Buffer>) chunks.push(chunk);
  let update: ReturnType<typeof pick>;
  try {
    update = pick(JSON.parse(Buffer.concat(chunks).toString('utf8')));
  } catch {
    update = null;
  }
  if (!update) return answer(res, 200, { ok: true, status: 'ignored' });
  try {
    // A tagged template: postgres.js prepares it once per connection, as the app's hot path does.
    const rows = await sql`
      insert into bench_baseline_updates (update_id, chat_id, message_id, text)
      values (${update.updateId}, ${update.chatId}, ${update.messageId}, ${update.text})
      on conflict do nothing
      returning update_id`;
    answer(res, 200, { ok: true, status: rows.length > 0 ? 'stored' : 'duplicate' });
  } catch (error) {
    console.error('baseline: insert failed:', error instanceof Error ? error.message : error);
    answer(res, 503, { ok: false, status: 'unavailable' });
  }
}

const server = http.createServer((req, res) => {
  const route = `${req.method} ${req.url}`;
  const handled =
    route === 'POST /api/telegram/webhook'
      ? webhook(req, res)
      : route === 'GET /api/health'
        ? sql`select 1`.then(() => answer(res, 200, { ok: true }))
        : Promise.resolve(answer(res, 404, { ok: false }));
  handled.catch((error: unknown) => {
    console.error('baseline:', error instanceof Error ? error.message : error);
    if (!res.headersSent) answer(res, 500, { ok: false });
  });
});
server.listen(port, () => console.log(`baseline server on :${port}`));

for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    server.close();
    void sql.end({ timeout: 2 }).finally(() => process.exit(0));
  });
}
