import { asc, eq, inArray, sql } from 'drizzle-orm';
import { z } from 'zod';
import type { Db } from '@/db/client';
import { rowsOf } from '@/db/rows';
import { messageArchives, type MessageArchive } from '@/db/schema';
import { recordAudit } from '@/lib/audit/record-audit';
import type { Actor } from '@/lib/auth/actor';
import { requireRole } from '@/lib/auth/permissions';
import { readArchiveLines, sha256Hex } from '@/lib/jobs/archive-old-messages';
import { getStorage } from '@/lib/storage/get-storage';
import type { FileStorage } from '@/lib/storage/storage';
import { writeArchiveManifests } from './archive-manifest';

/** Archive files restored per transaction. */
const RESTORE_FILE_BATCH = 100;

export const restoreArchivedMessagesInput = z
  .object({
    /** Only this client's archive; absent: every client's. */
    clientId: z.uuid().optional(),
  })
  .strict();

export type RestoreResult = {
  files: number;
  messages: number;
  edits: number;
  attachments: number;
  notifications: number;
};

/**
 * Reads an archive file and checks it against its `message_archives` row (SHA-256, line count).
 * Returns the lines. Errors: Error when the file is missing or differs from what was recorded.
 */
export async function readVerifiedArchive(storage: FileStorage, archive: MessageArchive): Promise<string[]> {
  const stored = await storage.get(archive.storageKey);
  if (!stored) throw new Error(`Archive file ${archive.storageKey} is missing.`);
  if (sha256Hex(stored.body) !== archive.sha256) {
    throw new Error(`Archive file ${archive.storageKey} does not match its checksum.`);
  }
  const lines = await readArchiveLines(stored.body);
  if (lines.length !== archive.messageCount) {
    throw new Error(
      `Archive file ${archive.storageKey} holds ${lines.length} lines, not ${archive.messageCount}.`,
    );
  }
  return lines;
}

/**
 * Puts archived messages back into the hot tables exactly as they were — every column of
 * `messages`, `message_edits` and `attachments` (the database turns each archived row back with
 * `jsonb_populate_record`, the inverse of the `to_jsonb` that wrote it), and the
 * `operator_notifications.message_id` links that archiving had cleared. Per batch of 100 files,
 * one transaction inserts the rows, deletes their `message_archives` rows and writes an audit row
 * `messages.restore_archive` per file; after the commit the files are deleted, and at the end the
 * manifests rewritten.
 *
 * For admins and the system actor (a maintenance step, and the archive test's inverse).
 * Errors: `forbidden` for anyone else; Error when a file is missing or fails its checksum
 * (nothing of that file is restored); database errors (e.g. a restored id taken meanwhile).
 */
export async function restoreArchivedMessages({
  db,
  actor,
  input = {},
  storage = getStorage(),
}: {
  db: Db;
  actor: Actor;
  input?: z.input<typeof restoreArchivedMessagesInput>;
  storage?: FileStorage;
}): Promise<RestoreResult> {
  if (actor.kind !== 'system') requireRole(actor, ['admin']);
  const { clientId } = restoreArchivedMessagesInput.parse(input);
  const archives = await db
    .select()
    .from(messageArchives)
    .where(clientId ? eq(messageArchives.clientId, clientId) : undefined)
    .orderBy(asc(messageArchives.id));
  const result: RestoreResult = { files: 0, messages: 0, edits: 0, attachments: 0, notifications: 0 };
  for (let i = 0; i < archives.length; i += RESTORE_FILE_BATCH) {
    const batch = archives.slice(i, i + RESTORE_FILE_BATCH);
    const contents = await Promise.all(batch.map((archive) => readVerifiedArchive(storage, archive)));
    const all = `[${contents.flat().join(',')}]`;
    const counts = await db.transaction(async (tx) => {
      const count = async (query: ReturnType<typeof sql>) =>
        rowsOf<{ n: number }>(await tx.execute(query))[0]?.n ?? 0;
      const messages = await count(sql`
        with ins as (
          insert into messages
          select (jsonb_populate_record(null::messages, x->'message')).*
          from jsonb_array_elements(${all}::jsonb) x
          returning 1)
        select count(*)::int as n from ins`);
      const edits = await count(sql`
        with ins as (
          insert into message_edits
          select (jsonb_populate_record(null::message_edits, e)).*
          from jsonb_array_elements(${all}::jsonb) x, jsonb_array_elements(x->'edits') e
          returning 1)
        select count(*)::int as n from ins`);
      const attachments = await count(sql`
        with ins as (
          insert into attachments
          select (jsonb_populate_record(null::attachments, a)).*
          from jsonb_array_elements(${all}::jsonb) x, jsonb_array_elements(x->'attachments') a
          returning 1)
        select count(*)::int as n from ins`);
      await tx.execute(sql`
        delete from archived_attachments where id in (
          select (a->>'id')::uuid
          from jsonb_array_elements(${all}::jsonb) x, jsonb_array_elements(x->'attachments') a)`);
      const notifications = await count(sql`
        with linked as (
          update operator_notifications n set message_id = v.message_id
          from (select (x->'message'->>'id')::uuid as message_id, nid::bigint as id
                from jsonb_array_elements(${all}::jsonb) x,
                     jsonb_array_elements_text(x->'notifications') nid) v
          where n.id = v.id and n.message_id is null
          returning 1)
        select count(*)::int as n from linked`);
      await tx.delete(messageArchives).where(
        inArray(
          messageArchives.id,
          batch.map((archive) => archive.id),
        ),
      );
      for (const archive of batch) {
        await recordAudit(tx, actor, {
          action: 'messages.restore_archive',
          targetType: 'client',
          targetId: archive.clientId,
          details: { storageKey: archive.storageKey, messages: archive.messageCount },
        });
      }
      return { messages, edits, attachments, notifications };
    });
    await Promise.all(batch.map((archive) => storage.delete(archive.storageKey)));
    result.files += batch.length;
    result.messages += counts.messages;
    result.edits += counts.edits;
    result.attachments += counts.attachments;
    result.notifications += counts.notifications;
  }
  await writeArchiveManifests({ db, storage, clientIds: [...new Set(archives.map((a) => a.clientId))] });
  return result;
}
