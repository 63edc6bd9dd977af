import { and, asc, eq, lt, or, sql } from 'drizzle-orm';
import type { Db } from '@/db/client';
import { attachments, messages } from '@/db/schema';
import { kickOutbox } from '@/lib/outbox/outbox-worker';
import { recordOutbox } from '@/lib/outbox/record-outbox';
import { deliveryPartCount, markUnknown } from './deliver-message';
import { tellOperatorNotDelivered } from './tell-operator-not-delivered';

export type SweepResult = {
  /** `queued` messages overdue, recorded in the outbox again (a no-op for those still in it). */
  redispatched: number;
  /** `sending` messages whose every part had been recorded: marked `sent`. */
  finished: number;
  /** `sending` messages cut off mid-send: marked `unknown`, never resent by themselves. */
  unknown: number;
};

/** A queued message is taken for lost after this long past its due time (its dispatch died). */
export const STALE_QUEUED_MS = 60_000;

/**
 * Finds outbound messages a crash or restart left behind and ends them, on start and then
 * periodically: a `sending` message past its deadline (every call could have timed out by
 * then, see deliverMessage) is `sent` when all its parts were recorded and `unknown` otherwise
 * (it may have arrived: never resent blindly); a `queued` message overdue by STALE_QUEUED_MS is
 * recorded in the outbox again — a no-op while its row is there; it matters when Inngest lost
 * the event it was handed (a message is claimed `queued → sending` once, so a second run of one
 * that is in fact on its way does nothing). Returns what it did.
 */
export async function sweepDeliveries({
  db,
  now = new Date(),
  limit = 100,
}: {
  db: Db;
  now?: Date;
  limit?: number;
}): Promise<SweepResult> {
  const result: SweepResult = { redispatched: 0, finished: 0, unknown: 0 };
  const stuck = await db
    .update(messages)
    .set({ deliveryDueAt: null })
    .where(
      sql`${messages.id} in (select id from messages where delivery_status = 'sending'
        and delivery_due_at < ${now.toISOString()}::timestamptz order by delivery_due_at limit ${limit}
        for update skip locked)`,
    )
    .returning();
  for (const message of stuck) {
    const files = await db
      .select()
      .from(attachments)
      .where(eq(attachments.messageId, message.id))
      .orderBy(asc(attachments.position));
    const recorded = (message.telegramMessageId ? 1 : 0) + (message.telegramExtraMessageIds?.length ?? 0);
    if (recorded > 0 && recorded >= deliveryPartCount(message, files)) {
      await db
        .update(messages)
        .set({ deliveryStatus: 'sent', deliveryErrorCode: null, deliveryError: null, deliveredAt: now })
        .where(and(eq(messages.id, message.id), eq(messages.deliveryStatus, 'sending')));
      result.finished += 1;
      continue;
    }
    const outcome = await markUnknown(db, message.id, message.clientId, {
      code: 'stopped_mid_send',
      detail: null,
    });
    if (message.operatorTelegramChatId && outcome.status === 'unknown') {
      await tellOperatorNotDelivered(db, message, outcome);
    }
    result.unknown += 1;
  }

  const stale = new Date(now.getTime() - STALE_QUEUED_MS);
  const queued = await db
    .select({ messageId: messages.id, chatId: messages.telegramChatId })
    .from(messages)
    .where(
      and(
        eq(messages.deliveryStatus, 'queued'),
        or(
          lt(messages.deliveryDueAt, stale),
          and(sql`${messages.deliveryDueAt} is null`, lt(messages.createdAt, stale)),
        ),
      ),
    )
    .orderBy(asc(messages.createdAt))
    .limit(limit);
  if (queued.length > 0) {
    // A row still in the outbox is kept as it is (one row per message); one whose event
    // Inngest lost is recorded again.
    await recordOutbox(
      db,
      queued.map((q) => ({ kind: 'send_message', payload: { messageId: q.messageId }, chatId: q.chatId })),
    );
    kickOutbox();
    result.redispatched = queued.length;
  }
  return result;
}

let timer: NodeJS.Timeout | undefined;

/**
 * Runs sweepDeliveries shortly after the server starts and then every `intervalMs`, in this
 * process (unref'd: it never keeps the process alive). Errors are logged, never thrown.
 */
export function startDeliverySweeper(getDb: () => Promise<Db>, intervalMs = 60_000): void {
  if (timer) return;
  const run = async () => {
    try {
      const swept = await sweepDeliveries({ db: await getDb() });
      if (swept.redispatched + swept.finished + swept.unknown > 0) {
        console.log(
          `delivery sweep: ${swept.redispatched} re-dispatched, ${swept.finished} finished, ${swept.unknown} unknown`,
        );
      }
    } catch (error) {
      console.error('delivery sweep failed:', error instanceof Error ? error.message : error);
    }
  };
  setTimeout(run, 5_000).unref();
  timer = setInterval(run, intervalMs);
  timer.unref();
}
