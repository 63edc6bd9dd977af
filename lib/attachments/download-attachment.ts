import { and, eq } from 'drizzle-orm';
import { getDb, type Db, type Tx } from '@/db/client';
import { attachments, clients, messages } from '@/db/schema';
import { notifyDesk } from '@/lib/events/notify-desk';
import { DeliveryRetryError } from '@/lib/messages/deliver-message';
import { queueBotMessage } from '@/lib/messages/queue-bot-message';
import { objectKey } from '@/lib/storage/storage';
import { getStorage } from '@/lib/storage/get-storage';
import { TelegramApiError, TelegramNotConfiguredError } from '@/lib/telegram/bot-api';
import { downloadTelegramFile } from '@/lib/telegram/download-file';
import { formatBytes, pickText } from '@/lib/telegram/texts';

export type DownloadOutcome = { status: 'stored' | 'too_large' | 'failed' | 'skipped'; error?: string };

/**
 * Fetches an inbound attachment from Telegram into our storage. Files Telegram will not hand to
 * bots (over 20 MB) become a visible placeholder and the client is told politely; other failures
 * are recorded on the attachment. Transient errors (5xx, 429, network) throw DeliveryRetryError
 * so the caller (the outbox worker, the Inngest function) retries later; a file already handled
 * is skipped, so a second run downloads nothing twice.
 */
export async function downloadAttachment({
  attachmentId,
  db: given,
}: {
  attachmentId: string;
  db?: Db;
}): Promise<DownloadOutcome> {
  const db = given ?? (await getDb());
  const row = await loadRow(db, attachmentId);
  if (!row || row.attachment.status !== 'pending') return { status: 'skipped' };
  const { attachment } = row;
  if (!attachment.telegramFileId) return record(db, row, 'failed', 'No Telegram file id.');

  try {
    const { bytes } = await downloadTelegramFile(attachment.telegramFileId);
    const key = objectKey('inbound', attachment.id, attachment.fileName);
    await getStorage().put(key, bytes, { contentType: attachment.mimeType ?? undefined });
    return record(db, row, 'stored', null, { storageKey: key, sizeBytes: bytes.length });
  } catch (error) {
    if (error instanceof TelegramNotConfiguredError) return record(db, row, 'failed', error.message);
    if (!(error instanceof TelegramApiError)) throw error;
    if (/file is too big/i.test(error.message)) return tooLarge(db, row);
    if (error.isTransient || error.isRateLimit) {
      throw new DeliveryRetryError(
        error.message,
        error.retryAfterSec ? error.retryAfterSec * 1000 : undefined,
      );
    }
    return record(db, row, 'failed', `Download failed: ${error.message}`);
  }
}

/**
 * The download gave up after its attempts (the outbox worker or the Inngest function): the file
 * ends `failed` with the last error, shown in the chat, unless it ended meanwhile.
 */
export async function giveUpDownload(attachmentId: string, lastError: string): Promise<void> {
  const db = await getDb();
  const row = await loadRow(db, attachmentId);
  if (row?.attachment.status === 'pending') await record(db, row, 'failed', `Download failed: ${lastError}`);
}

async function loadRow(db: Db, attachmentId: string): Promise<Row | undefined> {
  const [row] = await db
    .select({
      attachment: attachments,
      clientId: messages.clientId,
      conversationId: messages.conversationId,
      chatId: messages.telegramChatId,
      language: clients.language,
      departmentId: clients.departmentId,
      operatorId: clients.assignedOperatorId,
    })
    .from(attachments)
    .innerJoin(messages, eq(messages.id, attachments.messageId))
    .innerJoin(clients, eq(clients.id, messages.clientId))
    .where(eq(attachments.id, attachmentId));
  return row;
}

type Row = {
  attachment: typeof attachments.$inferSelect;
  clientId: string;
  conversationId: string | null;
  chatId: number;
  language: string | null;
  departmentId: string | null;
  operatorId: string | null;
};

async function record(
  db: Db,
  row: Row,
  status: 'stored' | 'too_large' | 'failed',
  error: string | null,
  extra: { storageKey?: string; sizeBytes?: number } = {},
): Promise<DownloadOutcome> {
  await db.transaction(async (tx) => {
    await tx
      .update(attachments)
      .set({ status, error, ...extra })
      .where(and(eq(attachments.id, row.attachment.id), eq(attachments.status, 'pending')));
    await notifyAttachmentChanged(tx, row);
  });
  return { status, ...(error ? { error } : {}) };
}

/** Marks an attachment too large and tells the client, once per message. */
export async function tooLarge(db: Db, row: Row): Promise<DownloadOutcome> {
  const name = row.attachment.fileName ?? 'file';
  const size = formatBytes(row.attachment.sizeBytes);
  await db.transaction(async (tx) => {
    const updated = await tx
      .update(attachments)
      .set({ status: 'too_large', error: `Larger than Telegram's 20 MB bot download limit (${size}).` })
      .where(and(eq(attachments.id, row.attachment.id), eq(attachments.status, 'pending')))
      .returning({ id: attachments.id });
    if (updated.length === 0) return;
    const text = pickText(null, row.language, 'fileTooLarge', { name, size });
    // Queued in this transaction: the outbox sends it (lib/outbox).
    await queueBotMessage(tx, {
      clientId: row.clientId,
      conversationId: row.conversationId,
      chatId: row.chatId,
      text,
    });
    await notifyAttachmentChanged(tx, row);
  });
  return { status: 'too_large' };
}

/** Live views redraw the message that holds the attachment. */
function notifyAttachmentChanged(tx: Tx, row: Row) {
  return notifyDesk(tx, {
    type: 'message.updated',
    clientId: row.clientId,
    messageId: row.attachment.messageId,
    departmentId: row.departmentId,
    operatorId: row.operatorId,
  });
}
