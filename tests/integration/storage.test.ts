import { createHash, randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import { GetObjectCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Db } from '@/db/client';
import { attachments, clients, messages } from '@/db/schema';
import { settleBackgroundWork } from '@/lib/background';
import { downloadAttachment } from '@/lib/attachments/download-attachment';
import { getAttachmentFile } from '@/lib/attachments/get-attachment-file';
import { drainOutbox } from '@/lib/outbox/outbox-worker';
import { sendOperatorFile } from '@/lib/messages/send-operator-file';
import { setStorage } from '@/lib/storage/get-storage';
import { createLocalStorage } from '@/lib/storage/local-storage';
import { createS3Client, createS3Storage } from '@/lib/storage/s3-storage';
import { objectKey, type FileStorage } from '@/lib/storage/storage';
import { actorFor, makeDepartment, makeOperator } from '../factories';
import { makeClient, makeInboundMessage } from '../factories/messages';
import { getTestDb, resetDb } from '../support/db';
import { startS3Server, type S3Server } from '../support/s3-server';
import { telegram } from '../support/setup-integration';

const BUCKET = 'desk-files-test';
let localDir: string;
let s3: S3Server;
const storages: Record<'local' | 's3', () => FileStorage> = {
  local: () => createLocalStorage(localDir),
  s3: () => createS3Storage({ bucket: BUCKET, ...s3.options }),
};

beforeAll(async () => {
  localDir = fs.mkdtempSync(path.join(os.tmpdir(), 'desk-storage-'));
  s3 = await startS3Server(BUCKET);
});

afterAll(async () => {
  setStorage(undefined);
  await s3.close();
  fs.rmSync(localDir, { recursive: true, force: true });
});

const sha256 = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');

describe.each(['local', 's3'] as const)('%s storage', (kind) => {
  it('stores, returns and deletes bytes exactly, with their content type', async () => {
    const storage = storages[kind]();
    expect(storage.kind).toBe(kind);
    const bytes = new Uint8Array(randomBytes(3 * 1024 * 1024 + 17));
    const key = objectKey('outbound', 'a1b2c3', 'Отчёт за май (final).pdf');
    expect(key).toMatch(/^outbound\/\d{4}\/\d{2}\/a1b2c3\/[A-Za-z0-9._-]+\.pdf$/);

    await storage.put(key, bytes, { contentType: 'application/pdf' });
    const stored = await storage.get(key);
    expect(stored?.body.length).toBe(bytes.length);
    expect(stored && sha256(stored.body)).toBe(sha256(bytes));
    expect(stored?.contentType).toBe('application/pdf');

    await storage.delete(key);
    expect(await storage.get(key)).toBeNull();
    await expect(storage.delete(key)).resolves.toBeUndefined();
  });

  it('answers null for a missing object and refuses keys that could leave the upload root', async () => {
    const storage = storages[kind]();
    expect(await storage.get('outbound/2026/01/none/missing.bin')).toBeNull();
    await expect(storage.put('../escape.txt', new Uint8Array([1]))).rejects.toThrow('Unsafe storage key');
    await expect(storage.get('outbound/../../etc/passwd')).rejects.toThrow('Unsafe storage key');
    // A hostile file name stays one harmless segment under its id.
    const key = objectKey('inbound', 'id', '../../etc/passwd');
    expect(key.split('/')).toEqual([
      'inbound',
      expect.stringMatching(/^\d{4}$/),
      expect.stringMatching(/^\d{2}$/),
      'id',
      '_.._etc_passwd',
    ]);
  });
});

/**
 * A body the SDK cannot measure in advance goes out aws-chunked under its default checksums.
 * The app itself puts buffered bytes (Telegram downloads are capped at 20 MB, dashboard uploads
 * at 50 MB); these tests pin the client settings a stream needs, so that streaming added later
 * cannot store objects with the chunk framing inside, which is what s3rver 3.x did silently.
 */
describe('streamed uploads to S3', () => {
  const size = 4 * 1024 * 1024 + 123;
  const streamOf = (bytes: Uint8Array) =>
    Readable.from(
      (function* () {
        for (let at = 0; at < bytes.length; at += 64 * 1024) yield bytes.subarray(at, at + 64 * 1024);
      })(),
    );

  it("go through the app's S3 client byte-exact", async () => {
    const bytes = new Uint8Array(randomBytes(size));
    const key = objectKey('inbound', 'streamed', 'big.bin');
    const client = createS3Client(s3.options);
    try {
      await client.send(
        new PutObjectCommand({
          Bucket: BUCKET,
          Key: key,
          Body: streamOf(bytes),
          ContentLength: bytes.length,
        }),
      );
    } finally {
      client.destroy();
    }
    const stored = await storages.s3().get(key);
    expect(stored?.body.length).toBe(bytes.length);
    expect(stored && sha256(stored.body)).toBe(sha256(bytes));
  });

  it("with the SDK's default checksums are refused by the test server, not stored framed", async () => {
    const bytes = new Uint8Array(randomBytes(size));
    const key = objectKey('inbound', 'streamed', 'framed.bin');
    const client = new S3Client({
      region: 'us-east-1',
      endpoint: s3.endpoint,
      forcePathStyle: true,
      credentials: { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' },
      // The SDK warns on stderr about the failed streaming request; the assertion says it all.
      logger: { debug: () => {}, info: () => {}, warn: () => {}, error: () => {} },
    });
    try {
      await expect(
        client.send(
          new PutObjectCommand({
            Bucket: BUCKET,
            Key: key,
            Body: streamOf(bytes),
            ContentLength: bytes.length,
          }),
        ),
      ).rejects.toMatchObject({ name: 'InvalidArgument', $metadata: { httpStatusCode: 400 } });
      await expect(client.send(new GetObjectCommand({ Bucket: BUCKET, Key: key }))).rejects.toMatchObject({
        name: 'NoSuchKey',
      });
    } finally {
      client.destroy();
    }
  });
});

let db: Db;

async function freshDb() {
  await settleBackgroundWork();
  db = await getTestDb();
  await resetDb(db);
  telegram().reset();
}

async function chat() {
  const department = await makeDepartment(db, { isDefault: true });
  const operator = await makeOperator(db, { departmentIds: [department.id] });
  const client = await makeClient(db, { departmentId: department.id, assignedOperatorId: operator.id });
  return { client, actor: actorFor(operator, [department.id]) };
}

describe('files downloaded from Telegram on S3', () => {
  beforeEach(freshDb);

  it('land in the bucket byte-exact and are served back', async () => {
    setStorage(storages.s3());
    const { client, actor } = await chat();
    const bytes = new Uint8Array(randomBytes(5 * 1024 * 1024 + 7));
    telegram().addFile('scan-file-id', { bytes });
    const { attachment } = await makeInboundMessage(db, {
      client,
      attachment: {
        kind: 'document',
        status: 'pending',
        telegramFileId: 'scan-file-id',
        fileName: 'scan.pdf',
        mimeType: 'application/pdf',
      },
    });
    if (!attachment) throw new Error('attachment missing');

    expect(await downloadAttachment({ attachmentId: attachment.id, db })).toEqual({
      status: 'stored',
    });
    const [row] = await db.select().from(attachments).where(eq(attachments.id, attachment.id));
    expect(row).toMatchObject({ status: 'stored', sizeBytes: bytes.length });
    expect(await s3.listKeys()).toContain(row?.storageKey);
    const file = await getAttachmentFile({ db, actor, input: { attachmentId: attachment.id } });
    expect(file.body.length).toBe(bytes.length);
    expect(sha256(file.body)).toBe(sha256(bytes));
    expect(file.contentType).toBe('application/pdf');
  });
});

describe('files sent from the dashboard on S3', () => {
  beforeEach(freshDb);

  it('are stored in the bucket, uploaded to Telegram intact and served back', async () => {
    setStorage(storages.s3());
    const { client, actor } = await chat();
    const bytes = new Uint8Array(randomBytes(256 * 1024));
    const queued = await sendOperatorFile({
      db,
      actor,
      input: { clientId: client.id, fileName: 'contract.pdf', contentType: 'application/pdf', bytes },
    });
    const [attachment] = await db
      .select()
      .from(attachments)
      .where(eq(attachments.messageId, queued.messageId));
    if (!attachment) throw new Error('attachment missing');
    expect(await s3.listKeys()).toContain(attachment.storageKey);

    await drainOutbox();
    const [upload] = telegram().calls.filter((c) => c.method === 'sendDocument');
    expect(upload?.payload.document).toMatchObject({ name: 'contract.pdf', sha256: sha256(bytes) });
    const file = await getAttachmentFile({ db, actor, input: { attachmentId: attachment.id } });
    expect(sha256(file.body)).toBe(sha256(bytes));
    expect(file).toMatchObject({ contentType: 'application/pdf', disposition: 'attachment' });
  });

  it('are removed from the bucket again when the message cannot be stored', async () => {
    const s3Storage = storages.s3();
    const { client, actor } = await chat();
    const before = await s3.listKeys();
    // The client blocks the bot while the upload is in flight: the transaction refuses the send.
    setStorage({
      ...s3Storage,
      put: async (key, body, options) => {
        await s3Storage.put(key, body, options);
        expect(await s3.listKeys()).toContain(key);
        await db.update(clients).set({ status: 'blocked' }).where(eq(clients.id, client.id));
      },
    });
    await expect(
      sendOperatorFile({
        db,
        actor,
        input: { clientId: client.id, fileName: 'late.pdf', bytes: new Uint8Array([1, 2, 3]) },
      }),
    ).rejects.toMatchObject({ code: 'conflict' });
    expect(await s3.listKeys()).toEqual(before);
    expect(await db.select().from(messages)).toHaveLength(0);
  });
});
