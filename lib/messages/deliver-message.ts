import { and, asc, eq, inArray, notInArray } from 'drizzle-orm';
import { z } from 'zod';
import { getDb, type Db } from '@/db/client';
import { attachments, clients, messages, type Attachment, type Message } from '@/db/schema';
import { systemActor } from '@/lib/auth/actor';
import { blockClient } from '@/lib/clients/block-client';
import { drainQueueForOperator } from '@/lib/clients/drain-queue-for-operator';
import { notifyDesk } from '@/lib/events/notify-desk';
import {
  callBotApi,
  jsonCallTimeoutMs,
  sentMessageSchema,
  TelegramApiError,
  TelegramNotConfiguredError,
  UPLOAD_CALL_TIMEOUT_MS,
} from '@/lib/telegram/bot-api';
import { CAPTION_LIMIT, escapeHtml, splitText } from '@/lib/telegram/format';
import {
  fileSource,
  sendStoredFile,
  StorageReadError,
  type ReplyMarkup,
  type SentFile,
} from './send-stored-file';
import { describeDeliveryFailure, type DeliveryFailure } from './delivery-failure';
import { tellOperatorNotDelivered } from './tell-operator-not-delivered';

export type DeliveryOutcome =
  | { status: 'sent'; telegramMessageIds: number[] }
  | { status: 'failed'; failure: DeliveryFailure; error: string }
  | { status: 'unknown'; failure: DeliveryFailure; error: string }
  | { status: 'skipped'; reason: string };

/** Thrown when the send should be retried later (429, Telegram not reached, storage down). */
export class DeliveryRetryError extends Error {
  readonly retryAfterMs?: number;
  constructor(message: string, retryAfterMs?: number) {
    super(message);
    this.name = 'DeliveryRetryError';
    this.retryAfterMs = retryAfterMs;
  }
}

/** Slack on top of the calls' own timeouts before the sweep takes a `sending` message for lost. */
const SENDING_GRACE_MS = 120_000;

const replyMarkupSchema = z.record(z.string(), z.unknown());
const copiedSchema = z.looseObject({ message_id: z.number().int() });

const fail = (code: DeliveryFailure['code'], detail: string | null = null): DeliveryFailure => ({
  code,
  detail,
});

/**
 * Sends one queued outbound message to Telegram and records the outcome. A message is claimed
 * `queued → sending` once; every path then ends in `sent`, `failed` (Telegram refused it or was
 * never reached: nothing more was delivered, the operator may retry) or `unknown` (a call may
 * have reached Telegram without an answer — our timeout, a dropped connection, a 5xx: never
 * resent automatically, since the Bot API has no idempotency key), except calls that provably
 * did not reach Telegram (429, connection refused…) or a file storage that could not be read,
 * which go back to `queued` and throw DeliveryRetryError for the caller — the outbox worker or
 * the Inngest function — to wait (429: Telegram's `retry_after`) and call again. A reply an
 * operator wrote in Telegram keeps its formatting (text with its entities, media copied with
 * copyMessage), and that operator is told in Telegram when it ends `failed` or `unknown`.
 */
export async function deliverMessage({
  messageId,
  db: given,
}: {
  messageId: string;
  db?: Db;
}): Promise<DeliveryOutcome> {
  const db = given ?? (await getDb());
  const [message] = await db
    .update(messages)
    .set({ deliveryStatus: 'sending', deliveryDueAt: new Date(Date.now() + SENDING_GRACE_MS) })
    .where(and(eq(messages.id, messageId), eq(messages.deliveryStatus, 'queued')))
    .returning();
  if (!message) return { status: 'skipped', reason: 'not queued' };
  const outcome = await send(db, message);
  if ((outcome.status === 'failed' || outcome.status === 'unknown') && message.operatorTelegramChatId) {
    await tellOperatorNotDelivered(db, message, outcome);
  }
  return outcome;
}

