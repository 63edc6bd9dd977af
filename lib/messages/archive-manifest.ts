import { asc, inArray } from 'drizzle-orm';
import type { DbOrTx } from '@/db/client';
import { messageArchives } from '@/db/schema';
import type { FileStorage } from '@/lib/storage/storage';

/** One archive file as the manifest lists it. Times are ISO 8601 UTC; sizes in bytes. */
export type ArchiveManifestFile = {
  key: string;
  /** UTC month of the messages' created_at, `YYYY-MM`. */
  month: string;
  messages: number;
  edits: number;
  attachments: number;
  firstMessageAt: string;
  lastMessageAt: string;
  sizeBytes: number;
  sha256: string;
  archivedAt: string;
};

/** `archive/messages/<clientId>/manifest.json`: every archive file of one client. */
export type ArchiveManifest = {
  version: 1;
  clientId: string;
  messages: number;
  files: ArchiveManifestFile[];
};

export const manifestKey = (clientId: string) => `archive/messages/${clientId}/manifest.json`;

/**
 * Rewrites the manifest of each of these clients from its `message_archives` rows (oldest month
 * first), so the storage describes itself without the database: which files, their row counts,
 * date ranges and SHA-256 checksums. A client with no archive left gets its manifest deleted.
 * Errors: storage and database errors propagate.
 */
export async function writeArchiveManifests({
  db,
  storage,
  clientIds,
}: {
  db: DbOrTx;
  storage: FileStorage;
  clientIds: string[];
}): Promise<void> {
  if (clientIds.length === 0) return;
  const rows = await db
    .select()
    .from(messageArchives)
    .where(inArray(messageArchives.clientId, clientIds))
    .orderBy(asc(messageArchives.clientId), asc(messageArchives.firstMessageAt), asc(messageArchives.id));
  const byClient = new Map<string, ArchiveManifestFile[]>(clientIds.map((id) => [id, []]));
  for (const row of rows) {
    byClient.get(row.clientId)?.push({
      key: row.storageKey,
      month: row.month,
      messages: row.messageCount,
      edits: row.editCount,
      attachments: row.attachmentCount,
      firstMessageAt: row.firstMessageAt.toISOString(),
      lastMessageAt: row.lastMessageAt.toISOString(),
      sizeBytes: row.sizeBytes,
      sha256: row.sha256,
      archivedAt: row.createdAt.toISOString(),
    });
  }
  await Promise.all(
    [...byClient].map(async ([clientId, files]) => {
      if (files.length === 0) {
        await storage.delete(manifestKey(clientId));
        return;
      }
      const manifest: ArchiveManifest = {
        version: 1,
        clientId,
        messages: files.reduce((n, f) => n + f.messages, 0),
        files,
      };
      await storage.put(manifestKey(clientId), new TextEncoder().encode(JSON.stringify(manifest, null, 2)), {
        contentType: 'application/json',
      });
    }),
  );
}
