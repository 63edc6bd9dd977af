import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import type { Db } from '@/db/client';
import { attachments } from '@/db/schema';
import type { Actor } from '@/lib/auth/actor';
import { requireStaff } from '@/lib/auth/permissions';
import { AppError } from '@/lib/errors';
import { getStorage } from '@/lib/storage/get-storage';
import { objectKey } from '@/lib/storage/storage';
import { getReplyableClientOrThrow, queueOperatorReply, type QueuedReply } from './queue-operator-reply';

const MB = 1024 * 1024;
/** Telegram's limit for files a bot uploads with multipart/form-data. */
export const UPLOAD_MAX_BYTES = 50 * MB;
/** Telegram's limit for sendPhoto; bigger images go as documents. */
export const PHOTO_MAX_BYTES = 10 * MB;

const MIME_TYPE = /^[a-z0-9][a-z0-9!#$&^_.+-]*\/[a-z0-9][a-z0-9!#$&^_.+-]*$/;

export const sendOperatorFileInput = z.object({
  clientId: z.uuid(),
  fileName: z
    .string()
    .trim()
    .min(1, 'The file has no name.')
    .max(255, 'The file name is too long (255 characters at most).'),
  /** The browser's type, untrusted: anything odd becomes application/octet-stream. */
  contentType: z
    .string()
    .optional()
    .transform((v) => {
      const type = (v ?? '').split(';')[0]?.trim().toLowerCase() ?? '';
      return MIME_TYPE.test(type) ? type : 'application/octet-stream';
    }),
  bytes: z.custom<Uint8Array>((v) => v instanceof Uint8Array, 'The file bytes are missing.'),
  caption: z
    .string()
    .trim()
    .max(20_000, 'That caption is too long (20,000 characters at most).')
    .optional()
    .transform((v) => (v ? v : null)),
});

type PhotoType = 'image/jpeg' | 'image/png' | 'image/webp';

/** The image type the bytes really are (magic numbers), for the types Telegram takes as photos. */
export function sniffPhotoType(bytes: Uint8Array): PhotoType | null {
  const at = (i: number) => bytes[i] ?? -1;
  if (at(0) === 0xff && at(1) === 0xd8 && at(2) === 0xff) return 'image/jpeg';
  if ([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a].every((b, i) => at(i) === b)) return 'image/png';
  const ascii = (from: number, to: number) => String.fromCharCode(...bytes.subarray(from, to));
  if (bytes.length >= 12 && ascii(0, 4) === 'RIFF' && ascii(8, 12) === 'WEBP') return 'image/webp';
  return null;
}

function formatSize(bytes: number): string {
  return bytes >= MB ? `${(bytes / MB).toFixed(1)} MB` : `${Math.ceil(bytes / 1024)} KB`;
}

/**
 * Stores a file an operator sends from the dashboard and queues it like a text reply (same
 * permissions, claim, status and audit). JPEG/PNG/WebP images up to 10 MB go as photos,
 * everything else as documents. The bytes are written to storage before the rows are
 * inserted and removed again if the transaction fails, so a stored row always has its file.
 */
export async function sendOperatorFile({
  db,
  actor,
  input,
}: {
  db: Db;
  actor: Actor;
  input: z.input<typeof sendOperatorFileInput>;
}): Promise<QueuedReply> {
  requireStaff(actor);
  const { clientId, fileName, contentType, bytes, caption } = sendOperatorFileInput.parse(input);
  if (bytes.length === 0) throw new AppError('unprocessable_entity', `The file “${fileName}” is empty.`);
  if (bytes.length > UPLOAD_MAX_BYTES) {
    throw new AppError(
      'unprocessable_entity',
      `“${fileName}” is ${formatSize(bytes.length)}; Telegram bots can send files of up to 50 MB.`,
    );
  }
  // Check access before anything is written to storage; the transaction checks again.
  await getReplyableClientOrThrow({ db, actor, clientId });

  const sniffed = sniffPhotoType(bytes);
  const kind = sniffed && bytes.length <= PHOTO_MAX_BYTES ? 'photo' : 'document';
  // A real image is served and sent with its real type, whatever the browser claimed.
  const mimeType = sniffed ?? contentType;
  const attachmentId = randomUUID();
  const storageKey = objectKey('outbound', attachmentId, fileName);
  const storage = getStorage();
  await storage.put(storageKey, bytes, { contentType: mimeType });

  try {
    return await db.transaction(async (tx) => {
      const queued = await queueOperatorReply(tx, actor, {
        clientId,
        contentKind: kind,
        text: caption,
        auditDetails: { attachment: { id: attachmentId, kind, fileName, mimeType, sizeBytes: bytes.length } },
      });
      await tx.insert(attachments).values({
        id: attachmentId,
        messageId: queued.messageId,
        position: 0,
        kind,
        fileName,
        mimeType,
        sizeBytes: bytes.length,
        storageKey,
        status: 'stored',
      });
      return queued;
    });
  } catch (error) {
    await storage.delete(storageKey).catch((cleanup: unknown) => {
      console.error('Could not remove an orphaned upload', storageKey, cleanup);
    });
    throw error;
  }
}
