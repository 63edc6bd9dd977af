// archive-old-messages with a controlled clock: which messages leave the hot table, the files
// and manifests it writes (local directory and S3), that a file which does not read back stops
// the deletion, the chat's read-back with the chat's permissions, and archive → restore giving
// back every row of messages, message_edits, attachments and operator_notifications, column for
// column, with clients and conversations untouched.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { eq, sql } from 'drizzle-orm';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Db } from '@/db/client';
import { rowsOf } from '@/db/rows';
import {
  archivedAttachments,
  attachments,
  conversations,
  jobRuns,
  messageArchives,
  messageEdits,
  messages,
  operatorLogs,
  operatorNotifications,
} from '@/db/schema';
import { getAttachmentFile } from '@/lib/attachments/get-attachment-file';
import { InngestTestEngine } from '@inngest/test';
import { jobFunction } from '@/inngest/functions/jobs';
import { systemActor } from '@/lib/auth/actor';
import { AppError } from '@/lib/errors';
import { archiveOldMessages, archiveOldMessagesJob, readArchiveLines } from '@/lib/jobs/archive-old-messages';
import { getJobOrThrow } from '@/lib/jobs/registry';
import { manifestKey, type ArchiveManifest } from '@/lib/messages/archive-manifest';
import { listArchivedClientMessages } from '@/lib/messages/list-archived-client-messages';
import { listClientMessages } from '@/lib/messages/list-client-messages';
import { restoreArchivedMessages } from '@/lib/messages/restore-archived-messages';
import { DEFAULT_JOB_SETTINGS, updateJobSettings } from '@/lib/settings/job-settings';
import { setStorage } from '@/lib/storage/get-storage';
import { createLocalStorage } from '@/lib/storage/local-storage';
import { createS3Storage } from '@/lib/storage/s3-storage';
import type { FileStorage } from '@/lib/storage/storage';
import { actorFor, makeDepartment, makeOperator } from '../factories';
import { makeClient } from '../factories/messages';
import { startS3Server, type S3Server } from '../support/s3-server';
import { getTestDb, resetDb } from '../support/db';

let db: Db;
let dir: string;
let storage: FileStorage;
let s3: S3Server;

const NOW = new Date('2026-11-30T03:41:00Z');
const DAY = 86_400_000;
const daysAgo = (days: number) => new Date(NOW.getTime() - days * DAY);
/** A timestamp with microseconds, so a restore that rounded to milliseconds would show. */
const at = (iso: string) => sql`${iso}::timestamptz`;

beforeAll(async () => {
  s3 = await startS3Server('archive-test');
});
afterAll(async () => {
  await s3.close();
});

beforeEach(async () => {
  db = await getTestDb();
  await resetDb(db);
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'desk-archive-'));
  storage = createLocalStorage(dir);
  setStorage(storage); // what getAttachmentFile reads
});
afterEach(() => setStorage(undefined));

/** Every row of a table in Postgres's own text form of the whole row (all columns), by id. */
async function rowsText(table: string): Promise<string[]> {
  const rows = rowsOf<{ r: string }>(
    await db.execute(sql.raw(`select t::text as r from ${table} t order by t.id`)),
  );
  return rows.map((row) => row.r);
}

const TABLES = [
  'messages',
  'message_edits',
  'attachments',
  'operator_notifications',
  'clients',
  'conversations',
] as const;

async function snapshot() {
  return Object.fromEntries(await Promise.all(TABLES.map(async (t) => [t, await rowsText(t)] as const)));
}

let tgSeq = 7_000;

type MessageSpec = {
  conversationId: string | null;
  createdAt: string;
  direction?: 'inbound' | 'outbound' | 'internal';
  text?: string | null;
  replyTo?: string | null;
  deliveryStatus?: 'queued' | 'sending' | 'sent' | 'failed' | null;
};

