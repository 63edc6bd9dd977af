import { createHash, randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import type { Db } from '@/db/client';
import { attachments, clients, messages, operatorLogs } from '@/db/schema';
import { settleBackgroundWork } from '@/lib/background';
import { GET as getFile } from '@/app/api/files/[attachmentId]/route';
import type { OperatorActor } from '@/lib/auth/actor';
import { getAttachmentFile } from '@/lib/attachments/get-attachment-file';
import { drainOutbox } from '@/lib/outbox/outbox-worker';
import { deliverMessage } from '@/lib/messages/deliver-message';
import { listClientMessages } from '@/lib/messages/list-client-messages';
import { sendOperatorFile } from '@/lib/messages/send-operator-file';
import { setStorage } from '@/lib/storage/get-storage';
import { createLocalStorage } from '@/lib/storage/local-storage';
import type { FileStorage } from '@/lib/storage/storage';
import { actorFor, makeDepartment, makeOperator } from '../factories';
import { makeClient, makeInboundMessage } from '../factories/messages';
import { getTestDb, resetDb } from '../support/db';
import { telegram } from '../support/setup-integration';

// The session needs Next's request scope and next-auth's cookie; the route is tested with the
// actor it would build, and once without one.
const session = vi.hoisted(() => ({ actor: null as OperatorActor | null }));
vi.mock('@/app/session', () => ({ getSessionActor: async () => session.actor }));

const MB = 1024 * 1024;
let db: Db;
let uploadsDir: string;
let storage: FileStorage;

beforeAll(() => {
  uploadsDir = fs.mkdtempSync(path.join(os.tmpdir(), 'desk-outbound-files-'));
  storage = createLocalStorage(uploadsDir);
});

afterAll(() => {
  setStorage(undefined);
  fs.rmSync(uploadsDir, { recursive: true, force: true });
});

beforeEach(async () => {
  await settleBackgroundWork();
  db = await getTestDb();
  await resetDb(db);
  telegram().reset();
  fs.rmSync(uploadsDir, { recursive: true, force: true });
  fs.mkdirSync(uploadsDir);
  setStorage(storage);
  session.actor = null;
});

const sha256 = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');

/** Bytes that are a PNG as far as anyone checking magic numbers can tell. */
function png(size: number): Uint8Array {
  const bytes = new Uint8Array(randomBytes(size));
  bytes.set([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
  return bytes;
}

async function chat() {
  const department = await makeDepartment(db, { isDefault: true });
  const operator = await makeOperator(db, { departmentIds: [department.id] });
  const client = await makeClient(db, { departmentId: department.id, assignedOperatorId: operator.id });
  return { department, operator, client, actor: actorFor(operator, [department.id]) };
}

async function messageRow(id: string) {
  const [row] = await db.select().from(messages).where(eq(messages.id, id));
  if (!row) throw new Error('message missing');
  return row;
}

async function attachmentOf(messageId: string) {
  const [row] = await db.select().from(attachments).where(eq(attachments.messageId, messageId));
  if (!row) throw new Error('attachment missing');
  return row;
}

const calls = (method?: string) => telegram().calls.filter((c) => !method || c.method === method);

describe('sending files from the dashboard', () => {
  it('uploads a photo as multipart sendPhoto with its caption, ends `sent` and keeps the file_id', async () => {
    const { client, actor, operator } = await chat();
    const bytes = png(4096);
    const queued = await sendOperatorFile({
      db,
      actor,
      input: {
        clientId: client.id,
        fileName: 'receipt.png',
        contentType: 'image/png',
        bytes,
        caption: 'Your receipt <b>#5 & 6</b>',
      },
    });
    await drainOutbox();

    expect(calls().map((c) => c.method)).toEqual(['sendPhoto']);
    const payload = calls('sendPhoto')[0]?.payload;
    expect(payload).toMatchObject({
      __multipart: true,
      chat_id: String(client.chatId),
      caption: 'Your receipt &lt;b&gt;#5 &amp; 6&lt;/b&gt;',
      parse_mode: 'HTML',
      photo: { __file: true, name: 'receipt.png', type: 'image/png', size: 4096, sha256: sha256(bytes) },
    });
    const message = await messageRow(queued.messageId);
    expect(message).toMatchObject({
      deliveryStatus: 'sent',
      contentKind: 'photo',
      text: 'Your receipt <b>#5 & 6</b>',
      operatorId: operator.id,
    });
    expect(message.telegramMessageId).toBeGreaterThan(0);
    const attachment = await attachmentOf(message.id);
    expect(attachment).toMatchObject({
      kind: 'photo',
      status: 'stored',
      fileName: 'receipt.png',
      mimeType: 'image/png',
      sizeBytes: 4096,
      telegramMessageId: message.telegramMessageId,
      telegramFileId: `sent-photo-${message.telegramMessageId}`,
    });
    expect(attachment.storageKey).toMatch(
      new RegExp(`^outbound/\\d{4}/\\d{2}/${attachment.id}/receipt\\.png$`),
    );
    const stored = await storage.get(attachment.storageKey ?? '');
    expect(stored && sha256(stored.body)).toBe(sha256(bytes));

    const [audit] = await db.select().from(operatorLogs).where(eq(operatorLogs.action, 'message.sent'));
    expect(audit).toMatchObject({ operatorId: operator.id, targetId: client.id });
    expect(audit?.details).toMatchObject({
      attachment: { id: attachment.id, kind: 'photo', sizeBytes: 4096 },
    });
    const [updated] = await db.select().from(clients).where(eq(clients.id, client.id));
    expect(updated?.unreadCount).toBe(0);

    const {
      results: [listed],
    } = await listClientMessages({ db, actor, input: { clientId: client.id } });
    expect(listed?.attachments).toEqual([
      {
        id: attachment.id,
        kind: 'photo',
        fileName: 'receipt.png',
        mimeType: 'image/png',
        sizeBytes: 4096,
        status: 'stored',
        error: null,
        caption: null,
      },
    ]);
  });

  it('sends a caption over 1024 UTF-16 units as a follow-up message after the file', async () => {
    const { client, actor } = await chat();
    const caption = `${'long caption '.repeat(100)}end`;
    const queued = await sendOperatorFile({
      db,
      actor,
      input: {
        clientId: client.id,
        fileName: 'photo.jpg',
        contentType: 'image/jpeg',
        bytes: png(100),
        caption,
      },
    });
    await drainOutbox();
    expect(calls().map((c) => c.method)).toEqual(['sendPhoto', 'sendMessage']);
    expect(calls('sendPhoto')[0]?.payload.caption).toBeUndefined();
    expect(calls('sendMessage')[0]?.payload).toMatchObject({ text: caption, parse_mode: 'HTML' });
    const message = await messageRow(queued.messageId);
    expect(message.deliveryStatus).toBe('sent');
    expect(message.telegramExtraMessageIds).toHaveLength(1);
  });

  it('sends images over 10 MB and other files with sendDocument', async () => {
    const { client, actor } = await chat();
    const big = png(10 * MB + 1);
    const queued = await sendOperatorFile({
      db,
      actor,
      input: { clientId: client.id, fileName: 'scan.png', contentType: 'image/png', bytes: big },
    });
    const pdf = new TextEncoder().encode('%PDF-1.4 not really');
    await sendOperatorFile({
      db,
      actor,
      input: { clientId: client.id, fileName: 'terms.pdf', contentType: 'application/pdf', bytes: pdf },
    });
    await drainOutbox();
    expect(calls().map((c) => c.method)).toEqual(['sendDocument', 'sendDocument']);
    expect(calls()[0]?.payload.document).toMatchObject({
      name: 'scan.png',
      size: big.length,
      sha256: sha256(big),
    });
    expect(calls()[1]?.payload.document).toMatchObject({ name: 'terms.pdf', type: 'application/pdf' });
    expect(await messageRow(queued.messageId)).toMatchObject({
      contentKind: 'document',
      deliveryStatus: 'sent',
    });
    expect((await attachmentOf(queued.messageId)).telegramFileId).toMatch(/^sent-document-/);
  });

  it('rejects files over 50 MB and empty files with a clear message, storing nothing', async () => {
    const { client, actor } = await chat();
    const tooBig = sendOperatorFile({
      db,
      actor,
      input: {
        clientId: client.id,
        fileName: 'video.mp4',
        contentType: 'video/mp4',
        bytes: new Uint8Array(50 * MB + 1),
      },
    });
    await expect(tooBig).rejects.toMatchObject({
      code: 'unprocessable_entity',
      message: expect.stringContaining('50 MB'),
    });
    await expect(
      sendOperatorFile({
        db,
        actor,
        input: { clientId: client.id, fileName: 'empty.txt', bytes: new Uint8Array() },
      }),
    ).rejects.toMatchObject({ code: 'unprocessable_entity', message: 'The file “empty.txt” is empty.' });
    expect(await db.select().from(messages)).toHaveLength(0);
    expect(fs.readdirSync(uploadsDir)).toEqual([]);
  });

  it('refuses a client the operator may not see before anything reaches storage', async () => {
    const { client, department } = await chat();
    const stranger = await makeOperator(db, { departmentIds: [department.id] });
    await expect(
      sendOperatorFile({
        db,
        actor: actorFor(stranger, [department.id]),
        input: { clientId: client.id, fileName: 'a.txt', bytes: new Uint8Array([1]) },
      }),
    ).rejects.toMatchObject({ code: 'not_found' });
    expect(fs.readdirSync(uploadsDir)).toEqual([]);
    expect(calls()).toHaveLength(0);
  });

  it('ends `failed` with a clear reason when the stored file has disappeared', async () => {
    const { client, actor } = await chat();
    const queued = await sendOperatorFile({
      db,
      actor,
      input: {
        clientId: client.id,
        fileName: 'gone.pdf',
        contentType: 'application/pdf',
        bytes: new Uint8Array([1, 2]),
      },
    });
    await storage.delete((await attachmentOf(queued.messageId)).storageKey ?? '');
    await drainOutbox();
    const message = await messageRow(queued.messageId);
    expect(message.deliveryStatus).toBe('failed');
    expect(message).toMatchObject({ deliveryErrorCode: 'file_missing', deliveryError: 'gone.pdf' });
    expect(calls()).toHaveLength(0);
  });

  it('resends the caption as plain text when Telegram cannot parse it', async () => {
    const { client, actor } = await chat();
    telegram().setBehaviour(client.chatId, {
      kind: 'error',
      code: 400,
      description: "Bad Request: can't parse entities: unsupported tag",
      times: 1,
    });
    const queued = await sendOperatorFile({
      db,
      actor,
      input: {
        clientId: client.id,
        fileName: 'x.png',
        contentType: 'image/png',
        bytes: png(64),
        caption: 'x < y',
      },
    });
    await drainOutbox();
    expect(calls('sendPhoto').map((c) => [c.payload.caption, c.payload.parse_mode])).toEqual([
      ['x &lt; y', 'HTML'],
      ['x < y', undefined],
    ]);
    expect((await messageRow(queued.messageId)).deliveryStatus).toBe('sent');
  });

  it('sends an image Telegram refuses as a photo as a document instead', async () => {
    const { client, actor } = await chat();
    telegram().setBehaviour(client.chatId, {
      kind: 'error',
      code: 400,
      description: 'Bad Request: PHOTO_INVALID_DIMENSIONS',
      times: 1,
    });
    const queued = await sendOperatorFile({
      db,
      actor,
      input: { clientId: client.id, fileName: 'panorama.png', contentType: 'image/png', bytes: png(64) },
    });
    await drainOutbox();
    expect(calls().map((c) => c.method)).toEqual(['sendPhoto', 'sendDocument']);
    expect(await messageRow(queued.messageId)).toMatchObject({
      deliveryStatus: 'sent',
      contentKind: 'document',
    });
    expect(await attachmentOf(queued.messageId)).toMatchObject({ kind: 'document' });
  });

  it('sends a file Telegram already holds by its file_id instead of uploading it again', async () => {
    const { client, actor } = await chat();
    const queued = await sendOperatorFile({
      db,
      actor,
      input: { clientId: client.id, fileName: 'again.png', contentType: 'image/png', bytes: png(64) },
    });
    await db
      .update(attachments)
      .set({ telegramFileId: 'known-file-id' })
      .where(eq(attachments.messageId, queued.messageId));
    await drainOutbox();
    expect(calls().map((c) => [c.method, c.payload.photo, c.payload.__multipart])).toEqual([
      ['sendPhoto', 'known-file-id', undefined],
    ]);
    expect((await messageRow(queued.messageId)).deliveryStatus).toBe('sent');
  });

  it('resumes after the file went out: only the follow-up text is sent again', async () => {
    const { client, actor } = await chat();
    const caption = 'c'.repeat(2000);
    const queued = await sendOperatorFile({
      db,
      actor,
      input: { clientId: client.id, fileName: 'a.png', contentType: 'image/png', bytes: png(64), caption },
    });
    // As if an earlier attempt uploaded the photo and then failed on the text.
    await db.update(messages).set({ telegramMessageId: 4242 }).where(eq(messages.id, queued.messageId));
    const outcome = await deliverMessage({ messageId: queued.messageId, db });
    expect(outcome).toEqual({ status: 'sent', telegramMessageIds: [4242, expect.any(Number)] });
    expect(calls().map((c) => c.method)).toEqual(['sendMessage']);
  });
});

describe('stored files', () => {
  async function sentPhoto() {
    const setup = await chat();
    const bytes = png(2048);
    const queued = await sendOperatorFile({
      db,
      actor: setup.actor,
      input: { clientId: setup.client.id, fileName: 'photo.png', contentType: 'image/png', bytes },
    });
    return { ...setup, bytes, attachment: await attachmentOf(queued.messageId) };
  }

  it('are returned to people who may see the chat, and are not found for anyone else', async () => {
    const { attachment, bytes, actor, department } = await sentPhoto();
    const file = await getAttachmentFile({ db, actor, input: { attachmentId: attachment.id } });
    expect(sha256(file.body)).toBe(sha256(bytes));
    expect(file).toMatchObject({ contentType: 'image/png', fileName: 'photo.png', disposition: 'inline' });

    const supervisor = await makeOperator(db, { role: 'supervisor', departmentIds: [department.id] });
    await expect(
      getAttachmentFile({
        db,
        actor: actorFor(supervisor, [department.id]),
        input: { attachmentId: attachment.id },
      }),
    ).resolves.toMatchObject({ fileName: 'photo.png' });

    const other = await makeDepartment(db);
    const outsider = await makeOperator(db, { role: 'supervisor', departmentIds: [other.id] });
    for (const attempt of [
      { actor: actorFor(outsider, [other.id]), attachmentId: attachment.id },
      { actor, attachmentId: '00000000-0000-4000-8000-000000000000' },
      { actor, attachmentId: '../../etc/passwd' },
    ]) {
      await expect(
        getAttachmentFile({ db, actor: attempt.actor, input: { attachmentId: attempt.attachmentId } }),
      ).rejects.toMatchObject({ code: 'not_found' });
    }
  });

  it('are served by GET /api/files/:id: 401 signed out, 404 for outsiders, 200 with safe headers', async () => {
    const { attachment, bytes, actor } = await sentPhoto();
    const call = (id: string) =>
      getFile(new Request(`http://localhost/api/files/${id}`), {
        params: Promise.resolve({ attachmentId: id }),
      });

    const signedOut = await call(attachment.id);
    expect(signedOut.status).toBe(401);
    expect(signedOut.headers.get('content-type')).toBe('application/problem+json');

    const stranger = await makeOperator(db);
    session.actor = actorFor(stranger, []);
    expect((await call(attachment.id)).status).toBe(404);

    session.actor = actor;
    const ok = await call(attachment.id);
    expect(ok.status).toBe(200);
    expect(Object.fromEntries(ok.headers)).toMatchObject({
      'content-type': 'image/png',
      'content-disposition': `inline; filename="photo.png"; filename*=UTF-8''photo.png`,
      'cache-control': 'private, max-age=300',
      'x-content-type-options': 'nosniff',
    });
    expect(sha256(new Uint8Array(await ok.arrayBuffer()))).toBe(sha256(bytes));
  });

  it('serves non-images as downloads with a safe file name, and hides files not stored yet', async () => {
    const { client, actor } = await chat();
    const { message } = await makeInboundMessage(db, {
      client,
      attachment: {
        kind: 'document',
        fileName: 'x"; evil\r\n.html',
        mimeType: 'text/html',
        status: 'stored',
      },
    });
    const attachment = await attachmentOf(message.id);
    const key = `inbound/2026/01/${attachment.id}/evil.html`;
    await storage.put(key, new TextEncoder().encode('<script>alert(1)</script>'));
    await db.update(attachments).set({ storageKey: key }).where(eq(attachments.id, attachment.id));
    session.actor = actor;
    const response = await getFile(new Request('http://localhost/'), {
      params: Promise.resolve({ attachmentId: attachment.id }),
    });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-disposition')).toBe(
      `attachment; filename="x__ evil.html"; filename*=UTF-8''x%22%3B%20evil%0D%0A.html`,
    );

    const { message: pending } = await makeInboundMessage(db, {
      client,
      attachment: { kind: 'photo', status: 'pending', sizeBytes: 1000 },
    });
    const pendingFile = await attachmentOf(pending.id);
    await expect(
      getAttachmentFile({ db, actor, input: { attachmentId: pendingFile.id } }),
    ).rejects.toMatchObject({
      code: 'not_found',
    });
  });
});
