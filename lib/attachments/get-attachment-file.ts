import { eq, sql } from 'drizzle-orm';
import { z } from 'zod';
import type { DbOrTx } from '@/db/client';
import { archivedAttachments, attachments, clients, messages } from '@/db/schema';
import type { Actor } from '@/lib/auth/actor';
import { canViewClient } from '@/lib/auth/permissions';
import { AppError } from '@/lib/errors';
import { getStorage } from '@/lib/storage/get-storage';

/**
 * Raster images, audio and video a browser may show or play inline from our origin (no SVG or
 * HTML: they can carry script; the route also sends `sandbox` CSP and nosniff).
 */
const INLINE_TYPES = new Set([
  'image/jpeg',
  'image/png',
  'image/webp',
  'image/gif',
  'audio/ogg',
  'audio/mpeg',
  'audio/mp4',
  'video/mp4',
  'video/webm',
]);
const MIME_TYPE = /^[a-z0-9][a-z0-9!#$&^_.+-]*\/[a-z0-9][a-z0-9!#$&^_.+-]*$/;

export type AttachmentFile = {
  body: Uint8Array<ArrayBuffer>;
  contentType: string;
  fileName: string;
  disposition: 'inline' | 'attachment';
};

/**
 * The stored bytes of one attachment, for someone who may see its client. Everything that
 * is not there for this actor — unknown id, another operator's client, a file not (yet)
 * stored — is the same `not_found`, so ids cannot be probed.
 */
export async function getAttachmentFile({
  db,
  actor,
  input,
}: {
  db: DbOrTx;
  actor: Actor;
  input: { attachmentId: string };
}): Promise<AttachmentFile> {
  const notFound = new AppError('not_found', 'File not found.');
  const id = z.uuid().safeParse(input.attachmentId);
  if (!id.success) throw notFound;
  const [hot] = await db
    .select({
      kind: attachments.kind,
      fileName: attachments.fileName,
      mimeType: attachments.mimeType,
      storageKey: attachments.storageKey,
      status: attachments.status,
      departmentId: clients.departmentId,
      assignedOperatorId: clients.assignedOperatorId,
    })
    .from(attachments)
    .innerJoin(messages, eq(messages.id, attachments.messageId))
    .innerJoin(clients, eq(clients.id, messages.clientId))
    .where(eq(attachments.id, id.data));
  // A file of an archived message (lib/jobs/archive-old-messages.ts): same client rule.
  const [row] = hot
    ? [hot]
    : await db
        .select({
          kind: archivedAttachments.kind,
          fileName: archivedAttachments.fileName,
          mimeType: archivedAttachments.mimeType,
          storageKey: archivedAttachments.storageKey,
          status: sql<'stored'>`'stored'`,
          departmentId: clients.departmentId,
          assignedOperatorId: clients.assignedOperatorId,
        })
        .from(archivedAttachments)
        .innerJoin(clients, eq(clients.id, archivedAttachments.clientId))
        .where(eq(archivedAttachments.id, id.data));
  if (!row || !canViewClient(actor, row)) throw notFound;
  if (row.status !== 'stored' || !row.storageKey) throw notFound;
  const stored = await getStorage().get(row.storageKey);
  if (!stored) throw notFound;

  const declared = (row.mimeType ?? stored.contentType ?? '').toLowerCase();
  const contentType = MIME_TYPE.test(declared) ? declared : 'application/octet-stream';
  const { buffer } = stored.body;
  return {
    // A plain ArrayBuffer view is what Response and Blob accept; copy only a shared buffer.
    body:
      buffer instanceof ArrayBuffer
        ? new Uint8Array(buffer, stored.body.byteOffset, stored.body.byteLength)
        : new Uint8Array(stored.body),
    contentType,
    fileName: row.fileName?.trim() || `${row.kind}-${id.data}`,
    disposition: INLINE_TYPES.has(contentType) ? 'inline' : 'attachment',
  };
}

/**
 * A Content-Disposition value that survives any file name: an ASCII fallback without quotes,
 * backslashes or control characters, plus the exact name as RFC 5987 `filename*`.
 */
export function contentDisposition(disposition: 'inline' | 'attachment', fileName: string): string {
  const ascii =
    fileName
      .normalize('NFKD')
      .replace(/[^\x20-\x7e]/g, '')
      .replace(/["\\%;]/g, '_')
      .trim() || 'file';
  const encoded = encodeURIComponent(fileName).replace(
    /['()*]/g,
    (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`,
  );
  return `${disposition}; filename="${ascii}"; filename*=UTF-8''${encoded}`;
}
