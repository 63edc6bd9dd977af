import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { asc, eq } from 'drizzle-orm';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Db } from '@/db/client';
import { attachments, clients, messageEdits, messages, telegramUpdates } from '@/db/schema';
import { settleBackgroundWork } from '@/lib/background';
import { createLocalStorage } from '@/lib/storage/local-storage';
import { createS3Storage } from '@/lib/storage/s3-storage';
import { setStorage } from '@/lib/storage/get-storage';
import type { FileStorage } from '@/lib/storage/storage';
import { makeDepartment, makeOperator } from '../factories';
import { getTestDb, resetDb } from '../support/db';
import { startS3Server, type S3Server } from '../support/s3-server';
import { telegram } from '../support/setup-integration';
import { postUpdate } from '../support/webhook';

const FIXTURES = path.resolve(__dirname, '../fixtures/telegram');
const CHAT = 31337001;

function fixture(name: string): Record<string, unknown> {
  return JSON.parse(fs.readFileSync(path.join(FIXTURES, `${name}.json`), 'utf8')) as Record<string, unknown>;
}

/** Registers random bytes for a file_id with the fake Telegram and returns them. */
function serveFile(fileId: string, size = 2048): Uint8Array {
  const bytes = new Uint8Array(randomBytes(size));
  telegram().addFile(fileId, { bytes });
  return bytes;
}

async function post(name: string) {
  const response = await postUpdate(fixture(name));
  expect(response.status).toBe(200);
  await settleBackgroundWork();
}

async function storedMessages() {
  return db.select().from(messages).where(eq(messages.telegramChatId, CHAT)).orderBy(asc(messages.createdAt));
}

async function inbound() {
  return (await storedMessages()).filter((m) => m.direction === 'inbound');
}

async function attachmentsOf(messageId: string) {
  return db
    .select()
    .from(attachments)
    .where(eq(attachments.messageId, messageId))
    .orderBy(asc(attachments.position));
}

let db: Db;
let uploadsDir: string;
let storage: FileStorage;

const uploadDirs: string[] = [];

afterAll(() => {
  setStorage(undefined);
  for (const dir of uploadDirs) fs.rmSync(dir, { recursive: true, force: true });
});

beforeEach(async () => {
  await settleBackgroundWork();
  db = await getTestDb();
  await resetDb(db);
  telegram().reset();
  uploadsDir = fs.mkdtempSync(path.join(os.tmpdir(), 'desk-uploads-'));
  uploadDirs.push(uploadsDir);
  storage = createLocalStorage(uploadsDir);
  setStorage(storage);
  const department = await makeDepartment(db, { isDefault: true });
  await makeOperator(db, { departmentIds: [department.id] });
});

