import { eq } from 'drizzle-orm';
import type { Db, Tx } from '@/db/client';
import { databaseAnswers } from '@/db/ping';
import { isDataRejected } from '@/db/sql-state';
import { telegramUpdates } from '@/db/schema';
import { classifyIngestError, errorSignature, type IngestErrorKind } from './classify-ingest-error';
import { recordEffects } from '@/lib/outbox/record-outbox';
import { emptyEffects } from './effects';
import { callbackQuerySchema, handleCallbackQuery } from './handlers/callback-query';
import { handleEditedMessage } from './handlers/edited-message';
import { simpleContent, tryFastClientMessage } from './handlers/fast-client-message';
import { tryNewClientMessage } from './handlers/new-client-message';
import { chatMemberUpdatedSchema, handleMyChatMember } from './handlers/my-chat-member';
import { handlePrivateMessage } from './handlers/private-message';
import type { HandlerOutcome } from './handlers/types';
import { impossibleIds } from './impossible-ids';
import { loggableText, storableJson, storableText } from './storable-json';
import { messageSchema, updateEnvelopeSchema } from './update-schema';

export type IngestResult =
  | {
      status: 'stored' | 'handled' | 'ignored' | 'failed';
      updateId: number | null;
      kind: string;
      reason?: string;
      clientId?: string;
      messageId?: string;
    }
  | { status: 'duplicate'; updateId: number; kind: string };

type Handler = (tx: Tx, value: unknown) => Promise<HandlerOutcome>;

function ignored(reason: string): HandlerOutcome {
  return { status: 'ignored', reason, effects: emptyEffects() };
}

// A Map, not an object: an update kind is a key chosen by the sender, and `constructor`,
// `toString` or `__proto__` must be unknown kinds, not Object.prototype's members.
const handlers = new Map<string, Handler>([
  [
    'message',
    async (tx, value) => {
      const parsed = messageSchema.safeParse(value);
      if (!parsed.success) return ignored('message failed validation');
      const { from, chat } = parsed.data;
      if (chat.type !== 'private' || !from || from.is_bot) return ignored('not a private chat with a person');
      return handlePrivateMessage(tx, parsed.data, from);
    },
  ],
  [
    'edited_message',
    async (tx, value) => {
      const parsed = messageSchema.safeParse(value);
      if (!parsed.success || parsed.data.chat.type !== 'private')
        return ignored('not a private message edit');
      return handleEditedMessage(tx, parsed.data);
    },
  ],
  [
    'callback_query',
    async (tx, value) => {
      const parsed = callbackQuerySchema.safeParse(value);
      return parsed.success
        ? handleCallbackQuery(tx, parsed.data)
        : ignored('callback_query failed validation');
    },
  ],
  [
    'my_chat_member',
    async (tx, value) => {
      const parsed = chatMemberUpdatedSchema.safeParse(value);
      return parsed.success
        ? handleMyChatMember(tx, parsed.data)
        : ignored('my_chat_member failed validation');
    },
  ],
]);

/**
 * A client's plain message (no command, album or file) in one statement when the client is known
 * and assigned, in one pipelined transaction when the sender is new; null sends the update down
 * the full path.
 */
async function tryFast(db: Db, updateId: number, value: unknown) {
  const parsed = messageSchema.safeParse(value);
  if (!parsed.success || parsed.data.chat.type !== 'private' || !parsed.data.from || parsed.data.from.is_bot)
    return null;
  const message = parsed.data;
  const from = parsed.data.from;
  const content = simpleContent(message);
  if (!content) return null;
  const known = await tryFastClientMessage(db, updateId, message, from, content);
  if (known === 'full-path') return null;
  if (known === 'new-client') return tryNewClientMessage(db, updateId, message, from, content);
  return known;
}

type Update = { updateId: number; kind: string; value: unknown; payload: Record<string, unknown> };

/**
 * The whole work of one delivery: the one-statement paths for plain messages, else one
 * transaction that claims the update_id — a new row, or the row of an earlier delivery that
 * failed — runs the kind's handler, records its follow-up work in the outbox and how it went.
 */
async function processUpdate(db: Db, { updateId, kind, value, payload }: Update): Promise<IngestResult> {
  if (kind === 'message') {
    const quick = await tryFast(db, updateId, value);
    if (quick) {
      // The one-statement paths take over a row an earlier, failed delivery left (they count
      // only rows not `failed` as seen), so a duplicate here is a real one.
      const duplicate = 'duplicate' in quick && quick.duplicate === true;
      const {
        effects: _none,
        duplicate: _duplicate,
        ...result
      } = quick as typeof quick & { duplicate?: boolean };
      return duplicate
        ? { status: 'duplicate', updateId, kind }
        : { ...result, status: quick.status, updateId, kind };
    }
  }
  const handler = handlers.get(kind);
  return db.transaction(async (tx): Promise<IngestResult> => {
    const [claim] = await tx
      .insert(telegramUpdates)
      .values({ updateId, kind, status: 'processed' })
      .onConflictDoUpdate({
        target: telegramUpdates.updateId,
        set: { kind, status: 'processed', error: null, payload: null },
        setWhere: eq(telegramUpdates.status, 'failed'),
      })
      .returning({ id: telegramUpdates.id });
    if (!claim) return { status: 'duplicate', updateId, kind };

    const outcome = handler ? await handler(tx, value) : ignored(`update type "${kind}" is not handled`);
    // The follow-up work commits with the update or not at all (lib/outbox).
    await recordEffects(tx, outcome.effects);
    if (outcome.status === 'ignored' || outcome.reason) {
      await tx
        .update(telegramUpdates)
        .set({
          status: outcome.status === 'ignored' ? 'ignored' : 'processed',
          error: outcome.reason ? storableText(outcome.reason) : null,
          payload: outcome.status === 'ignored' ? payload : null,
        })
        .where(eq(telegramUpdates.id, claim.id));
    }
    const { effects: _recorded, ...result } = outcome;
    return { ...result, updateId, kind };
  });
}