/** The desk a few months on: three clients, old and recent episodes, edits, files, replies. */
async function seedDesk(fileStorage: FileStorage) {
  const department = await makeDepartment(db);
  const otherDepartment = await makeDepartment(db);
  const operator = await makeOperator(db, { departmentIds: [department.id] });
  const stranger = await makeOperator(db, { departmentIds: [otherDepartment.id] });
  const admin = await makeOperator(db, { role: 'admin' });
  const a = await makeClient(db, { departmentId: department.id, assignedOperatorId: operator.id });
  const b = await makeClient(db, { departmentId: department.id, status: 'resolved' });
  const c = await makeClient(db, { departmentId: department.id });

  const conversation = async (
    client: { id: string },
    status: 'open' | 'resolved',
    openedAt: Date,
    resolvedAt: Date | null,
  ) => {
    const [row] = await db
      .insert(conversations)
      .values({
        clientId: client.id,
        departmentId: department.id,
        operatorId: operator.id,
        status,
        openedAt,
        resolvedAt,
        firstResponseAt: openedAt,
        rating: status === 'resolved' ? 5 : null,
      })
      .returning();
    if (!row) throw new Error('conversation not created');
    return row.id;
  };
  const message = async (client: { id: string; chatId: number }, spec: MessageSpec) => {
    const direction = spec.direction ?? 'inbound';
    const [row] = await db
      .insert(messages)
      .values({
        clientId: client.id,
        conversationId: spec.conversationId,
        direction,
        senderKind: direction === 'inbound' ? 'client' : 'operator',
        operatorId: direction === 'inbound' ? null : operator.id,
        text: spec.text === undefined ? `text ${tgSeq}` : spec.text,
        entities: [{ type: 'bold', offset: 0, length: 4 }],
        payload: { nested: { list: [1, 'two', null], ok: true } },
        telegramPayload: { message_id: tgSeq, date: 1_700_000_000, text: 'ещё 🙂' },
        telegramChatId: client.chatId,
        telegramMessageId: direction === 'internal' ? null : ++tgSeq,
        telegramExtraMessageIds: direction === 'outbound' ? [++tgSeq] : null,
        replyToMessageId: spec.replyTo ?? null,
        deliveryStatus: direction === 'outbound' ? (spec.deliveryStatus ?? 'sent') : null,
        deliveredAt: direction === 'outbound' ? at(spec.createdAt) : null,
        sentAtTelegram: direction === 'inbound' ? at(spec.createdAt) : null,
        createdAt: at(spec.createdAt),
      })
      .returning({ id: messages.id });
    if (!row) throw new Error('message not created');
    return row.id;
  };

  // Client A: an episode resolved 300 days ago over two months, one resolved 100 days ago, and
  // the open one, whose reply quotes an old message (which replies to another old one).
  const old = await conversation(a, 'resolved', daysAgo(340), daysAgo(300));
  const recent = await conversation(a, 'resolved', daysAgo(120), daysAgo(100));
  const open = await conversation(a, 'open', daysAgo(2), null);
  const a1 = await message(a, { conversationId: old, createdAt: '2026-01-03T10:00:00.123456Z' });
  const a2 = await message(a, {
    conversationId: old,
    createdAt: '2026-01-03T10:05:00.000001Z',
    direction: 'outbound',
    replyTo: a1,
  });
  const a3 = await message(a, { conversationId: old, createdAt: '2026-01-20T08:00:00.5Z', text: null });
  const quotedRoot = await message(a, { conversationId: old, createdAt: '2026-02-01T09:00:00.000100Z' });
  const quoted = await message(a, {
    conversationId: old,
    createdAt: '2026-02-01T09:01:00Z',
    direction: 'outbound',
    replyTo: quotedRoot,
  });
  const a6 = await message(a, {
    conversationId: old,
    createdAt: '2026-02-02T11:00:00.777777Z',
    direction: 'internal',
    text: 'a note',
  });
  const stuck = await message(a, {
    conversationId: old,
    createdAt: '2026-02-02T11:30:00Z',
    direction: 'outbound',
    deliveryStatus: 'queued',
  });
  const a8 = await message(a, { conversationId: old, createdAt: '2026-02-03T12:00:00Z' });
  const aRecent = await message(a, { conversationId: recent, createdAt: '2026-08-10T12:00:00Z' });
  const aOpen = await message(a, {
    conversationId: open,
    createdAt: '2026-11-28T12:00:00Z',
    replyTo: quoted,
  });
  const aLoose = await message(a, { conversationId: null, createdAt: '2025-12-01T00:00:00Z' });

  await db.insert(messageEdits).values([
    { messageId: a1, text: 'first version', entities: [], editedAt: at('2026-01-03T10:01:00.654321Z') },
    { messageId: a1, text: 'second version', entities: null, editedAt: at('2026-01-03T10:02:00Z') },
  ]);
  const stored = 'attachments/2026/01/file-a3/photo.jpg';
  await fileStorage.put(stored, new Uint8Array([1, 2, 3, 4]), { contentType: 'image/jpeg' });
  await db.insert(attachments).values([
    {
      messageId: a3,
      position: 0,
      kind: 'photo',
      telegramFileId: 'AgAD-file',
      telegramFileUniqueId: 'uniq-1',
      fileName: 'photo.jpg',
      mimeType: 'image/jpeg',
      sizeBytes: 4,
      width: 10,
      height: 20,
      storageKey: stored,
      status: 'stored',
      caption: 'подпись',
      captionEntities: [{ type: 'italic', offset: 0, length: 3 }],
      createdAt: at('2026-01-20T08:00:01.000002Z'),
    },
    { messageId: a3, position: 1, kind: 'document', status: 'too_large', error: 'too big', sizeBytes: 9e9 },
  ]);
  await db.insert(operatorNotifications).values([
    { operatorId: operator.id, clientId: a.id, messageId: a1, telegramChatId: 42, telegramMessageId: 1 },
    { operatorId: operator.id, clientId: a.id, messageId: aOpen, telegramChatId: 42, telegramMessageId: 2 },
  ]);

  // Client B: one episode resolved long ago, and nothing since.
  const oldB = await conversation(b, 'resolved', daysAgo(400), daysAgo(390));
  const b1 = await message(b, { conversationId: oldB, createdAt: '2025-10-30T23:59:59.999999Z' });
  const b2 = await message(b, {
    conversationId: oldB,
    createdAt: '2025-11-01T00:00:00Z',
    direction: 'outbound',
  });
  const b3 = await message(b, {
    conversationId: oldB,
    createdAt: '2025-11-01T00:00:01Z',
    direction: 'internal',
  });

  // Client C: resolved 179 days ago, just inside the hot period.
  const youngC = await conversation(c, 'resolved', daysAgo(200), daysAgo(179));
  const c1 = await message(c, { conversationId: youngC, createdAt: '2026-05-01T00:00:00Z' });

  return {
    operator,
    stranger,
    admin,
    clients: { a, b, c },
    department,
    archived: { a: [a1, a2, a3, a6, a8], b: [b1, b3] },
    hot: [stuck, quoted, quotedRoot, aRecent, aOpen, aLoose, b2, c1],
    storedFile: stored,
  };
}