describe('inbound Telegram messages of every kind', () => {
  it('text keeps its formatting entities', async () => {
    await post('text-with-entities');
    const [message] = await inbound();
    expect(message).toMatchObject({
      contentKind: 'text',
      text: 'Hello! My order #123 is late, see https://example.com',
    });
    expect(message?.entities).toEqual([
      { offset: 15, length: 4, type: 'hashtag' },
      { offset: 33, length: 19, type: 'url' },
    ]);
  });

  it('a photo keeps the largest size, its caption, and is downloaded into storage', async () => {
    const bytes = serveFile('photo-1-l');
    await post('photo');
    const [message] = await inbound();
    expect(message).toMatchObject({ contentKind: 'photo', text: 'Damaged box' });
    const [file] = await attachmentsOf(message?.id ?? '');
    expect(file).toMatchObject({
      kind: 'photo',
      telegramFileId: 'photo-1-l',
      width: 1280,
      height: 960,
      status: 'stored',
    });
    expect(file?.storageKey).toMatch(/^inbound\//);
    expect(Buffer.from((await storage.get(file?.storageKey ?? ''))?.body ?? [])).toEqual(Buffer.from(bytes));
    // Only the largest size was fetched.
    expect(
      telegram()
        .calls.filter((c) => c.method === 'getFile')
        .map((c) => c.payload.file_id),
    ).toEqual(['photo-1-l']);
  });

  it.each([
    ['document', 'document', 'doc-1', 'invoice.pdf', 'Invoice attached'],
    ['voice', 'voice', 'voice-1', 'voice.ogg', null],
    ['audio', 'audio', 'audio-1', 'song.mp3', null],
    ['video', 'video', 'video-1', 'unboxing.mp4', 'Look at this'],
    ['video-note', 'video_note', 'vnote-1', 'video-note.mp4', null],
    ['sticker', 'sticker', 'sticker-1', 'sticker.webp', null],
    ['animation', 'animation', 'anim-1', 'what.gif.mp4', null],
  ])('%s is stored as %s with its file', async (name, kind, fileId, fileName, text) => {
    serveFile(fileId);
    await post(name);
    const [message] = await inbound();
    expect(message).toMatchObject({ contentKind: kind, text });
    const files = await attachmentsOf(message?.id ?? '');
    expect(files).toHaveLength(1);
    expect(files[0]).toMatchObject({ kind, telegramFileId: fileId, fileName, status: 'stored' });
  });

  it.each([
    ['location', 'location', '📍 40.416775, -3.70379'],
    ['venue', 'venue', '📍 Retiro Park\nPlaza de la Independencia, 7, Madrid'],
    ['contact', 'contact', '👤 Luis Perez: +34600111222'],
    ['poll', 'poll', '📊 Which color do you prefer?\n• Red\n• Blue'],
    ['dice', 'unsupported', '🎲 4'],
  ])('%s is stored readably as %s', async (name, kind, text) => {
    await post(name);
    const [message] = await inbound();
    expect(message).toMatchObject({ contentKind: kind, text });
    expect(message?.payload).not.toBeNull();
  });

  it('a reply keeps its link to the message it answers', async () => {
    await post('text-with-entities');
    await post('reply');
    const [first, reply] = await inbound();
    expect(reply).toMatchObject({
      text: 'Thanks, that helps',
      replyToTelegramMessageId: 101,
      replyToMessageId: first?.id,
    });
  });

  it('a file over 20 MB is not downloaded: the operator sees a placeholder, the client is told politely', async () => {
    await post('large-document');
    const [message] = await inbound();
    const [file] = await attachmentsOf(message?.id ?? '');
    expect(file).toMatchObject({
      status: 'too_large',
      fileName: 'backup.zip',
      sizeBytes: 73400320,
      storageKey: null,
    });
    expect(file?.error).toContain('20 MB');
    expect(telegram().calls.some((c) => c.method === 'getFile')).toBe(false);
    const told = telegram().calls.filter((c) => c.method === 'sendMessage' && c.payload.chat_id === CHAT);
    expect(told).toHaveLength(1);
    expect(String(told[0]?.payload.text)).toContain('backup.zip');
    const bot = (await storedMessages()).find((m) => m.senderKind === 'bot');
    expect(bot).toMatchObject({ deliveryStatus: 'sent' });
  });

  it('a download Telegram refuses is recorded on the attachment, not lost', async () => {
    await post('document'); // no file registered: getFile answers 400 invalid file_id
    const [message] = await inbound();
    const [file] = await attachmentsOf(message?.id ?? '');
    expect(file?.status).toBe('failed');
    expect(file?.error).toContain('invalid file_id');
  });

  it('an edit replaces the text, keeps the previous version and marks the message edited', async () => {
    await post('text-with-entities');
    await post('edited-text');
    const [message] = await inbound();
    expect(message?.text).toBe('Hello! My order #123 is very late');
    expect(message?.editedAt).not.toBeNull();
    const history = await db
      .select()
      .from(messageEdits)
      .where(eq(messageEdits.messageId, message?.id ?? ''));
    expect(history.map((h) => h.text)).toEqual(['Hello! My order #123 is late, see https://example.com']);
  });

  it('blocking and unblocking the bot update the client and restore its status', async () => {
    await post('text-with-entities');
    await db.update(clients).set({ status: 'waiting' }).where(eq(clients.telegramUserId, CHAT));
    await post('blocked');
    const [blocked] = await db.select().from(clients).where(eq(clients.telegramUserId, CHAT));
    expect(blocked).toMatchObject({ status: 'blocked', statusBeforeBlock: 'waiting' });
    expect(blocked?.blockedAt).not.toBeNull();
    await post('unblocked');
    const [back] = await db.select().from(clients).where(eq(clients.telegramUserId, CHAT));
    expect(back).toMatchObject({ status: 'waiting', blockedAt: null, statusBeforeBlock: null });
  });

  it('group messages are recorded and acknowledged, not stored as clients', async () => {
    await post('group-message');
    expect(await db.select().from(clients)).toHaveLength(0);
    const [update] = await db.select().from(telegramUpdates);
    expect(update).toMatchObject({ status: 'ignored', error: 'not a private chat with a person' });
  });
});

describe('photo albums', () => {
  async function postAlbum() {
    const bytes = ['album-1-l', 'album-2-l', 'album-3-l'].map((id) => serveFile(id, 4096));
    // Telegram may deliver album items concurrently.
    const responses = await Promise.all(['album-1', 'album-2', 'album-3'].map((n) => postUpdate(fixture(n))));
    expect(responses.map((r) => r.status)).toEqual([200, 200, 200]);
    await settleBackgroundWork();
    return bytes;
  }

  async function expectOneAlbum(bytes: Uint8Array[]) {
    const stored = await inbound();
    expect(stored).toHaveLength(1);
    const [album] = stored;
    expect(album?.contentKind).toBe('album');
    expect(album?.text).toContain('Three angles of the damage');
    expect(album?.text).toContain('And the label');
    const files = await attachmentsOf(album?.id ?? '');
    expect(files).toHaveLength(3);
    expect(files.every((f) => f.status === 'stored')).toBe(true);
    const byFileId = new Map(files.map((f) => [f.telegramFileId, f]));
    expect(byFileId.get('album-1-l')?.caption).toBe('Three angles of the damage');
    expect(byFileId.get('album-3-l')?.caption).toBe('And the label');
    for (const [i, id] of ['album-1-l', 'album-2-l', 'album-3-l'].entries()) {
      const object = await storage.get(byFileId.get(id)?.storageKey ?? '');
      expect(Buffer.from(object?.body ?? [])).toEqual(Buffer.from(bytes[i] ?? []));
    }
    const [client] = await db.select().from(clients).where(eq(clients.telegramUserId, CHAT));
    expect(client?.unreadCount).toBe(1);
  }

  it('becomes one message with three attachments in the local file directory', async () => {
    const bytes = await postAlbum();
    await expectOneAlbum(bytes);
    const files = fs.readdirSync(path.join(uploadsDir, 'inbound'), { recursive: true }).map(String);
    expect(files.filter((f) => f.endsWith('photo.jpg'))).toHaveLength(3);
  });

  describe('on a local S3 server', () => {
    let s3: S3Server;
    beforeAll(async () => {
      s3 = await startS3Server('desk-test-uploads');
    });
    afterAll(async () => {
      await s3.close();
    });

    it('becomes one message with three attachments in the bucket', async () => {
      storage = createS3Storage({ bucket: 'desk-test-uploads', ...s3.options });
      setStorage(storage);
      const bytes = await postAlbum();
      await expectOneAlbum(bytes);
      expect(await s3.listKeys()).toHaveLength(3);
    });
  });
});
