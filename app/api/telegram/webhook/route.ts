import { runAfterResponse } from '@/app/run-after-response';
import { getDb } from '@/db/client';
import { getEnv } from '@/lib/env';
import { problemResponse, AppError } from '@/lib/errors';
import { hasEffects } from '@/lib/telegram/effects';
import { runEffects } from '@/lib/telegram/run-effects';
import { ingestTelegramUpdate } from '@/lib/telegram/ingest-update';
import { SECRET_HEADER, verifyWebhookSecret } from '@/lib/telegram/verify-webhook-secret';

export const dynamic = 'force-dynamic';

const MAX_BODY_BYTES = 1_000_000;

export async function POST(request: Request) {
  if (!verifyWebhookSecret(request.headers.get(SECRET_HEADER), getEnv().TELEGRAM_WEBHOOK_SECRET)) {
    return problemResponse(new AppError('unauthorized', 'Missing or wrong X-Telegram-Bot-Api-Secret-Token.'));
  }
  const raw = await request.text();
  let body: unknown;
  try {
    body = raw.length > MAX_BODY_BYTES ? { __oversized: raw.length } : JSON.parse(raw);
  } catch {
    body = { __unparsable: raw.slice(0, 10_000) };
  }
  try {
    const db = await getDb();
    const result = await ingestTelegramUpdate({ db, body });
    if (hasEffects(result.effects)) {
      const effects = result.effects;
      runAfterResponse(() => runEffects(effects), `follow-up of update ${result.updateId}`);
    }
    return Response.json({ ok: true, status: result.status });
  } catch (error) {
    // Nothing was committed: a 5xx makes Telegram deliver the update again later.
    console.error('webhook: update not stored:', error instanceof Error ? error.message : error);
    return problemResponse(new AppError('unavailable', 'The update could not be stored; retry later.'));
  }
}
