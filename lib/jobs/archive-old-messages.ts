import { createHash, randomUUID } from 'node:crypto';
import { promisify } from 'node:util';
import { constants, gunzip, gzipSync } from 'node:zlib';
import { sql } from 'drizzle-orm';
import type { Db } from '@/db/client';
import { rowsOf } from '@/db/rows';
import { messageArchives } from '@/db/schema';
import { writeArchiveManifests } from '@/lib/messages/archive-manifest';
import { getJobSettings } from '@/lib/settings/job-settings';
import { getStorage } from '@/lib/storage/get-storage';
import type { FileStorage } from '@/lib/storage/storage';
import type { JobDefinition, JobResult } from './job-definition';

const DAY_MS = 86_400_000;
/** Clients per step at most: their chosen messages are read, written and deleted together. */
export const ARCHIVE_CLIENT_BATCH = 200;
/**
 * Messages per step, about: a step takes clients until their old messages reach this many (at
 * least one client, whatever its size). Bounds the memory a step holds, and keeps steps many
 * enough for the next one's read to overlap this one's writing when a few clients hold most of
 * the history.
 */
export const ARCHIVE_MESSAGE_BATCH = 20_000;

/**
 * Cuts the clients (in order, each with its count of messages in old episodes) into steps of at
 * most `clientBatch` clients and about `messageBatch` messages; a client is never split.
 */
export function archiveSteps(
  clients: readonly { client_id: string; messages: number }[],
  clientBatch: number,
  messageBatch: number,
): string[][] {
  const steps: string[][] = [];
  let step: string[] = [];
  let messages = 0;
  for (const client of clients) {
    if (
      step.length > 0 &&
      (step.length >= clientBatch || messages + Number(client.messages) > messageBatch)
    ) {
      steps.push(step);
      step = [];
      messages = 0;
    }
    step.push(client.client_id);
    messages += Number(client.messages);
  }
  if (step.length > 0) steps.push(step);
  return steps;
}

const gunzipAsync = promisify(gunzip);

/** The storage folder of a client's archive: `archive/messages/<clientId>/`. */
export const archivePrefix = (clientId: string) => `archive/messages/${clientId}`;

type ArchiveLine = {
  id: string;
  client_id: string;
  month: string;
  created_at: string;
  edits: number;
  attachments: number;
  line: string;
};

/**
 * The messages of these clients that leave the hot table now, as SQL over a `uuid[]` of clients:
 * those of conversations resolved before `cutoff`, except
 *   - messages still being delivered (`queued`, `sending`): the delivery sweep owns them;
 *   - each client's newest message but notes: the clients list shows its preview;
 *   - messages a message staying hot replies to, and what those reply to (recursively): the
 *     chat's reply quotes of the hot history keep working.
 */
function chosenMessagesSql(clientIds: string[], cutoff: Date) {
  const ids = sql`${`{${clientIds.join(',')}}`}::uuid[]`;
  return sql`
    with recursive
    cand as (
      select m.id from messages m
      join conversations cv on cv.id = m.conversation_id
      where m.client_id = any(${ids})
        and cv.status = 'resolved' and cv.resolved_at < ${cutoff.toISOString()}::timestamptz
        and (m.delivery_status is null or m.delivery_status not in ('queued', 'sending'))
    ),
    latest as (
      select (select l.id from messages l
              where l.client_id = c.id and l.direction <> 'internal'
              order by l.created_at desc, l.id desc limit 1) as id
      from unnest(${ids}) as c(id)
    ),
    keep(id) as (
      select r.reply_to_message_id from messages r
      where r.client_id = any(${ids}) and r.reply_to_message_id is not null
        and (not exists (select 1 from cand where cand.id = r.id)
             or exists (select 1 from latest where latest.id = r.id))
      union
      select m.reply_to_message_id from messages m join keep k on m.id = k.id
      where m.reply_to_message_id is not null
    )
    select cand.id from cand
    where not exists (select 1 from keep where keep.id = cand.id)
      and not exists (select 1 from latest where latest.id = cand.id)`;
}

