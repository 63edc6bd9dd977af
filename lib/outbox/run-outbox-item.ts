import { z } from 'zod';
import type { Db } from '@/db/client';
import type { outboxKind } from '@/db/schema';
import { downloadAttachment, giveUpDownload } from '@/lib/attachments/download-attachment';
import { drainQueueForOperator } from '@/lib/clients/drain-queue-for-operator';
import { deliverMessage, DeliveryRetryError, giveUpDelivery } from '@/lib/messages/deliver-message';
import { relayOperatorEdit } from '@/lib/messages/relay-operator-edit';
import { callBotApi, TelegramApiError } from '@/lib/telegram/bot-api';
import { notifyOperator } from '@/lib/telegram/notify-operator';
import type { RelayEdit } from '@/lib/telegram/effects';

/** An outbox row as the worker claims it. */
export type OutboxRow = {
  id: number;
  kind: (typeof outboxKind.enumValues)[number];
  payload: Record<string, unknown>;
  chatId: number | null;
  attempts: number;
};

/** The work must be tried again, not before `retryAfterMs` from now when given (Telegram's retry_after). */
export class OutboxRetryError extends Error {
  readonly retryAfterMs?: number;
  constructor(message: string, retryAfterMs?: number) {
    super(message);
    this.name = 'OutboxRetryError';
    this.retryAfterMs = retryAfterMs;
  }
}

const messagePayload = z.object({ messageId: z.uuid() });
const attachmentPayload = z.object({ attachmentId: z.uuid() });
const notifyPayload = z.object({
  messageId: z.uuid(),
  albumItemTelegramMessageId: z.number().int().optional(),
});
const botCallPayload = z.object({ method: z.string().min(1), payload: z.record(z.string(), z.unknown()) });
const drainPayload = z.object({ operatorId: z.uuid() });
const relayEditPayload = z.object({
  messageId: z.uuid(),
  operatorId: z.uuid(),
  text: z.string(),
  entities: z.array(z.unknown()),
  operatorChatId: z.number().int(),
  operatorMessageId: z.number().int(),
});

/**
 * Does one outbox row's work: deliver a queued message (deliverMessage, job mode), download a
 * file (downloadAttachment), notify an operator in Telegram, make a bot call, drain the queues
 * of an operator whose load dropped, or relay an operator's Telegram edit. Each is idempotent
 * on its own rows (a message is claimed `queued → sending` once, a file `pending` once), so a
 * row run twice after a crash does the work once. Throws OutboxRetryError when the work should
 * be tried later (429 with its retry_after, Telegram not reached, storage down); a payload that
 * does not parse throws a ZodError (the worker gives the row up at once). Other errors are
 * retried by the worker with back-off.
 */
export async function runOutboxItem(db: Db, row: OutboxRow): Promise<void> {
  try {
    switch (row.kind) {
      case 'send_message':
        await deliverMessage({ db, messageId: messagePayload.parse(row.payload).messageId });
        return;
      case 'download_attachment':
        await downloadAttachment({
          db,
          attachmentId: attachmentPayload.parse(row.payload).attachmentId,
        });
        return;
      case 'notify_operator':
        await notifyOperator({ db, ...notifyPayload.parse(row.payload) });
        return;
      case 'bot_call': {
        const call = botCallPayload.parse(row.payload);
        await callBotApi(call.method, call.payload);
        return;
      }
      case 'drain_queue':
        await drainQueueForOperator({ db, operatorId: drainPayload.parse(row.payload).operatorId });
        return;
      case 'relay_edit':
        await relayOperatorEdit(db, relayEditPayload.parse(row.payload) satisfies RelayEdit);
        return;
    }
  } catch (error) {
    if (error instanceof DeliveryRetryError) throw new OutboxRetryError(error.message, error.retryAfterMs);
    if (error instanceof TelegramApiError) {
      if (error.isRateLimit) {
        throw new OutboxRetryError(error.message, (error.retryAfterSec ?? 1) * 1000);
      }
      if (error.outcome === 'not_sent') throw new OutboxRetryError(error.message);
      // Refused, or possibly delivered (no idempotency key in the Bot API): never repeated.
      console.warn(`outbox ${row.kind} ${row.id}: bot ${error.method} failed: ${error.message}`);
      return;
    }
    throw error;
  }
}

/**
 * What happens when a row's work gave up after its attempts: the message ends `failed`
 * (`gave_up`) and the file `failed`, so the dashboard shows it; other kinds are logged. The
 * row itself stays, marked failed, for inspection.
 */
export async function giveUpOutboxItem(row: OutboxRow, lastError: string): Promise<void> {
  console.error(`outbox ${row.kind} ${row.id} gave up after ${row.attempts} attempts: ${lastError}`);
  const message = messagePayload.safeParse(row.payload);
  if (row.kind === 'send_message' && message.success) await giveUpDelivery(message.data.messageId, lastError);
  const file = attachmentPayload.safeParse(row.payload);
  if (row.kind === 'download_attachment' && file.success)
    await giveUpDownload(file.data.attachmentId, lastError);
}