async function send(db: Db, message: Message): Promise<DeliveryOutcome> {
  const [client] = await db
    .select({
      id: clients.id,
      status: clients.status,
      departmentId: clients.departmentId,
      assignedOperatorId: clients.assignedOperatorId,
    })
    .from(clients)
    .where(eq(clients.id, message.clientId));
  if (!client) return markFailed(db, message.id, message.clientId, fail('client_missing'));
  if (client.status === 'blocked') return markFailed(db, message.id, client.id, fail('client_blocked'));

  const files = await db
    .select()
    .from(attachments)
    .where(eq(attachments.messageId, message.id))
    .orderBy(asc(attachments.position), asc(attachments.createdAt));
  const steps = planMessage(message, files);
  // The sweep takes a `sending` message for lost only after every call could have timed out.
  const budget = steps.reduce(
    (ms, step) => ms + (step.kind === 'file' ? UPLOAD_CALL_TIMEOUT_MS : jsonCallTimeoutMs()),
    0,
  );
  await db
    .update(messages)
    .set({ deliveryDueAt: new Date(Date.now() + budget + SENDING_GRACE_MS) })
    .where(eq(messages.id, message.id));
  // An inline keyboard (bot messages: the department choice…) goes under the last part.
  const keyboard = replyMarkupSchema.safeParse(message.payload?.replyMarkup);
  const replyMarkup = keyboard.success ? keyboard.data : undefined;
  const sentIds: number[] = [
    ...(message.telegramMessageId ? [message.telegramMessageId] : []),
    ...(message.telegramExtraMessageIds ?? []),
  ];

  while (sentIds.length < steps.length) {
    const step = steps[sentIds.length];
    if (!step) break;
    const replyTo = sentIds.length === 0 ? message.replyToTelegramMessageId : null;
    const markup = sentIds.length === steps.length - 1 ? replyMarkup : undefined;
    try {
      let sent: { messageId: number; file?: SentFile };
      if (step.kind === 'text') {
        sent = { messageId: await sendTextPart(message.telegramChatId, step.text, replyTo, markup) };
      } else if (step.kind === 'formatted') {
        sent = { messageId: await sendFormattedText(message, replyTo) };
      } else if (step.kind === 'copy') {
        sent = { messageId: await relayComposedMessage(message, step, replyTo) };
      } else {
        const source = await fileSource(step.attachment);
        if ('missing' in source) return markFailed(db, message.id, client.id, source.missing);
        sent = await sendStoredFile(
          message.telegramChatId,
          step.attachment,
          source,
          step.caption,
          replyTo,
          markup,
        );
      }
      sentIds.push(sent.messageId);
      await recordSentPart(db, message.id, sentIds, step, sent);
    } catch (error) {
      if (error instanceof TelegramNotConfiguredError)
        return markFailed(db, message.id, client.id, fail('bot_not_configured', error.message));
      if (error instanceof StorageReadError) {
        return requeue(db, message.id, fail('storage_unavailable', error.message));
      }
      if (!(error instanceof TelegramApiError)) throw error;
      if (error.isForbidden) return markBlocked(db, message.id, client, error.message);
      if (error.isRateLimit) {
        const waitSec = error.retryAfterSec ?? 1;
        return requeue(db, message.id, fail('rate_limited', error.message), waitSec * 1000);
      }
      if (error.outcomeUnknown) {
        return markUnknown(db, message.id, client.id, fail('outcome_unknown', error.message));
      }
      if (error.outcome === 'not_sent') {
        return requeue(db, message.id, fail('telegram_unreachable', error.message));
      }
      return markFailed(db, message.id, client.id, fail('telegram_refused', error.message));
    }
  }

  const now = new Date();
  await db.transaction(async (tx) => {
    await tx
      .update(messages)
      .set({
        deliveryStatus: 'sent',
        deliveryErrorCode: null,
        deliveryError: null,
        deliveredAt: now,
        deliveryDueAt: null,
      })
      .where(eq(messages.id, message.id));
    await notifyDesk(tx, {
      type: 'message.updated',
      clientId: client.id,
      messageId: message.id,
      departmentId: client.departmentId,
      operatorId: client.assignedOperatorId,
    });
  });
  return { status: 'sent', telegramMessageIds: sentIds };
}

/** Remembers each delivered part at once, so a retry resumes after it and never resends it. */
async function recordSentPart(
  db: Db,
  messageId: string,
  sentIds: number[],
  step: DeliveryStep,
  sent: { messageId: number; file?: SentFile },
) {
  await db.transaction(async (tx) => {
    await tx
      .update(messages)
      .set({
        telegramMessageId: sentIds[0],
        telegramExtraMessageIds: sentIds.length > 1 ? sentIds.slice(1) : null,
      })
      .where(eq(messages.id, messageId));
    if (step.kind === 'copy' && step.attachmentIds.length > 0) {
      await tx
        .update(attachments)
        .set({ telegramMessageId: sent.messageId })
        .where(inArray(attachments.id, step.attachmentIds));
    }
    if (step.kind === 'file' && sent.file) {
      await tx
        .update(attachments)
        .set({
          telegramMessageId: sent.messageId,
          telegramFileId: sent.file.fileId,
          telegramFileUniqueId: sent.file.fileUniqueId,
          ...(sent.file.kind ? { kind: sent.file.kind } : {}),
        })
        .where(eq(attachments.id, step.attachment.id));
      if (sent.file.kind) {
        await tx.update(messages).set({ contentKind: sent.file.kind }).where(eq(messages.id, messageId));
      }
    }
  });
}