/**
 * Records an update that will not be processed (ignored or failed) with its payload, in place of
 * an earlier `failed` row if there is one. False when another delivery already stored it.
 */
async function recordUnprocessed(
  db: Db,
  row: { updateId: number; kind: string; status: 'ignored' | 'failed'; error: string; payload: unknown },
): Promise<boolean> {
  const write = (payload: unknown) =>
    db
      .insert(telegramUpdates)
      .values({ ...row, payload })
      .onConflictDoUpdate({
        target: telegramUpdates.updateId,
        set: { kind: row.kind, status: row.status, error: row.error, payload },
        setWhere: eq(telegramUpdates.status, 'failed'),
      })
      .returning({ id: telegramUpdates.id });
  try {
    return (await write(row.payload)).length > 0;
  } catch (error) {
    // The payload is cleaned, but should Postgres still refuse it, the record goes without it.
    if (!isDataRejected(error)) throw error;
    return (await write(null)).length > 0;
  }
}

/**
 * Stores one webhook delivery. In one transaction: claim the update_id (a repeat is a no-op),
 * run the handler for its kind, record its follow-up work in the outbox (lib/outbox) and how it
 * went. The caller calls kickOutbox() once it has answered.
 * - The body is cleaned first (storableJson: no NUL, no lone surrogate, keys included), so any
 *   string in it can be stored.
 * - Unknown kinds, invalid payloads and impossible ids (impossibleIds) are recorded with their
 *   payload and acknowledged.
 * - A failure is classified (classifyIngestError). Provably the update's own fault: rolled back,
 *   recorded as `failed`, acknowledged — one poison update never stalls the bot. The database
 *   unavailable: thrown, nothing recorded, so the webhook answers 5xx and Telegram delivers
 *   again. Unknown (a TypeError, an unexpected SQLSTATE): if the database answers a fresh
 *   `select 1`, the update runs once more; failing again the same way on a database that still
 *   answers makes it the update's fault, anything else is thrown.
 * - A `failed` row never swallows a later delivery: the claim takes it over and runs it again.
 * - `signal` (aborted when the caller stopped waiting) stops it before a retry or a record.
 * Throws whatever made the update unstorable; never records it then.
 */
export async function ingestTelegramUpdate({
  db,
  body,
  signal,
}: {
  db: Db;
  body: unknown;
  signal?: AbortSignal;
}): Promise<IngestResult> {
  const clean = storableJson(body);
  const envelope = updateEnvelopeSchema.safeParse(clean);
  if (!envelope.success || !isRecord(clean)) {
    await db.insert(telegramUpdates).values({
      updateId: null,
      kind: 'malformed',
      status: 'ignored',
      error: 'Body is not a Telegram Update (no numeric update_id).',
      payload: clean,
    });
    return { status: 'ignored', updateId: null, kind: 'malformed', reason: 'no update_id' };
  }
  const updateId = envelope.data.update_id;
  // The kind is the first own key after update_id, read from the cleaned body itself.
  const kind = Object.keys(clean).find((key) => key !== 'update_id') ?? 'empty';
  const update: Update = {
    updateId,
    kind,
    value: Object.hasOwn(clean, kind) ? clean[kind] : undefined,
    payload: clean,
  };

  const impossible = impossibleIds(kind, update.value);
  if (impossible) {
    const reason = `malformed: ${impossible}`;
    const written = await recordUnprocessed(db, {
      updateId,
      kind,
      status: 'ignored',
      error: reason,
      payload: clean,
    });
    return written ? { status: 'ignored', updateId, kind, reason } : { status: 'duplicate', updateId, kind };
  }

  let failure: unknown;
  try {
    return await processUpdate(db, update);
  } catch (error) {
    failure = error;
  }
  let verdict: IngestErrorKind = classifyIngestError(failure);
  if (verdict === 'unknown') {
    if (signal?.aborted || !(await databaseAnswers(db))) throw failure;
    try {
      return await processUpdate(db, update);
    } catch (error) {
      const again = classifyIngestError(error);
      const same = again === 'unknown' && errorSignature(error) === errorSignature(failure);
      verdict =
        again === 'unknown' ? (same && (await databaseAnswers(db)) ? 'update' : 'unavailable') : again;
      failure = error;
    }
  }
  if (verdict !== 'update' || signal?.aborted) throw failure;

  const message = storableText(failure instanceof Error ? failure.message : String(failure)).slice(0, 2000);
  const written = await recordUnprocessed(db, {
    updateId,
    kind,
    status: 'failed',
    error: message,
    payload: clean,
  });
  if (!written) return { status: 'duplicate', updateId, kind };
  console.error(
    `telegram update ${updateId} (${loggableText(kind, 60)}) failed and was recorded:`,
    loggableText(message),
  );
  return { status: 'failed', updateId, kind, reason: message };
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