/**
 * Each chosen message as one JSON line, built by the database so that every column survives
 * exactly (timestamps to the microsecond, jsonb as stored): `{ message, edits, attachments,
 * notifications }`, each a row as `row_to_json` writes it — what restoreArchivedMessages gives
 * back to `jsonb_populate_record`.
 */
function archiveLinesSql(clientIds: string[], cutoff: Date) {
  // json, not jsonb: the text is built once, with no binary form in between. The children are
  // aggregated by one pass over each table joined to the chosen ids, not one lookup per message.
  return sql`
    with chosen as materialized (${chosenMessagesSql(clientIds, cutoff)}),
    e as (select x.message_id, json_agg(row_to_json(x) order by x.id) as list, count(*)::int as n
          from message_edits x join chosen on chosen.id = x.message_id group by x.message_id),
    a as (select x.message_id, json_agg(row_to_json(x) order by x.position, x.id) as list, count(*)::int as n
          from attachments x join chosen on chosen.id = x.message_id group by x.message_id),
    n as (select x.message_id, json_agg(x.id order by x.id) as list
          from operator_notifications x join chosen on chosen.id = x.message_id group by x.message_id)
    select m.id, m.client_id,
           to_char(m.created_at at time zone 'UTC', 'YYYY-MM') as month,
           to_char(m.created_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') as created_at,
           coalesce(e.n, 0) as edits,
           coalesce(a.n, 0) as attachments,
           json_build_object('message', row_to_json(m), 'edits', coalesce(e.list, '[]'::json),
                             'attachments', coalesce(a.list, '[]'::json),
                             'notifications', coalesce(n.list, '[]'::json))::text as line
    from chosen join messages m on m.id = chosen.id
    left join e on e.message_id = m.id
    left join a on a.message_id = m.id
    left join n on n.message_id = m.id
    order by m.client_id, m.created_at, m.id`;
}

/** SHA-256 of the bytes, hex. */
export const sha256Hex = (body: Uint8Array) => createHash('sha256').update(body).digest('hex');

/** Decompresses an archive file into its JSON lines (no trailing empty line). */
export async function readArchiveLines(body: Uint8Array): Promise<string[]> {
  const text = (await gunzipAsync(body)).toString('utf8');
  return text.length === 0 ? [] : text.split('\n').filter((line) => line.length > 0);
}

/** `20261130T031700123Z`: the run's clock in a key-safe form. */
const stamp = (now: Date) => now.toISOString().replace(/[-:.]/g, '');

type FileToWrite = {
  clientId: string;
  month: string;
  key: string;
  body: Uint8Array;
  sha256: string;
  messageCount: number;
  editCount: number;
  attachmentCount: number;
  firstMessageAt: string;
  lastMessageAt: string;
};

/** Files compressed, written and read back at once (S3 round trips overlap; a disk is not flooded). */
const WRITE_CONCURRENCY = 8;

/** Groups the lines (ordered by client, created_at) by client and month. */
function groupLines(lines: ArchiveLine[]) {
  const groups = new Map<string, { first: ArchiveLine; last: ArchiveLine; lines: ArchiveLine[] }>();
  for (const line of lines) {
    const name = `${line.client_id}/${line.month}`;
    const group = groups.get(name);
    if (group) {
      group.lines.push(line);
      group.last = line;
    } else groups.set(name, { first: line, last: line, lines: [line] });
  }
  return [...groups.values()];
}

/**
 * Compresses one client-month group (gzip level 1: these files are written once and rarely read;
 * the fastest level costs a few per cent of size on JSON), writes it and reads it back: the bytes
 * read must have the SHA-256 of the bytes written — the gzip of exactly the group's lines.
 * Errors: Error when the file does not read back as written; storage errors.
 */
