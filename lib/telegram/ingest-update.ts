import { eq } from 'drizzle-orm';
import type { Db, Tx } from '@/db/client';
import { telegramUpdates } from '@/db/schema';
import { sqlState } from '@/db/sql-state';
import { emptyEffects, type Effects } from './effects';
import { callbackQuerySchema, handleCallbackQuery } from './handlers/callback-query';
import { handleEditedMessage } from './handlers/edited-message';
import { simpleContent, tryFastClientMessage } from './handlers/fast-client-message';
import { tryNewClientMessage } from './handlers/new-client-message';
import { chatMemberUpdatedSchema, handleMyChatMember } from './handlers/my-chat-member';
import { handlePrivateMessage } from './handlers/private-message';
import type { HandlerOutcome } from './handlers/types';
import { messageSchema, updateEnvelopeSchema, updateKind } from './update-schema';

export type IngestResult =
  | {
      status: 'stored' | 'handled' | 'ignored' | 'failed';
      updateId: number | null;
      kind: string;
      reason?: string;
      clientId?: string;
      messageId?: string;
      effects: Effects;
    }
  | { status: 'duplicate'; updateId: number; kind: string; effects: Effects };

type Handler = (tx: Tx, value: unknown) => Promise<HandlerOutcome>;

function ignored(reason: string): HandlerOutcome {
  return { status: 'ignored', reason, effects: emptyEffects() };
}

const handlers: Record<string, Handler> = {
  message: async (tx, value) => {
    const parsed = messageSchema.safeParse(value);
    if (!parsed.success) return ignored('message failed validation');
    const { from, chat } = parsed.data;
    if (chat.type !== 'private' || !from || from.is_bot) return ignored('not a private chat with a person');
    return handlePrivateMessage(tx, parsed.data, from);
  },
  edited_message: async (tx, value) => {
    const parsed = messageSchema.safeParse(value);
    if (!parsed.success || parsed.data.chat.type !== 'private') return ignored('not a private message edit');
    return handleEditedMessage(tx, parsed.data);
  },
  callback_query: async (tx, value) => {
    const parsed = callbackQuerySchema.safeParse(value);
    return parsed.success
      ? handleCallbackQuery(tx, parsed.data)
      : ignored('callback_query failed validation');
  },
  my_chat_member: async (tx, value) => {
    const parsed = chatMemberUpdatedSchema.safeParse(value);
    return parsed.success ? handleMyChatMember(tx, parsed.data) : ignored('my_chat_member failed validation');
  },
};

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

// Transient database conditions: let Telegram redeliver rather than record the update as failed.
const RETRYABLE_SQLSTATES = new Set(['40001', '40P01', '57P01', '57P03', '53300']);

/**
 * Stores one webhook delivery. In one transaction: claim the update_id (a repeat is a no-op),
 * run the handler for its kind, record how it went. Returns the work to run after commit.
 * - Unknown kinds and invalid payloads are recorded with their payload and acknowledged.
 * - A handler that throws on a poison update is rolled back, recorded as `failed` and
 *   acknowledged, so one bad update never stalls the bot in a retry loop.
 * - When the database itself is unavailable the error propagates: the webhook answers 5xx and
 *   Telegram delivers again later.
 */
export async function ingestTelegramUpdate({ db, body }: { db: Db; body: unknown }): Promise<IngestResult> {
  const envelope = updateEnvelopeSchema.safeParse(body);
  if (!envelope.success) {
    await db.insert(telegramUpdates).values({
      updateId: null,
      kind: 'malformed',
      status: 'ignored',
      error: 'Body is not a Telegram Update (no numeric update_id).',
      payload: jsonSafe(body),
    });
    return {
      status: 'ignored',
      updateId: null,
      kind: 'malformed',
      reason: 'no update_id',
      effects: emptyEffects(),
    };
  }
  const update = envelope.data;
  const updateId = update.update_id;
  const kind = updateKind(update);
  const handler = handlers[kind];

  const run = () =>
    db.transaction(async (tx): Promise<IngestResult> => {
      const claimed = await tx
        .insert(telegramUpdates)
        .values({ updateId, kind, status: 'processed' })
        .onConflictDoNothing()
        .returning({ id: telegramUpdates.id });
      const claim = claimed[0];
      if (!claim) return { status: 'duplicate', updateId, kind, effects: emptyEffects() };

      const outcome = handler
        ? await handler(tx, update[kind])
        : ignored(`update type "${kind}" is not handled`);
      if (outcome.status === 'ignored' || outcome.reason) {
        await tx
          .update(telegramUpdates)
          .set({
            status: outcome.status === 'ignored' ? 'ignored' : 'processed',
            error: outcome.reason ?? null,
            payload: outcome.status === 'ignored' ? jsonSafe(update) : null,
          })
          .where(eq(telegramUpdates.id, claim.id));
      }
      return { ...outcome, updateId, kind };
    });

  try {
    if (kind === 'message') {
      const quick = await tryFast(db, updateId, update[kind]);
      if (quick) {
        const duplicate = 'duplicate' in quick && quick.duplicate === true;
        return { ...quick, status: duplicate ? 'duplicate' : quick.status, updateId, kind };
      }
    }
    return await run();
  } catch (error) {
    if (RETRYABLE_SQLSTATES.has(sqlState(error) ?? '')) throw error;
    const message = error instanceof Error ? error.message : String(error);
    // If this insert fails too, the database is down: rethrow so Telegram retries.
    try {
      await db
        .insert(telegramUpdates)
        .values({
          updateId,
          kind,
          status: 'failed',
          error: message.slice(0, 2000),
          payload: jsonSafe(update),
        })
        .onConflictDoNothing();
    } catch {
      throw error;
    }
    console.error(`telegram update ${updateId} (${kind}) failed and was recorded:`, message);
    return { status: 'failed', updateId, kind, reason: message, effects: emptyEffects() };
  }
}

/** JSON that Postgres' jsonb accepts (it refuses \u0000), so the record itself never fails. */
function jsonSafe(value: unknown): unknown {
  if (value === undefined) return null;
  try {
    const text = JSON.stringify(value, (_key, v: unknown) =>
      typeof v === 'string' ? v.replaceAll('\u0000', '') : v,
    );
    return JSON.parse(text);
  } catch {
    return String(value).replaceAll('\u0000', '');
  }
}