/** Sends one part as HTML; if Telegram cannot parse it, once more as plain text. */
async function sendTextPart(
  chatId: number,
  part: string,
  replyTo: number | null,
  replyMarkup?: ReplyMarkup,
): Promise<number> {
  const base: Record<string, unknown> = { chat_id: chatId, link_preview_options: { is_disabled: true } };
  if (replyTo) base.reply_parameters = { message_id: replyTo, allow_sending_without_reply: true };
  if (replyMarkup) base.reply_markup = replyMarkup;
  try {
    const result = await callBotApi('sendMessage', { ...base, text: escapeHtml(part), parse_mode: 'HTML' });
    return sentMessageSchema.parse(result).message_id;
  } catch (error) {
    if (!(error instanceof TelegramApiError) || !error.isParseError) throw error;
    const result = await callBotApi('sendMessage', { ...base, text: part });
    return sentMessageSchema.parse(result).message_id;
  }
}

/**
 * A text reply the operator wrote in their Telegram chat: its text with its formatting entities
 * (UTF-16 offsets, as Telegram gave them) and no parse_mode, so bold, code, `text_link` URLs…
 * arrive exactly as written (TELEGRAM_NOTES §16; Bot API, sendMessage `entities`). Link previews
 * follow the operator's own message.
 */
async function sendFormattedText(message: Message, replyTo: number | null): Promise<number> {
  const preview = message.telegramPayload?.link_preview_options;
  const result = await callBotApi('sendMessage', {
    chat_id: message.telegramChatId,
    text: message.text ?? '',
    ...(message.entities && message.entities.length > 0 ? { entities: message.entities } : {}),
    ...(preview && typeof preview === 'object' ? { link_preview_options: preview } : {}),
    ...(replyTo ? { reply_parameters: { message_id: replyTo, allow_sending_without_reply: true } } : {}),
  });
  return sentMessageSchema.parse(result).message_id;
}

/**
 * Media the operator sent in their Telegram chat, relayed with copyMessage: Telegram carries the
 * file, the caption and its entities as they are (Bot API, copyMessage) without a download and
 * upload through us.
 */
async function relayComposedMessage(
  message: Message,
  step: Extract<DeliveryStep, { kind: 'copy' }>,
  replyTo: number | null,
): Promise<number> {
  const result = await callBotApi('copyMessage', {
    chat_id: message.telegramChatId,
    from_chat_id: step.fromChatId,
    message_id: step.fromMessageId,
    ...(replyTo ? { reply_parameters: { message_id: replyTo, allow_sending_without_reply: true } } : {}),
  });
  return copiedSchema.parse(result).message_id;
}

type DeliveryStep =
  | { kind: 'text'; text: string }
  | { kind: 'formatted' }
  | { kind: 'file'; attachment: Attachment; caption: string | null }
  | { kind: 'copy'; fromChatId: number; fromMessageId: number; attachmentIds: string[] };

/** What goes to Telegram for a stored message, in order (see planDelivery). */
function planMessage(message: Message, files: Attachment[]): DeliveryStep[] {
  if (message.operatorTelegramChatId && message.operatorTelegramMessageId) {
    if (message.contentKind === 'text') return [{ kind: 'formatted' }];
    return [
      {
        kind: 'copy',
        fromChatId: message.operatorTelegramChatId,
        fromMessageId: message.operatorTelegramMessageId,
        attachmentIds: files.map((f) => f.id),
      },
    ];
  }
  return planDelivery(message.text ?? '', files);
}

/**
 * What goes to Telegram, in order; the count of message ids already recorded says where a
 * retry resumes. Text alone: its 4096-unit parts. With files: each file, the text as the first
 * file's caption when it fits Telegram's 1024 units (counted on the plain text, as Telegram
 * counts after parsing the HTML), otherwise as follow-up messages after the files.
 */
export function planDelivery(text: string, files: Attachment[]): DeliveryStep[] {
  if (files.length === 0) return splitText(text).map((part) => ({ kind: 'text', text: part }));
  const captioned = text.length > 0 && text.length <= CAPTION_LIMIT;
  const steps: DeliveryStep[] = files.map((attachment, i) => ({
    kind: 'file',
    attachment,
    caption: i === 0 && captioned ? text : null,
  }));
  if (text.length > 0 && !captioned) {
    for (const part of splitText(text)) steps.push({ kind: 'text', text: part });
  }
  return steps;
}

