import { and, eq } from 'drizzle-orm';
import { getDb, type Db, type Tx } from '@/db/client';
import { attachments, clients, messages } from '@/db/schema';
import { notifyDesk } from '@/lib/events/notify-desk';
import { dispatchOutbound, type QueuedMessage } from '@/lib/jobs/dispatch-outbound';
import { DeliveryRetryError } from '@/lib/messages/deliver-message';
import { queueBotMessage } from '@/lib/messages/queue-bot-message';
import { objectKey } from '@/lib/storage/storage';
import { getStorage } from '@/lib/storage/get-storage';
import { TelegramApiError, TelegramNotConfiguredError } from '@/lib/telegram/bot-api';
import { downloadTelegramFile } from '@/lib/telegram/download-file';
import { formatBytes, pickText } from '@/lib/telegram/texts';

export type DownloadOutcome = { status: 'stored' | 'too_large' | 'failed' | 'skipped'; error?: string };

const INLINE_RETRIES = 3;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Fetches an inbound attachment from Telegram into our storage. Files Telegram will not hand to
 * bots (over 20 MB) become a visible placeholder and the client is told politely; other failures
 * are recorded on the attachment. In job mode transient errors throw so the job retries.
 */
export async function downloadAttachment({
  attachmentId,
  mode,
  db: given,
}: {
  attachmentId: string;
  mode: 'inline' | 'job';
  db?: Db;
}): Promise<DownloadOutcome> {
  const db = given ?? (await getDb());
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
  if (!row || row.attachment.status !== 'pending') return { status: 'skipped' };
  const { attachment } = row;
  if (!attachment.telegramFileId) return record(db, row, 'failed', 'No Telegram file id.');

  for (let attempt = 0; ; attempt++) {
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
        if (mode === 'job')
          throw new DeliveryRetryError(
            error.message,
            error.retryAfterSec ? error.retryAfterSec * 1000 : undefined,
          );
        if (attempt < INLINE_RETRIES) {
          await sleep(error.retryAfterSec ? Math.min(error.retryAfterSec, 10) * 1000 : 500 * 2 ** attempt);
          continue;
        }
      }
      return record(db, row, 'failed', `Download failed: ${error.message}`);
    }
  }
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
  const queued: QueuedMessage[] = [];
  await db.transaction(async (tx) => {
    const updated = await tx
      .update(attachments)
      .set({ status: 'too_large', error: `Larger than Telegram's 20 MB bot download limit (${size}).` })
      .where(and(eq(attachments.id, row.attachment.id), eq(attachments.status, 'pending')))
      .returning({ id: attachments.id });
    if (updated.length === 0) return;
    const text = pickText(null, row.language, 'fileTooLarge', { name, size });
    queued.push(
      await queueBotMessage(tx, {
        clientId: row.clientId,
        conversationId: row.conversationId,
        chatId: row.chatId,
        text,
      }),
    );
    await notifyAttachmentChanged(tx, row);
  });
  await dispatchOutbound(queued);
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
