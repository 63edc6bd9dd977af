import type { Attachment } from '@/db/schema';
import { getStorage } from '@/lib/storage/get-storage';
import {
  callBotApi,
  callBotApiMultipart,
  sentMediaMessageSchema,
  TelegramApiError,
} from '@/lib/telegram/bot-api';
import { escapeHtml } from '@/lib/telegram/format';
import type { DeliveryFailure } from './delivery-failure';

export type ReplyMarkup = Record<string, unknown>;

/** Storage could not be read (not: the file is gone); worth retrying later. */
export class StorageReadError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'StorageReadError';
  }
}

/** Where a file's content comes from: Telegram's copy (by file_id) or our stored bytes. */
export type FileSource = { fileId: string } | { bytes: Uint8Array };

/**
 * What to send for an attachment, or why it cannot be sent (`missing`: `file_not_stored` or
 * `file_missing` with the file's name; do not retry). Throws StorageReadError (its message: the
 * storage's error and the file's name) when storage cannot be read.
 */
export async function fileSource(attachment: Attachment): Promise<FileSource | { missing: DeliveryFailure }> {
  // A file Telegram already holds is sent by file_id: nothing to upload.
  if (attachment.telegramFileId) return { fileId: attachment.telegramFileId };
  const name = attachment.fileName ?? 'file';
  if (attachment.status !== 'stored' || !attachment.storageKey) {
    return { missing: { code: 'file_not_stored', detail: name } };
  }
  let stored: Awaited<ReturnType<ReturnType<typeof getStorage>['get']>>;
  try {
    stored = await getStorage().get(attachment.storageKey);
  } catch (error) {
    const reason = error instanceof Error ? error.message : 'unknown error';
    throw new StorageReadError(`${reason} (file “${name}”)`);
  }
  if (!stored) return { missing: { code: 'file_missing', detail: name } };
  return { bytes: stored.body };
}

export type SentFile = { fileId: string; fileUniqueId: string; kind?: 'document' };

/** Telegram refuses some valid images as photos (size ratio, dimensions): those go as documents. */
const PHOTO_REFUSED =
  /PHOTO_INVALID_DIMENSIONS|PHOTO_SAVE_FILE_INVALID|IMAGE_PROCESS_FAILED|PHOTO_EXT_INVALID/i;

/**
 * Uploads one stored file with sendPhoto / sendDocument (by file_id when Telegram already has
 * it). The caption goes as HTML; if Telegram cannot parse it, once more as plain text. Errors
 * are Telegram's (TelegramApiError): the caller decides between retry, blocked and failed.
 */
export async function sendStoredFile(
  chatId: number,
  attachment: Attachment,
  source: FileSource,
  caption: string | null,
  replyTo: number | null,
  replyMarkup?: ReplyMarkup,
): Promise<{ messageId: number; file?: SentFile }> {
  const asPhoto = attachment.kind === 'photo';
  const extra = { replyTo, replyMarkup };
  try {
    return await sendFileAs(asPhoto ? 'photo' : 'document', chatId, attachment, source, caption, extra);
  } catch (error) {
    if (!asPhoto || !(error instanceof TelegramApiError) || !PHOTO_REFUSED.test(error.message)) throw error;
    const sent = await sendFileAs('document', chatId, attachment, source, caption, extra);
    return { ...sent, file: sent.file ? { ...sent.file, kind: 'document' } : undefined };
  }
}

async function sendFileAs(
  as: 'photo' | 'document',
  chatId: number,
  attachment: Attachment,
  source: FileSource,
  caption: string | null,
  { replyTo, replyMarkup }: { replyTo: number | null; replyMarkup?: ReplyMarkup },
): Promise<{ messageId: number; file?: SentFile }> {
  const method = as === 'photo' ? 'sendPhoto' : 'sendDocument';
  // Multipart fields are strings: nested objects go as JSON, as Telegram expects.
  const fields: Record<string, string> = { chat_id: String(chatId) };
  if (replyTo) {
    fields.reply_parameters = JSON.stringify({ message_id: replyTo, allow_sending_without_reply: true });
  }
  if (replyMarkup) fields.reply_markup = JSON.stringify(replyMarkup);
  const call = (captionFields: Record<string, string>) =>
    'fileId' in source
      ? callBotApi(method, { ...fields, ...captionFields, [as]: source.fileId })
      : callBotApiMultipart(
          method,
          { ...fields, ...captionFields },
          {
            field: as,
            name: attachment.fileName ?? (as === 'photo' ? 'photo.jpg' : 'file'),
            type: attachment.mimeType ?? 'application/octet-stream',
            bytes: source.bytes,
          },
        );
  let result: unknown;
  if (!caption) result = await call({});
  else {
    try {
      result = await call({ caption: escapeHtml(caption), parse_mode: 'HTML' });
    } catch (error) {
      if (!(error instanceof TelegramApiError) || !error.isParseError) throw error;
      result = await call({ caption });
    }
  }
  const sent = sentMediaMessageSchema.parse(result);
  // Telegram answers a photo with several sizes; the largest is the one worth reusing.
  const largest = sent.photo?.reduce((best, size) =>
    size.width * size.height > best.width * best.height ? size : best,
  );
  const file = largest ?? sent.document;
  return {
    messageId: sent.message_id,
    file: file ? { fileId: file.file_id, fileUniqueId: file.file_unique_id } : undefined,
  };
}