const archiveIds = async () => (await db.select({ id: messages.id }).from(messages)).map((r) => r.id);

async function archiveAndRestore(
  fileStorage: FileStorage,
  keys: () => Promise<string[]>,
  { clientBatch }: { clientBatch?: number } = {},
) {
  const desk = await seedDesk(fileStorage);
  const before = await snapshot();

  const result = await archiveOldMessages(
    { db, now: NOW, dryRun: false },
    { storage: fileStorage, clientBatch },
  );
  expect(result).toMatchObject({ clients: 2, messages: 7, edits: 2, attachments: 2, files: 4 });

  const left = await archiveIds();
  for (const id of [...desk.archived.a, ...desk.archived.b]) expect(left).not.toContain(id);
  expect(left.toSorted()).toEqual(desk.hot.toSorted());
  // Edits and attachment rows went with their messages; the notification stays, unlinked.
  expect(await db.select().from(messageEdits)).toEqual([]);
  expect(await db.select().from(attachments)).toEqual([]);
  const notifications = await db.select().from(operatorNotifications).orderBy(operatorNotifications.id);
  expect(notifications.map((n) => n.messageId)).toEqual([null, desk.hot[4]]);
  // The attachment's own file stays where it was, and stays reachable.
  expect(await fileStorage.get(desk.storedFile)).not.toBeNull();
  expect(await db.select({ key: archivedAttachments.storageKey }).from(archivedAttachments)).toEqual([
    { key: desk.storedFile },
  ]);
  // The clients' fields and the episodes are untouched.
  const after = await snapshot();
  expect(after.clients).toEqual(before.clients);
  expect(after.conversations).toEqual(before.conversations);

  // Per client and month: A has January and February 2026, B October and November 2025.
  const archives = await db.select().from(messageArchives).orderBy(messageArchives.firstMessageAt);
  expect(archives.map((x) => [x.clientId, x.month, x.messageCount])).toEqual([
    [desk.clients.b.id, '2025-10', 1],
    [desk.clients.b.id, '2025-11', 1],
    [desk.clients.a.id, '2026-01', 3],
    [desk.clients.a.id, '2026-02', 2],
  ]);
  const manifestA = await fileStorage.get(manifestKey(desk.clients.a.id));
  const manifest = JSON.parse(new TextDecoder().decode(manifestA?.body)) as ArchiveManifest;
  expect(manifest).toMatchObject({ version: 1, clientId: desk.clients.a.id, messages: 5 });
  expect(manifest.files.map((f) => [f.month, f.messages, f.edits, f.attachments])).toEqual([
    ['2026-01', 3, 2, 2],
    ['2026-02', 2, 0, 0],
  ]);
  expect(manifest.files[0]).toMatchObject({
    firstMessageAt: '2026-01-03T10:00:00.123Z',
    lastMessageAt: '2026-01-20T08:00:00.500Z',
    sha256: archives[2]?.sha256,
  });
  const january = await fileStorage.get(archives[2]?.storageKey ?? '');
  if (!january) throw new Error('the January file is missing');
  const lines = await readArchiveLines(january.body);
  expect(lines.map((l) => (JSON.parse(l) as { message: { id: string } }).message.id)).toEqual(
    desk.archived.a.slice(0, 3),
  );
  expect((await keys()).filter((k) => k.startsWith('archive/')).length).toBe(4 + 2);

  const restored = await restoreArchivedMessages({ db, actor: systemActor('test'), storage: fileStorage });
  expect(restored).toEqual({ files: 4, messages: 7, edits: 2, attachments: 2, notifications: 1 });
  expect(await snapshot()).toEqual(before);
  expect(await db.select().from(messageArchives)).toEqual([]);
  expect(await db.select().from(archivedAttachments)).toEqual([]);
  expect((await keys()).filter((k) => k.startsWith('archive/'))).toEqual([]);
  return desk;
}

