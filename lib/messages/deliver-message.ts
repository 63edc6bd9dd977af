import { and, asc, eq, inArray, notInArray } from 'drizzle-orm';
import { z } from 'zod';
import { getDb, type Db } from '@/db/client';
import { attachments, clients, messages, type Attachment } from '@/db/schema';
import { recordAudit } from '@/lib/audit/record-audit';
import { systemActor } from '@/lib/auth/actor';
import { getEnv } from '@/lib/env';
import { notifyDesk } from '@/lib/events/notify-desk';
import {
  callBotApi,
  sentMessageSchema,
  TelegramApiError,
  TelegramNotConfiguredError,
} from '@/lib/telegram/bot-api';
import { CAPTION_LIMIT, escapeHtml, splitText } from '@/lib/telegram/format';
import {
  fileSource,
  sendStoredFile,
  StorageReadError,
  type ReplyMarkup,
  type SentFile,
} from './send-stored-file';

export type DeliveryOutcome =
  | { status: 'sent'; telegramMessageIds: number[] }
  | { status: 'failed'; error: string }
  | { status: 'skipped'; reason: string };

/** Thrown in job mode when the send should be retried later (429, network, 5xx). */
export class DeliveryRetryError extends Error {
  readonly retryAfterMs?: number;
  constructor(message: string, retryAfterMs?: number) {
    super(message);
    this.name = 'DeliveryRetryError';
    this.retryAfterMs = retryAfterMs;
  }
}

const INLINE_TRANSIENT_RETRIES = 3;

const replyMarkupSchema = z.record(z.string(), z.unknown());
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Sends one queued outbound message to Telegram and records the outcome. Every path ends in
 * `sent` or `failed` with a reason, except job-mode retries, which leave it `queued` with the
 * reason and throw DeliveryRetryError so the job runner waits and calls again.
 */