async function writeVerifiedFile(
  storage: FileStorage,
  run: string,
  { first, last, lines }: ReturnType<typeof groupLines>[number],
): Promise<FileToWrite> {
  const body = new Uint8Array(
    gzipSync(lines.map((l) => l.line).join('\n') + '\n', { level: constants.Z_BEST_SPEED }),
  );
  const file: FileToWrite = {
    clientId: first.client_id,
    month: first.month,
    // Flat per client: one folder per client, not one more per month, is one mkdir less per file.
    key: `${archivePrefix(first.client_id)}/${first.month}.${run}.jsonl.gz`,
    body,
    sha256: sha256Hex(body),
    messageCount: lines.length,
    editCount: lines.reduce((n, l) => n + Number(l.edits), 0),
    attachmentCount: lines.reduce((n, l) => n + Number(l.attachments), 0),
    firstMessageAt: first.created_at,
    lastMessageAt: last.created_at,
  };
  await storage.put(file.key, file.body);
  const back = await storage.get(file.key);
  if (!back || sha256Hex(back.body) !== file.sha256) {
    throw new Error(`Archive file ${file.key} did not read back as written.`);
  }
  return file;
}

/** Writes every group's file, WRITE_CONCURRENCY at a time; the files in the groups' order. */
async function writeFiles(storage: FileStorage, lines: ArchiveLine[], now: Date): Promise<FileToWrite[]> {
  const groups = groupLines(lines);
  const run = `${stamp(now)}-${randomUUID().slice(0, 8)}`;
  const files: FileToWrite[] = new Array<FileToWrite>(groups.length);
  let next = 0;
  const worker = async () => {
    for (let i = next++; i < groups.length; i = next++) {
      const group = groups[i];
      if (group) files[i] = await writeVerifiedFile(storage, run, group);
    }
  };
  await Promise.all(Array.from({ length: Math.min(WRITE_CONCURRENCY, groups.length) }, worker));
  return files;
}

/**
 * Moves the messages of conversations resolved more than `archiveAfterDays` (job settings) before
 * `now` out of the `messages` table into the file storage (S3 when configured, else the local
 * directory): per client and UTC month of the messages, one gzip JSON Lines file
 * `archive/messages/<clientId>/<YYYY-MM>.<run>.jsonl.gz`, each line a message with its edits,
 * attachment rows (their files stay where they are) and the ids of the operator notifications
 * that pointed at it. Which messages stay hot: see chosenMessagesSql.
 *
 * Per step of clients (archiveSteps: at most ARCHIVE_CLIENT_BATCH clients and about
 * ARCHIVE_MESSAGE_BATCH messages; the next step's lines are read meanwhile): the files are
 * written and read back (SHA-256 and line count checked) first; then one transaction records
 * them in `message_archives` and deletes exactly those messages (edits and attachments go by cascade, notifications keep their row with
 * a null message). If fewer rows are deleted than written (something changed meanwhile) the
 * transaction is rolled back and the unlisted files are left for nothing; the next run takes the
 * messages again. After the commit each client's `manifest.json` is rewritten from its
 * `message_archives` rows.
 *
 * The clients' own counters (last_message_at, last_inbound_at, unread_count) are kept, not
 * derived from messages, so archiving leaves them as they were; resolving a client clears its
 * unread count, so no unread message is ever archived.
 *
 * Result: `{ clients, messages, edits, attachments, files, bytes }` (a dry run counts clients and
 * messages only and writes nothing). Errors: storage and database errors propagate (the job run
 * is then recorded failed; steps committed before stay done).
 */