/** How many Telegram messages a stored message is delivered as (the sweep's "all parts sent?"). */
export function deliveryPartCount(message: Message, files: Attachment[]): number {
  return planMessage(message, files).length;
}

/** Back to `queued` with the reason kept on the row; the caller runs it again later. */
async function requeue(
  db: Db,
  messageId: string,
  failure: DeliveryFailure,
  retryAfterMs?: number,
): Promise<never> {
  await db
    .update(messages)
    .set({
      deliveryStatus: 'queued',
      deliveryErrorCode: failure.code,
      deliveryError: failure.detail,
      deliveryDueAt: new Date(Date.now() + (retryAfterMs ?? 0)),
    })
    .where(eq(messages.id, messageId));
  throw new DeliveryRetryError(failure.detail ?? failure.code, retryAfterMs);
}

/**
 * The delivery job gave up after its retries: fails the message (`gave_up`, with the last
 * error's message as the detail) unless it ended meanwhile (sent, failed with a more precise
 * reason, or unknown). Check and write are one statement.
 */
export async function giveUpDelivery(messageId: string, lastError: string): Promise<void> {
  const db = await getDb();
  const [row] = await db
    .select({ clientId: messages.clientId })
    .from(messages)
    .where(eq(messages.id, messageId));
  if (row) await markFailed(db, messageId, row.clientId, fail('gave_up', lastError), { unlessEnded: true });
}

/** Ends a delivery as `failed` (nothing more was delivered; the operator may retry it). */
export async function markFailed(
  db: Db,
  messageId: string,
  clientId: string,
  failure: DeliveryFailure,
  { unlessEnded = false }: { unlessEnded?: boolean } = {},
): Promise<DeliveryOutcome> {
  return endDelivery(db, messageId, clientId, 'failed', failure, unlessEnded);
}

/** Ends a delivery as `unknown`: it may have arrived, so it is never resent by itself. */
export async function markUnknown(
  db: Db,
  messageId: string,
  clientId: string,
  failure: DeliveryFailure,
): Promise<DeliveryOutcome> {
  return endDelivery(db, messageId, clientId, 'unknown', failure, false);
}

async function endDelivery(
  db: Db,
  messageId: string,
  clientId: string,
  status: 'failed' | 'unknown',
  failure: DeliveryFailure,
  unlessEnded: boolean,
): Promise<DeliveryOutcome> {
  await db.transaction(async (tx) => {
    const [row] = await tx
      .update(messages)
      .set({
        deliveryStatus: status,
        deliveryErrorCode: failure.code,
        deliveryError: failure.detail,
        deliveryDueAt: null,
      })
      .where(
        unlessEnded
          ? and(
              eq(messages.id, messageId),
              notInArray(messages.deliveryStatus, ['sent', 'failed', 'unknown']),
            )
          : eq(messages.id, messageId),
      )
      .returning({ id: messages.id });
    if (!row) return;
    const [client] = await tx
      .select({ departmentId: clients.departmentId, operatorId: clients.assignedOperatorId })
      .from(clients)
      .where(eq(clients.id, clientId));
    await notifyDesk(tx, {
      type: 'message.updated',
      clientId,
      messageId,
      departmentId: client?.departmentId ?? null,
      operatorId: client?.operatorId ?? null,
    });
  });
  return { status, failure, error: describeDeliveryFailure(failure) ?? failure.code };
}

/** A 403 on a send: the client blocked the bot (the same transition as Telegram's my_chat_member). */
async function markBlocked(
  db: Db,
  messageId: string,
  client: { id: string },
  description: string,
): Promise<DeliveryOutcome> {
  const failure = fail('client_blocked', description);
  const blocked = await db.transaction(async (tx) => {
    await tx
      .update(messages)
      .set({
        deliveryStatus: 'failed',
        deliveryErrorCode: failure.code,
        deliveryError: failure.detail,
        deliveryDueAt: null,
      })
      .where(eq(messages.id, messageId));
    return blockClient({
      tx,
      actor: systemActor('telegram delivery'),
      clientId: client.id,
      source: 'send_refused',
      details: { reason: description, messageId },
    });
  });
  if (blocked.freedOperatorId) await drainQueueForOperator({ db, operatorId: blocked.freedOperatorId });
  return { status: 'failed', failure, error: describeDeliveryFailure(failure) ?? failure.code };
}
