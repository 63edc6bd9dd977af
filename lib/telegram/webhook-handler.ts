import type { IncomingMessage, ServerResponse } from 'node:http';
import { getDbHandle } from '@/db/client';
import { getEnv } from '@/lib/env';
import { AppError, toProblem } from '@/lib/errors';
import { IngestDeadlineError } from './classify-ingest-error';
import { ingestTelegramUpdate, type IngestResult } from './ingest-update';
import { kickOutbox } from '@/lib/outbox/outbox-worker';
import { loggableText } from './storable-json';
import { SECRET_HEADER, verifyWebhookSecret } from './verify-webhook-secret';

// Telegram's updates are a few KB; a bigger body is recorded as malformed, not parsed.
const MAX_BODY_BYTES = 1_000_000;

/**
 * How long an update may take to be stored before the webhook answers 503 (milliseconds). A
 * stored update takes milliseconds; one that takes seconds is waiting for a database that is not
 * there, and Telegram's own call would time out first. Answering 503 early is safe: should the
 * work still commit later, Telegram's next delivery is a duplicate and answers 200. Only on
 * Postgres: PGlite runs in this process and queues every request behind one connection.
 */
export const INGEST_DEADLINE_MS = 5_000;

/**
 * `POST /api/telegram/webhook` on Node's own request and response: check the secret (constant
 * time, before reading the body), store the update in one transaction (ingestTelegramUpdate),
 * answer 200, then wake the outbox worker for the update's follow-up work. 503 when the update could not be stored
 * — the database unreachable, or no answer within INGEST_DEADLINE_MS — so Telegram delivers
 * again; everything else — malformed, unknown, poison — is 200 and recorded.
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

  let result: IngestResult;
  try {
    const handle = await getDbHandle();
    const controller = new AbortController();
    const work = ingestTelegramUpdate({ db: handle.db, body, signal: controller.signal });
    result = handle.kind === 'postgres' ? await withDeadline(work, controller) : await work;
  } catch (error) {
    // Nothing is committed (or, past the deadline, nothing is known to be): a 5xx makes
    // Telegram deliver the update again later.
    const reason = error instanceof Error ? error.message : String(error);
    console.error('webhook: update not stored:', loggableText(reason));
    return sendProblem(res, new AppError('unavailable', 'The update could not be stored; retry later.'));
  }
  sendJson(res, 200, { ok: true, status: result.status });
  wakeOutbox(result);
}

/**
 * The update's follow-up work (sends, downloads, notices) is in the outbox, committed with it:
 * the worker runs it after the answer, at Telegram's pace, never inside this request.
 */
function wakeOutbox(result: IngestResult) {
  // An ignored update may still have work: answering a stale button's callback query.
  if (result.status !== 'duplicate' && result.status !== 'failed') kickOutbox();
}

/**
 * `work`, or an IngestDeadlineError after INGEST_DEADLINE_MS. The work is not cancelled (a
 * statement may be committing): it is told to stop before its next step, and if it still stores
 * the update, the follow-up work runs all the same.
 */
async function withDeadline(work: Promise<IngestResult>, controller: AbortController): Promise<IngestResult> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new IngestDeadlineError(INGEST_DEADLINE_MS)), INGEST_DEADLINE_MS);
  });
  try {
    return await Promise.race([work, deadline]);
  } catch (error) {
    if (error instanceof IngestDeadlineError) {
      controller.abort();
      work.then(wakeOutbox, () => undefined); // its failure changes nothing: 503 is sent
    }
    throw error;
  } finally {
    clearTimeout(timer);
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
