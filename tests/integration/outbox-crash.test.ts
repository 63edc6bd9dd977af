import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { eq, inArray } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDb, setDbHandle, type Db, type DbHandle } from '@/db/client';
import { attachments, clients, messages, outbox } from '@/db/schema';
import { settleBackgroundWork } from '@/lib/background';
import { drainOutbox } from '@/lib/outbox/outbox-worker';
import { createLocalStorage } from '@/lib/storage/local-storage';
import { setStorage } from '@/lib/storage/get-storage';
import { makeDepartment, textUpdate } from '../factories';
import { getTestDb, resetDb, testDbKind } from '../support/db';
import { telegram } from '../support/setup-integration';

const CLIENTS = 20;
const FIRST_CHAT = 720_000;
let uploadsDir: string;
let pgliteDir: string | undefined;

beforeAll(() => {
  uploadsDir = fs.mkdtempSync(path.join(os.tmpdir(), 'desk-crash-uploads-'));
  setStorage(createLocalStorage(uploadsDir));
});

afterAll(async () => {
  setStorage(undefined);
  fs.rmSync(uploadsDir, { recursive: true, force: true });
  if (pgliteDir) {
    fs.rmSync(pgliteDir, { recursive: true, force: true });
    fs.rmSync(`${pgliteDir}.lock`, { recursive: true, force: true });
  }
  await getTestDb(); // the suite's database is the process-wide one again
});

/** A photo message as Telegram sends it (the file is served by the recording Bot API). */
function photoUpdate(chatId: number, fileId: string) {
  const update = textUpdate({ id: chatId }, '');
  const { text: _text, ...message } = update.message;
  return {
    update_id: update.update_id,
    message: {
      ...message,
      caption: 'see photo',
      photo: [{ file_id: fileId, file_unique_id: `u-${fileId}`, width: 90, height: 90, file_size: 3 }],
    },
  };
}

/**
 * Runs tests/support/outbox-crash-child.ts on `env`'s database: it stores `updates` (each
 * committed) and reports it; then it is killed with SIGKILL before it dispatched anything.
 */
async function storeThenKill(updates: unknown[], env: Record<string, string>): Promise<void> {
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', path.join('tests', 'support', 'outbox-crash-child.ts'), JSON.stringify(updates)],
    { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  await new Promise<void>((resolve, reject) => {
    child.stdout.on('data', (chunk: Buffer) => {
      if (chunk.toString().includes('committed')) {
        child.kill('SIGKILL');
        resolve();
      }
    });
    child.on('exit', (code, signal) => {
      if (signal !== 'SIGKILL') reject(new Error(`child exited ${code}: ${stderr}`));
    });
  });
  await new Promise((resolve) =>
    child.exitCode !== null || child.signalCode ? resolve(null) : child.on('exit', resolve),
  );
}

describe('a crash between commit and dispatch', () => {
  it('loses nothing: after restart every queued send is delivered exactly once and every download is done', async () => {
    await settleBackgroundWork();
    const testDb = await getTestDb();
    await resetDb(testDb);
    telegram().reset();
    for (let i = 0; i < CLIENTS; i++)
      telegram().addFile(`crash-photo-${i}`, { bytes: new Uint8Array([1, 2, i]) });

    // The killed process's database: the suite's Postgres database, or a PGlite directory
    // (an in-memory PGlite dies with its process).
    let db: Db;
    let handle: DbHandle | undefined;
    const updates = Array.from({ length: CLIENTS }, (_, i) =>
      photoUpdate(FIRST_CHAT + i, `crash-photo-${i}`),
    );
    if (testDbKind() === 'postgres') {
      db = testDb;
      await makeDepartment(db, { isDefault: true }); // nobody online: each gets the queue auto-reply
      await storeThenKill(updates, {});
    } else {
      pgliteDir = fs.mkdtempSync(path.join(os.tmpdir(), 'desk-crash-pglite-'));
      const setup = await openDb({ pgliteDir });
      await makeDepartment(setup.db, { isDefault: true });
      await setup.close();
      await storeThenKill(updates, { PGLITE_DIR: pgliteDir, DATABASE_URL: '' });
      // "Restart": a new process opens the directory (its lock is taken over once stale).
      await new Promise((resolve) => setTimeout(resolve, 11_000));
      handle = await openDb({ pgliteDir });
      setDbHandle(handle);
      db = handle.db;
    }

    try {
      // Committed, never dispatched: every send and download waits in the outbox.
      const stored = await db.select({ id: clients.id }).from(clients);
      expect(stored).toHaveLength(CLIENTS);
      const pending = await db.select().from(outbox);
      expect(pending.filter((r) => r.kind === 'send_message')).toHaveLength(CLIENTS);
      expect(pending.filter((r) => r.kind === 'download_attachment')).toHaveLength(CLIENTS);
      expect(telegram().calls.filter((c) => c.method === 'sendMessage')).toEqual([]);

      // The restarted process's sweep (what startOutboxWorker runs a second after start).
      await drainOutbox(async () => db);
      await drainOutbox(async () => db); // a second sweep finds nothing to do again

      const replies = await db
        .select({ chatId: messages.telegramChatId, status: messages.deliveryStatus })
        .from(messages)
        .where(eq(messages.direction, 'outbound'));
      expect(replies).toHaveLength(CLIENTS);
      expect(replies.every((r) => r.status === 'sent')).toBe(true);
      const sent = telegram().calls.filter((c) => c.method === 'sendMessage');
      const perChat = new Map<unknown, number>();
      for (const call of sent)
        perChat.set(call.payload.chat_id, (perChat.get(call.payload.chat_id) ?? 0) + 1);
      expect(perChat.size).toBe(CLIENTS);
      expect([...perChat.values()].every((n) => n === 1)).toBe(true); // exactly once

      const files = await db.select().from(attachments);
      expect(files).toHaveLength(CLIENTS);
      expect(files.every((f) => f.status === 'stored' && f.storageKey)).toBe(true);
      for (const file of files) {
        expect(fs.existsSync(path.join(uploadsDir, file.storageKey ?? 'missing'))).toBe(true);
      }
      expect(
        await db
          .select()
          .from(outbox)
          .where(inArray(outbox.kind, ['send_message', 'download_attachment'])),
      ).toEqual([]);
    } finally {
      if (handle) {
        setDbHandle(undefined);
        await handle.close();
      }
    }
  }, 90_000);
});
