import { createHash, randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Db } from '@/db/client';
import { attachments, clients, messages } from '@/db/schema';
import { settleBackgroundWork } from '@/lib/background';
import { getAttachmentFile } from '@/lib/attachments/get-attachment-file';
import { dispatchOutbound } from '@/lib/jobs/dispatch-outbound';
import { sendOperatorFile } from '@/lib/messages/send-operator-file';
import { setStorage } from '@/lib/storage/get-storage';
import { createLocalStorage } from '@/lib/storage/local-storage';
import { createS3Storage } from '@/lib/storage/s3-storage';
import { objectKey, type FileStorage } from '@/lib/storage/storage';
import { actorFor, makeDepartment, makeOperator } from '../factories';
import { makeClient } from '../factories/messages';
import { getTestDb, resetDb } from '../support/db';
import { startS3Server, type S3Server } from '../support/s3-server';
import { telegram } from '../support/setup-integration';

const BUCKET = 'desk-files-test';
let localDir: string;
let s3: S3Server;
const storages: Record<'local' | 's3', () => FileStorage> = {
  local: () => createLocalStorage(localDir),
  s3: () =>
    createS3Storage({
      bucket: BUCKET,
      endpoint: s3.endpoint,
      region: 'us-east-1',
      accessKeyId: 'S3RVER',
      secretAccessKey: 'S3RVER',
      forcePathStyle: true,
    }),
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

describe('files sent from the dashboard on S3', () => {
  let db: Db;

  beforeEach(async () => {
    await settleBackgroundWork();
    db = await getTestDb();
    await resetDb(db);
    telegram().reset();
  });

  async function chat() {
    const department = await makeDepartment(db, { isDefault: true });
    const operator = await makeOperator(db, { departmentIds: [department.id] });
    const client = await makeClient(db, { departmentId: department.id, assignedOperatorId: operator.id });
    return { client, actor: actorFor(operator, [department.id]) };
  }

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

    await dispatchOutbound([queued]);
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