export async function deliverMessage({
  messageId,
  mode,
  db: given,
}: {
  messageId: string;
  mode: 'inline' | 'job';
  db?: Db;
}): Promise<DeliveryOutcome> {
  const db = given ?? (await getDb());
  const claimable = mode === 'job' ? (['queued', 'sending'] as const) : (['queued'] as const);
  const [message] = await db
    .update(messages)
    .set({ deliveryStatus: 'sending' })
    .where(and(eq(messages.id, messageId), inArray(messages.deliveryStatus, [...claimable])))
    .returning();
  if (!message) return { status: 'skipped', reason: 'not queued' };

  const [client] = await db
    .select({
      id: clients.id,
      status: clients.status,
      departmentId: clients.departmentId,
      assignedOperatorId: clients.assignedOperatorId,
    })
    .from(clients)
    .where(eq(clients.id, message.clientId));
  if (!client) return markFailed(db, message.id, message.clientId, 'The client no longer exists.');
  if (client.status === 'blocked') {
    return markFailed(db, message.id, client.id, 'The client has blocked the bot; nothing was sent.');
  }

  const files = await db
    .select()
    .from(attachments)
    .where(eq(attachments.messageId, message.id))
    .orderBy(asc(attachments.position), asc(attachments.createdAt));
  const steps = planDelivery(message.text ?? '', files);
  // An inline keyboard (bot messages: the department choice…) goes under the last part.
  const keyboard = replyMarkupSchema.safeParse(message.payload?.replyMarkup);
  const replyMarkup = keyboard.success ? keyboard.data : undefined;
  const sentIds: number[] = [
    ...(message.telegramMessageId ? [message.telegramMessageId] : []),
    ...(message.telegramExtraMessageIds ?? []),
  ];
  let transientFailures = 0;

  while (sentIds.length < steps.length) {
    const step = steps[sentIds.length];
    if (!step) break;
    const replyTo = sentIds.length === 0 ? message.replyToTelegramMessageId : null;
    const markup = sentIds.length === steps.length - 1 ? replyMarkup : undefined;
    try {
      let sent: { messageId: number; file?: SentFile };
      if (step.kind === 'text') {
        sent = { messageId: await sendTextPart(message.telegramChatId, step.text, replyTo, markup) };
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
      await db.transaction(async (tx) => {
        await tx
          .update(messages)
          .set({
            telegramMessageId: sentIds[0],
            telegramExtraMessageIds: sentIds.length > 1 ? sentIds.slice(1) : null,
          })
          .where(eq(messages.id, message.id));
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
            await tx.update(messages).set({ contentKind: sent.file.kind }).where(eq(messages.id, message.id));
          }
        }
      });
      transientFailures = 0;
    } catch (error) {
      if (error instanceof TelegramNotConfiguredError)
        return markFailed(db, message.id, client.id, error.message);
      if (error instanceof StorageReadError) {
        if (mode === 'job') return requeue(db, message.id, error.message);
        return markFailed(db, message.id, client.id, error.message);
      }
      if (!(error instanceof TelegramApiError)) throw error;
      if (error.isForbidden) return markBlocked(db, message.id, client, error.message);
      if (error.isRateLimit) {
        const waitSec = error.retryAfterSec ?? 1;
        if (mode === 'job')
          return requeue(
            db,
            message.id,
            `Rate limited by Telegram; retrying in ${waitSec} s.`,
            waitSec * 1000,
          );
        if (waitSec > getEnv().INLINE_MAX_RETRY_AFTER_SEC || transientFailures >= INLINE_TRANSIENT_RETRIES) {
          return markFailed(db, message.id, client.id, `Telegram rate limit: retry after ${waitSec} s.`);
        }
        transientFailures += 1;
        await sleep(waitSec * 1000);
        continue;
      }
      if (error.isTransient) {
        if (mode === 'job') return requeue(db, message.id, `Telegram unreachable: ${error.message}`);
        if (transientFailures >= INLINE_TRANSIENT_RETRIES) {
          return markFailed(db, message.id, client.id, `Telegram unreachable: ${error.message}`);
        }
        transientFailures += 1;
        await sleep(500 * 2 ** (transientFailures - 1));
        continue;
      }
      return markFailed(db, message.id, client.id, `Telegram refused the message: ${error.message}`);
    }
  }

  const now = new Date();
  await db.transaction(async (tx) => {
    await tx
      .update(messages)
      .set({ deliveryStatus: 'sent', deliveryError: null, deliveredAt: now })
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

type DeliveryStep =
  { kind: 'text'; text: string } | { kind: 'file'; attachment: Attachment; caption: string | null };

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

async function requeue(db: Db, messageId: string, reason: string, retryAfterMs?: number): Promise<never> {
  await db
    .update(messages)
    .set({ deliveryStatus: 'queued', deliveryError: reason })
    .where(eq(messages.id, messageId));
  throw new DeliveryRetryError(reason, retryAfterMs);
}

/**
 * The delivery job gave up after its retries: fails the message with the reason unless it ended
 * meanwhile (sent, or failed with a more precise reason). Check and write are one statement.
 */
export async function giveUpDelivery(messageId: string, reason: string): Promise<void> {
  const db = await getDb();
  const [row] = await db
    .select({ clientId: messages.clientId })
    .from(messages)
    .where(eq(messages.id, messageId));
  if (row) await markFailed(db, messageId, row.clientId, reason, { unlessEnded: true });
}

export async function markFailed(
  db: Db,
  messageId: string,
  clientId: string,
  reason: string,
  { unlessEnded = false }: { unlessEnded?: boolean } = {},
): Promise<DeliveryOutcome> {
  await db.transaction(async (tx) => {
    const [row] = await tx
      .update(messages)
      .set({ deliveryStatus: 'failed', deliveryError: reason })
      .where(
        unlessEnded
          ? and(eq(messages.id, messageId), notInArray(messages.deliveryStatus, ['sent', 'failed']))
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
  return { status: 'failed', error: reason };
}

async function markBlocked(
  db: Db,
  messageId: string,
  client: { id: string; departmentId: string | null; assignedOperatorId: string | null },
  description: string,
): Promise<DeliveryOutcome> {
  const reason = `The client has blocked the bot (Telegram: ${description}).`;
  const now = new Date();
  await db.transaction(async (tx) => {
    await tx
      .update(messages)
      .set({ deliveryStatus: 'failed', deliveryError: reason })
      .where(eq(messages.id, messageId));
    await tx
      .update(clients)
      .set({ status: 'blocked', blockedAt: now, updatedAt: now })
      .where(eq(clients.id, client.id));
    await recordAudit(tx, systemActor('telegram delivery'), {
      action: 'client.blocked',
      targetType: 'client',
      targetId: client.id,
      details: { reason: description, messageId },
    });
    await notifyDesk(tx, {
      type: 'client.updated',
      clientId: client.id,
      departmentId: client.departmentId,
      operatorId: client.assignedOperatorId,
    });
  });
  return { status: 'failed', error: reason };
}