export async function archiveOldMessages(
  { db, now, dryRun }: { db: Db; now: Date; dryRun: boolean },
  {
    storage = getStorage(),
    clientBatch = ARCHIVE_CLIENT_BATCH,
    messageBatch = ARCHIVE_MESSAGE_BATCH,
  }: { storage?: FileStorage; clientBatch?: number; messageBatch?: number } = {},
): Promise<JobResult> {
  const settings = await getJobSettings(db);
  const cutoff = new Date(now.getTime() - settings.archiveAfterDays * DAY_MS);
  const clientRows = rowsOf<{ client_id: string; messages: number }>(
    await db.execute(sql`
      select cv.client_id, count(*)::int as messages
      from conversations cv join messages m on m.conversation_id = cv.id
      where cv.status = 'resolved' and cv.resolved_at < ${cutoff.toISOString()}::timestamptz
      group by cv.client_id
      order by cv.client_id`),
  );
  const steps = archiveSteps(clientRows, clientBatch, messageBatch);
  const totals = { clients: 0, messages: 0, edits: 0, attachments: 0, files: 0, bytes: 0 };
  const fetchLines = (clientIds: string[]) => {
    const lines = db
      .execute(archiveLinesSql(clientIds, cutoff))
      .then((result) => rowsOf<ArchiveLine>(result));
    lines.catch(() => undefined); // awaited below; a step that fails first must not leave it unhandled
    return lines;
  };
  // The next step's lines are read while this one's files are written and its messages deleted:
  // the database and this process work at the same time (different clients: nothing is shared).
  let nextLines = !dryRun && steps[0] ? fetchLines(steps[0]) : null;
  for (const [i, clientIds] of steps.entries()) {
    if (dryRun) {
      const [row] = rowsOf<{ messages: number; clients: number }>(
        await db.execute(sql`
          with chosen as (${chosenMessagesSql(clientIds, cutoff)})
          select count(*)::int as messages, count(distinct m.client_id)::int as clients
          from chosen join messages m on m.id = chosen.id`),
      );
      totals.messages += row?.messages ?? 0;
      totals.clients += row?.clients ?? 0;
      continue;
    }
    const lines = (await nextLines) ?? [];
    const following = steps[i + 1];
    nextLines = following ? fetchLines(following) : null;
    if (lines.length === 0) continue;
    const files = await writeFiles(storage, lines, now);
    const ids = lines.map((l) => l.id);
    const idArray = sql`${`{${ids.join(',')}}`}::uuid[]`;
    await db.transaction(async (tx) => {
      await tx.insert(messageArchives).values(
        files.map((f) => ({
          clientId: f.clientId,
          month: f.month,
          storageKey: f.key,
          messageCount: f.messageCount,
          editCount: f.editCount,
          attachmentCount: f.attachmentCount,
          firstMessageAt: new Date(f.firstMessageAt),
          lastMessageAt: new Date(f.lastMessageAt),
          sizeBytes: f.body.byteLength,
          sha256: f.sha256,
        })),
      );
      // Stored files of the archived attachments stay downloadable (lib/attachments/get-attachment-file.ts).
      await tx.execute(sql`
        insert into archived_attachments (id, client_id, kind, file_name, mime_type, storage_key)
        select a.id, m.client_id, a.kind, a.file_name, a.mime_type, a.storage_key
        from attachments a join messages m on m.id = a.message_id
        where a.message_id = any(${idArray}) and a.status = 'stored' and a.storage_key is not null`);
      const [deleted] = rowsOf<{ n: number }>(
        await tx.execute(sql`
          with gone as (delete from messages where id = any(${idArray}) returning 1)
          select count(*)::int as n from gone`),
      );
      if ((deleted?.n ?? 0) !== ids.length) {
        throw new Error(`Archived ${ids.length} messages but ${deleted?.n ?? 0} were still there.`);
      }
    });
    const archivedClients = [...new Set(files.map((f) => f.clientId))];
    await writeArchiveManifests({ db, storage, clientIds: archivedClients });
    totals.clients += archivedClients.length;
    totals.messages += lines.length;
    totals.edits += files.reduce((n, f) => n + f.editCount, 0);
    totals.attachments += files.reduce((n, f) => n + f.attachmentCount, 0);
    totals.files += files.length;
    totals.bytes += files.reduce((n, f) => n + f.body.byteLength, 0);
  }
  return dryRun ? { clients: totals.clients, messages: totals.messages } : totals;
}

export const archiveOldMessagesJob: JobDefinition = {
  name: 'archive-old-messages',
  description: 'Moves messages of conversations resolved long ago into compressed files in the file storage.',
  schedule: '41 3 * * *',
  timeoutMs: 4 * 60 * 60_000,
  run: (context) => archiveOldMessages(context),
};
