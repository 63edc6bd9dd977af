import type { IncomingMessage, ServerResponse } from 'node:http';
import { getDb } from '@/db/client';
import { runInBackground } from '@/lib/background';
import { getEnv } from '@/lib/env';
import { AppError, toProblem } from '@/lib/errors';
import { hasEffects } from './effects';
import { ingestTelegramUpdate } from './ingest-update';
import { runEffects } from './run-effects';
import { SECRET_HEADER, verifyWebhookSecret } from './verify-webhook-secret';

// Telegram's updates are a few KB; a bigger body is recorded as malformed, not parsed.
const MAX_BODY_BYTES = 1_000_000;

/**
 * `POST /api/telegram/webhook` on Node's own request and response: check the secret (constant
 * time, before reading the body), store the update in one transaction (ingestTelegramUpdate),
 * answer 200, then start the update's follow-up work. 5xx only when nothing could be stored,
 * so Telegram delivers again; everything else — malformed, unknown, poison — is 200 and recorded.
 */
export async function handleTelegramWebhook(req: IncomingMessage, res: ServerResponse): Promise<void> {
  if (req.method !== 'POST') {
    res.setHeader('allow', 'POST');
    return sendProblem(res, new AppError('method_not_allowed', 'Only POST is accepted here.'));
  }
  const header = req.headers[SECRET_HEADER];
  if (!verifyWebhookSecret(typeof header === 'string' ? header : null, getEnv().TELEGRAM_WEBHOOK_SECRET)) {
    req.resume(); // discard the body unread
    return sendProblem(
      res,
      new AppError('unauthorized', 'Missing or wrong X-Telegram-Bot-Api-Secret-Token.'),
    );
  }

  let body: unknown;
  try {
    body = await readJson(req);
  } catch {
    // The sender went away mid-body: there is nobody to answer and nothing to store.
    if (!res.destroyed) sendProblem(res, new AppError('bad_request', 'The request body could not be read.'));
    return;
  }

  let result: Awaited<ReturnType<typeof ingestTelegramUpdate>>;
  try {
    result = await ingestTelegramUpdate({ db: await getDb(), body });
  } catch (error) {
    // Nothing was committed: a 5xx makes Telegram deliver the update again later.
    console.error('webhook: update not stored:', error instanceof Error ? error.message : error);
    return sendProblem(res, new AppError('unavailable', 'The update could not be stored; retry later.'));
  }
  sendJson(res, 200, { ok: true, status: result.status });
  if (hasEffects(result.effects)) {
    const effects = result.effects;
    runInBackground(() => runEffects(effects), `follow-up of update ${result.updateId}`);
  }
}

/** The parsed body, or a marker the ingest records as malformed (never throws on bad JSON). */
async function readJson(req: IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size <= MAX_BODY_BYTES) chunks.push(chunk);
  }
  if (size > MAX_BODY_BYTES) return { __oversized: size };
  const raw = Buffer.concat(chunks).toString('utf8');
  try {
    return JSON.parse(raw);
  } catch {
    return { __unparsable: raw.slice(0, 10_000) };
  }
}

function sendJson(res: ServerResponse, status: number, body: unknown, contentType = 'application/json') {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': contentType, 'content-length': Buffer.byteLength(text) });
  res.end(text);
}

function sendProblem(res: ServerResponse, error: AppError) {
  const problem = toProblem(error);
  sendJson(res, problem.status, problem, 'application/problem+json');
}