describe('archive-old-messages', () => {
  it('is a registered job, daily, with archiveAfterDays 180 by default', () => {
    expect(getJobOrThrow('archive-old-messages')).toBe(archiveOldMessagesJob);
    expect(archiveOldMessagesJob.schedule).toBe('41 3 * * *');
    expect(DEFAULT_JOB_SETTINGS.archiveAfterDays).toBe(180);
  });

  it('archives to the local directory and restores every row exactly (a client a batch: the next read while one is written)', async () => {
    const listLocal = async () =>
      (fs.readdirSync(dir, { recursive: true }) as string[])
        .map((p) => p.split(path.sep).join('/'))
        .filter((p) => fs.statSync(path.join(dir, p)).isFile() && !p.endsWith('.type'));
    await archiveAndRestore(storage, listLocal, { clientBatch: 1 });
  });

  it('archives to S3 and restores every row exactly', async () => {
    const s3Storage = createS3Storage({ bucket: 'archive-test', ...s3.options });
    await archiveAndRestore(s3Storage, s3.listKeys);
  });

  it('a dry run counts and changes nothing; the setting moves the line', async () => {
    await seedDesk(storage);
    const before = await snapshot();
    expect(await archiveOldMessages({ db, now: NOW, dryRun: true }, { storage })).toEqual({
      clients: 2,
      messages: 7,
    });
    expect(await snapshot()).toEqual(before);
    expect(fs.readdirSync(dir).filter((p) => p === 'archive')).toEqual([]);

    await updateJobSettings({ db, actor: systemActor('test'), input: { archiveAfterDays: 170 } });
    // Client C's episode (resolved 179 days ago) is now old enough; its only message is its latest.
    expect(await archiveOldMessages({ db, now: NOW, dryRun: true }, { storage })).toEqual({
      clients: 2,
      messages: 7,
    });
    await updateJobSettings({ db, actor: systemActor('test'), input: { archiveAfterDays: 90 } });
    // ...and client A's episode resolved 100 days ago too.
    expect(await archiveOldMessages({ db, now: NOW, dryRun: true }, { storage })).toEqual({
      clients: 2,
      messages: 8,
    });
  });

  it('deletes nothing when a file does not read back as written', async () => {
    await seedDesk(storage);
    const before = await snapshot();
    const corrupting: FileStorage = {
      ...storage,
      get: async (key) => {
        const file = await storage.get(key);
        return file && { ...file, body: file.body.map((byte, i) => (i === 20 ? byte ^ 1 : byte)) };
      },
    };
    await expect(
      archiveOldMessages({ db, now: NOW, dryRun: false }, { storage: corrupting }),
    ).rejects.toThrow(/did not read back/);
    expect(await snapshot()).toEqual(before);
    expect(await db.select().from(messageArchives)).toEqual([]);
  });

  it('the chat reads the archive back month by month, with the chat’s permissions', async () => {
    const desk = await seedDesk(storage);
    await archiveOldMessages({ db, now: NOW, dryRun: false }, { storage });
    const viewer = actorFor(desk.operator, [desk.department.id]);
    const clientId = desk.clients.a.id;

    // The hot history pages as before, without the archived messages.
    const hot = await listClientMessages({ db, actor: viewer, input: { clientId, limit: 2 } });
    const rest = await listClientMessages({
      db,
      actor: viewer,
      input: { clientId, cursor: hot.nextCursor ?? undefined },
    });
    expect([...hot.results, ...rest.results].map((m) => m.id)).toEqual([
      desk.hot[4],
      desk.hot[3],
      desk.hot[0],
      desk.hot[1],
      desk.hot[2],
      desk.hot[5],
    ]);
    expect(rest.nextCursor).toBeNull();

    const february = await listArchivedClientMessages({ db, actor: viewer, input: { clientId }, storage });
    expect(february.month).toBe('2026-02');
    expect(february.results.map((m) => m.id)).toEqual([desk.archived.a[4], desk.archived.a[3]]);
    expect(february.results[1]).toMatchObject({ direction: 'internal', text: 'a note', canEdit: false });
    expect(february.nextCursor).toBe('2026-02');
    const january = await listArchivedClientMessages({
      db,
      actor: viewer,
      input: { clientId, cursor: february.nextCursor ?? undefined },
      storage,
    });
    expect(january.month).toBe('2026-01');
    expect(january.nextCursor).toBeNull();
    expect(january.results.map((m) => m.id)).toEqual(desk.archived.a.slice(0, 3).toReversed());
    const [a3, a2] = january.results;
    expect(a3?.attachments.map((f) => [f.kind, f.fileName, f.status])).toEqual([
      ['photo', 'photo.jpg', 'stored'],
      ['document', null, 'too_large'],
    ]);
    expect(a2).toMatchObject({
      direction: 'outbound',
      operatorName: desk.operator.name,
      createdAt: '2026-01-03T10:05:00.000Z',
      replyTo: { id: desk.archived.a[0], direction: 'inbound' },
    });

    // The archived photo's file is still served, to who may see the client only.
    const photo = a3?.attachments[0];
    const file = await getAttachmentFile({ db, actor: viewer, input: { attachmentId: photo?.id ?? '' } });
    expect([...file.body]).toEqual([1, 2, 3, 4]);
    expect(file).toMatchObject({ contentType: 'image/jpeg', fileName: 'photo.jpg' });
    await expect(
      getAttachmentFile({ db, actor: actorFor(desk.stranger, []), input: { attachmentId: photo?.id ?? '' } }),
    ).rejects.toSatisfy((error) => error instanceof AppError && error.code === 'not_found');
    // The one that was too large to store has no file.
    await expect(
      getAttachmentFile({ db, actor: viewer, input: { attachmentId: a3?.attachments[1]?.id ?? '' } }),
    ).rejects.toSatisfy((error) => error instanceof AppError && error.code === 'not_found');

    // Someone who may not see the client gets not_found, as in the chat.
    const stranger = actorFor(desk.stranger, []);
    await expect(
      listArchivedClientMessages({ db, actor: stranger, input: { clientId }, storage }),
    ).rejects.toSatisfy((error) => error instanceof AppError && error.code === 'not_found');
    // A client with nothing archived reads as empty.
    expect(
      await listArchivedClientMessages({
        db,
        actor: viewer,
        input: { clientId: desk.clients.c.id },
        storage,
      }),
    ).toEqual({ results: [], month: null, nextCursor: null });
  });

  it('restore is for admins, and is audited', async () => {
    const desk = await seedDesk(storage);
    await archiveOldMessages({ db, now: NOW, dryRun: false }, { storage });
    await expect(
      restoreArchivedMessages({ db, actor: actorFor(desk.operator, [desk.department.id]), storage }),
    ).rejects.toSatisfy((error) => error instanceof AppError && error.code === 'forbidden');
    const admin = actorFor(desk.admin, []);
    const result = await restoreArchivedMessages({
      db,
      actor: admin,
      input: { clientId: desk.clients.b.id },
      storage,
    });
    expect(result).toMatchObject({ files: 2, messages: 2 });
    const audit = await db
      .select()
      .from(operatorLogs)
      .where(eq(operatorLogs.action, 'messages.restore_archive'));
    expect(audit.map((row) => [row.operatorId, row.targetId])).toEqual([
      [desk.admin.id, desk.clients.b.id],
      [desk.admin.id, desk.clients.b.id],
    ]);
    // Client A's archive is still there; archiving again after a restore takes the same messages.
    expect((await db.select().from(messageArchives)).map((x) => x.clientId)).toEqual([
      desk.clients.a.id,
      desk.clients.a.id,
    ]);
    expect(await archiveOldMessages({ db, now: NOW, dryRun: false }, { storage })).toMatchObject({
      clients: 1,
      messages: 2,
      files: 2,
    });
  });

  it('runs as its Inngest function on the cron tick (local storage from the settings)', async () => {
    const desk = await seedDesk(storage);
    const fn = jobFunction(archiveOldMessagesJob);
    // The function's clock is the wall clock, which is past NOW: at least the seven old messages go.
    const scheduled = await new InngestTestEngine({
      function: fn,
      events: [{ name: 'inngest/scheduled.timer', data: { cron: 'TZ=UTC 41 3 * * *' }, ts: Date.now() }],
    }).execute();
    expect(scheduled.result).toMatchObject({ status: 'succeeded' });
    const [run] = await db.select().from(jobRuns).where(eq(jobRuns.job, 'archive-old-messages'));
    expect(run).toMatchObject({ trigger: 'schedule', status: 'succeeded' });
    expect(Number(run?.result?.messages)).toBeGreaterThanOrEqual(7);
    const left = await archiveIds();
    for (const id of [...desk.archived.a, ...desk.archived.b]) expect(left).not.toContain(id);
  });
});
