import { format } from 'node:util';
import { count, eq } from 'drizzle-orm';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { openDb, setDbHandle, type Db } from '@/db/client';
import { clients, conversations, messages, operatorLogs, telegramUpdates, telegramUsers } from '@/db/schema';
import { makeDepartment, makeOperator, textUpdate } from '../factories';
import { getTestDb, resetDb, testDbKind } from '../support/db';
import { telegram } from '../support/setup-integration';
import { postUpdate, WEBHOOK_SECRET, webhookUrl } from '../support/webhook';
import { settleBackgroundWork } from '@/lib/background';

let db: Db;

async function countRows(table: typeof clients | typeof telegramUpdates | typeof telegramUsers) {
  const [row] = await db.select({ n: count() }).from(table);
  return row?.n ?? 0;
}

async function countInbound() {
  const [row] = await db.select({ n: count() }).from(messages).where(eq(messages.direction, 'inbound'));
  return row?.n ?? 0;
}

beforeEach(async () => {
  await settleBackgroundWork();
  db = await getTestDb();
  await resetDb(db);
  telegram().reset();
});

describe('POST /api/telegram/webhook', () => {
  it('rejects a missing or wrong secret with 401 and stores nothing', async () => {
    const missing = await postUpdate(textUpdate({ id: 1 }, 'hi'), null);
    const wrong = await postUpdate(textUpdate({ id: 1 }, 'hi'), 'not-the-secret');
    const almost = await postUpdate(textUpdate({ id: 1 }, 'hi'), 'test-webhook-secreT');
    expect([missing.status, wrong.status, almost.status]).toEqual([401, 401, 401]);
    expect(wrong.headers.get('content-type')).toBe('application/problem+json');
    expect(await countRows(telegramUpdates)).toBe(0);
    expect(await countInbound()).toBe(0);
    expect(await countRows(clients)).toBe(0);
  });

  it('stores a private text message: user, client, conversation, message, assignment', async () => {
    const department = await makeDepartment(db, { isDefault: true });
    const operator = await makeOperator(db, { departmentIds: [department.id] });
    const update = textUpdate(
      { id: 4242, first_name: 'Alice', username: 'alice', language_code: 'en' },
      'I need help <now> & then',
    );
    const response = await postUpdate(update);
    expect(response.status).toBe(200);

    const [user] = await db.select().from(telegramUsers).where(eq(telegramUsers.id, 4242));
    expect(user).toMatchObject({ firstName: 'Alice', username: 'alice', languageCode: 'en' });
    const [client] = await db.select().from(clients).where(eq(clients.telegramUserId, 4242));
    expect(client).toMatchObject({
      displayName: 'Alice',
      status: 'new',
      departmentId: department.id,
      assignedOperatorId: operator.id,
      unreadCount: 1,
      language: 'en',
    });
    const stored = await db
      .select()
      .from(messages)
      .where(eq(messages.clientId, client?.id ?? ''));
    expect(stored).toHaveLength(1);
    expect(stored[0]).toMatchObject({
      direction: 'inbound',
      senderKind: 'client',
      contentKind: 'text',
      text: 'I need help <now> & then',
      telegramChatId: 4242,
      telegramMessageId: update.message.message_id,
      deliveryStatus: null,
    });
    const [conversation] = await db
      .select()
      .from(conversations)
      .where(eq(conversations.clientId, client?.id ?? ''));
    expect(conversation).toMatchObject({
      status: 'open',
      operatorId: operator.id,
      departmentId: department.id,
    });
    const [audit] = await db.select().from(operatorLogs).where(eq(operatorLogs.action, 'client.assigned'));
    expect(audit).toMatchObject({ actorType: 'telegram', targetId: client?.id, telegramUserId: 4242 });
  });

  it('processes the same update once when Telegram delivers it three times', async () => {
    await makeDepartment(db, { isDefault: true });
    const update = textUpdate({ id: 77 }, 'once please');
    const statuses = [];
    for (let i = 0; i < 3; i++) statuses.push((await postUpdate(update)).status);
    expect(statuses).toEqual([200, 200, 200]);
    expect(await countInbound()).toBe(1);
    expect(await countRows(telegramUpdates)).toBe(1);
    const [client] = await db.select().from(clients);
    expect(client?.unreadCount).toBe(1);
  });

  it('does not duplicate a message redelivered under a new update_id', async () => {
    await makeDepartment(db, { isDefault: true });
    await postUpdate(textUpdate({ id: 78 }, 'same', { update_id: 1, message_id: 5 }));
    await postUpdate(textUpdate({ id: 78 }, 'same', { update_id: 2, message_id: 5 }));
    expect(await countInbound()).toBe(1);
    const [client] = await db.select().from(clients);
    expect(client?.unreadCount).toBe(1);
  });

  it('answers 200 to malformed JSON and records it, without retry', async () => {
    const response = await postUpdate('{"update_id": 12, "message": ');
    expect(response.status).toBe(200);
    const rows = await db.select().from(telegramUpdates);
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ kind: 'malformed', status: 'ignored', updateId: null });
    expect(await countInbound()).toBe(0);
  });

  it('records an oversized body as malformed without parsing it', async () => {
    const big = JSON.stringify(textUpdate({ id: 13 }, 'x'.repeat(1_100_000)));
    const response = await postUpdate(big);
    expect(response.status).toBe(200);
    const rows = await db.select().from(telegramUpdates);
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ kind: 'malformed', status: 'ignored', updateId: null });
    expect(rows[0]?.payload).toEqual({ __oversized: Buffer.byteLength(big) });
    expect(await countInbound()).toBe(0);
  });

  it('answers other methods with 405 and stores nothing', async () => {
    const response = await fetch(await webhookUrl(), {
      headers: { 'x-telegram-bot-api-secret-token': WEBHOOK_SECRET },
    });
    expect(response.status).toBe(405);
    expect(response.headers.get('allow')).toBe('POST');
    expect(await countRows(telegramUpdates)).toBe(0);
  });

  it('answers 200 to an unknown update type and records it once', async () => {
    const body = { update_id: 99, chat_boost: { chat: { id: -1 } } };
    expect((await postUpdate(body)).status).toBe(200);
    expect((await postUpdate(body)).status).toBe(200);
    const rows = await db.select().from(telegramUpdates);
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ updateId: 99, kind: 'chat_boost', status: 'ignored' });
    expect(rows[0]?.payload).toEqual(body);
  });

  it('keeps non-text messages instead of dropping them', async () => {
    await makeDepartment(db, { isDefault: true });
    const update = textUpdate({ id: 79 }, 'x');
    const { text: _text, ...rest } = update.message;
    const body = {
      update_id: update.update_id,
      message: { ...rest, location: { latitude: 52.5, longitude: 13.4 } },
    };
    expect((await postUpdate(body)).status).toBe(200);
    const [stored] = await db.select().from(messages);
    expect(stored).toMatchObject({
      contentKind: 'location',
      payload: { location: { latitude: 52.5, longitude: 13.4 } },
    });
  });

  it('queues a client when nobody is online and sends the department auto-reply once', async () => {
    const department = await makeDepartment(db, {
      isDefault: true,
      autoReplyQueued: { en: 'Busy, hold on!' },
    });
    await makeOperator(db, { departmentIds: [department.id], status: 'offline' });
    await postUpdate(textUpdate({ id: 80, language_code: 'en' }, 'anyone?'));
    await postUpdate(textUpdate({ id: 80, language_code: 'en' }, 'hello??'));
    const [client] = await db.select().from(clients);
    expect(client?.assignedOperatorId).toBeNull();
    expect(client?.queuedAt).not.toBeNull();
    await settleBackgroundWork();
    const autoReplies = await db.select().from(messages).where(eq(messages.senderKind, 'bot'));
    expect(autoReplies).toHaveLength(1);
    expect(autoReplies[0]).toMatchObject({
      deliveryStatus: 'sent',
      direction: 'outbound',
      telegramChatId: 80,
    });
    expect(
      telegram()
        .calls.filter((c) => c.method === 'sendMessage')
        .map((c) => c.payload.text),
    ).toEqual(['Busy, hold on!']);
  });

  it('answers 5xx when the database is down, so Telegram retries', async () => {
    // A pool pointed at a port where no database listens: every query fails to connect.
    const broken = await openDb({ databaseUrl: 'postgres://postgres@127.0.0.1:9/unreachable' });
    setDbHandle(broken);
    try {
      const response = await postUpdate(textUpdate({ id: 81 }, 'is anyone there'));
      expect(response.status).toBe(503);
      expect(response.headers.get('content-type')).toBe('application/problem+json');
    } finally {
      await broken.close();
      db = await getTestDb();
    }
    expect(await countInbound()).toBe(0);
  });

  it.skipIf(testDbKind() !== 'postgres')(
    'answers 503 when the update is not stored within the deadline; a late commit stays single',
    async () => {
      await makeDepartment(db, { isDefault: true });
      const update = textUpdate({ id: 89 }, 'stuck behind a lock');
      // Another transaction holds the same update_id, uncommitted: the webhook's claim waits.
      let release = () => {};
      const released = new Promise<void>((resolve) => (release = resolve));
      let holding = () => {};
      const held = new Promise<void>((resolve) => (holding = resolve));
      const blocker = db.transaction(async (tx) => {
        await tx
          .insert(telegramUpdates)
          .values({ updateId: update.update_id, kind: 'message', status: 'processed' });
        holding();
        await released;
        tx.rollback();
      });
      // The webhook is called only once the row is held (on a busy machine the call could
      // otherwise claim the update first and store it within the deadline).
      await held;
      try {
        const response = await postUpdate(update);
        expect(response.status).toBe(503);
      } finally {
        release();
        await blocker.catch(() => undefined); // rollback() throws by design
      }
      // The webhook's work went on after its answer and commits; Telegram's next delivery is a
      // duplicate, and the message is stored once.
      await expect.poll(countInbound, { timeout: 5000 }).toBe(1);
      expect((await postUpdate(update)).status).toBe(200);
      expect(await countInbound()).toBe(1);
      expect(await countRows(telegramUpdates)).toBe(1);
    },
    20_000,
  );
});

describe('poison updates', () => {
  let logged: string[] = [];

  beforeEach(async () => {
    const department = await makeDepartment(db, { isDefault: true });
    await makeOperator(db, { departmentIds: [department.id] });
    logged = [];
    for (const method of ['error', 'warn', 'log', 'info'] as const) {
      vi.spyOn(console, method).mockImplementation((...args: unknown[]) => {
        logged.push(format(...args));
      });
    }
  });

  afterEach(() => {
    vi.restoreAllMocks();
    // Whatever happened, no raw NUL reached the log.
    expect(logged.filter((line) => line.includes('\u0000'))).toEqual([]);
  });

  /** POSTs a body given as JSON text, so keys like "__proto__" reach the webhook as sent. */
  const postRaw = (json: string) => postUpdate(json);

  async function updateRow(updateId: number) {
    const rows = await db.select().from(telegramUpdates).where(eq(telegramUpdates.updateId, updateId));
    expect(rows).toHaveLength(1);
    return rows[0];
  }

  it('keeps a message whose text contains NUL characters Postgres would refuse', async () => {
    expect((await postUpdate(textUpdate({ id: 82 }, 'a\u0000b'))).status).toBe(200);
    const [stored] = await db.select().from(messages);
    expect(stored?.text).toBe('ab');
  });

  it('stores bodies with NUL in a key or a name and lone surrogates, cleaned, and answers 200', async () => {
    const update = textUpdate({ id: 84, first_name: 'Ann' }, 'hi');
    const nulKey = JSON.stringify({
      ...update,
      message: { ...update.message, 'x\u0000y': { 'k\u0000': 'v\u0000' } },
    });
    expect((await postRaw(nulKey)).status).toBe(200);
    expect(await updateRow(update.update_id)).toMatchObject({ status: 'processed' });

    const named = textUpdate({ id: 85, first_name: 'B\u0000ob\ud800' }, 'lone \udc00 surrogate \ud83d');
    expect((await postUpdate(named)).status).toBe(200);
    expect(await updateRow(named.update_id)).toMatchObject({ status: 'processed' });
    const [user] = await db.select().from(telegramUsers).where(eq(telegramUsers.id, 85));
    expect(user?.firstName).toBe('Bob\uFFFD');
    const [stored] = await db.select().from(messages).where(eq(messages.telegramChatId, 85));
    expect(stored?.text).toBe('lone \uFFFD surrogate \uFFFD');

    // An unknown kind keeps its payload: cleaned the same way, keys included.
    const payload = '{"update_id": 86, "chat_boost": {"n\\u0000ame": "x\\ud800", "a": "\\u0000"}}';
    expect((await postRaw(payload)).status).toBe(200);
    expect(await updateRow(86)).toMatchObject({
      status: 'ignored',
      payload: { update_id: 86, chat_boost: { name: 'x\uFFFD', a: '' } },
    });
  });

  it('records update kinds named like Object.prototype members as unknown kinds', async () => {
    const kinds = ['constructor', '__proto__', 'toString', 'hasOwnProperty', 'valueOf'];
    for (const [i, kind] of kinds.entries()) {
      const response = await postRaw(`{"update_id": ${900 + i}, "${kind}": {"chat": {"id": 1}}}`);
      expect(response.status, kind).toBe(200);
      expect(await updateRow(900 + i)).toMatchObject({ kind, status: 'ignored' });
    }
    expect(({} as Record<string, unknown>).chat).toBeUndefined();
  });

  it('refuses impossible ids as malformed: recorded, acknowledged, nothing created', async () => {
    const forged = [
      textUpdate({ id: 0 }, 'user zero'),
      textUpdate({ id: -7 }, 'negative user'),
      (() => {
        const update = textUpdate({ id: 87 }, "in somebody else's chat");
        return { ...update, message: { ...update.message, chat: { id: 88, type: 'private' } } };
      })(),
    ];
    for (const body of forged) {
      expect((await postUpdate(body)).status).toBe(200);
      const row = await updateRow(body.update_id);
      expect(row).toMatchObject({ kind: 'message', status: 'ignored' });
      expect(row?.error).toMatch(/^malformed: /);
    }
    expect(await countRows(clients)).toBe(0);
    expect(await countRows(telegramUsers)).toBe(0);
    expect(await countInbound()).toBe(0);
  });

  it('records an update that makes its handler fail as `failed` and still answers 200', async () => {
    // A date far outside what JavaScript can represent makes the handler throw a RangeError: not
    // a database error, so it is tried once more on a database that answers, then recorded.
    const update = textUpdate({ id: 83 }, 'from the far future');
    const body = { ...update, message: { ...update.message, date: 9_000_000_000_000_000, text: 'x\u0000y' } };
    const response = await postUpdate(body);
    expect(response.status).toBe(200);
    const rows = await db.select().from(telegramUpdates);
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ updateId: update.update_id, kind: 'message', status: 'failed' });
    expect(rows[0]?.error).toBeTruthy();
    expect(await countInbound()).toBe(0);
    // A redelivery runs it again (a `failed` row never swallows one); it fails the same way and
    // is acknowledged again: no loop, still one row.
    expect((await postUpdate(body)).status).toBe(200);
    expect(await db.select().from(telegramUpdates)).toHaveLength(1);
    expect(logged.filter((line) => line.includes('failed and was recorded'))).toHaveLength(2);
  });
});

describe('an update recorded `failed` earlier', () => {
  beforeEach(async () => {
    const department = await makeDepartment(db, { isDefault: true });
    await makeOperator(db, { departmentIds: [department.id] });
  });

  const failed = (updateId: number) =>
    db
      .insert(telegramUpdates)
      .values({ updateId, kind: 'message', status: 'failed', error: 'write CONNECTION_CLOSED' });

  it('is processed when delivered again, on every path', async () => {
    // A stranger's first message (new-client path), a known client's next message (one
    // statement), a file (full path): each was left `failed` by an earlier delivery.
    const first = textUpdate({ id: 91 }, 'first', { update_id: 501, message_id: 1 });
    await failed(501);
    expect((await postUpdate(first)).status).toBe(200);

    const next = textUpdate({ id: 91 }, 'next', { update_id: 502, message_id: 2 });
    await failed(502);
    expect((await postUpdate(next)).status).toBe(200);

    const photo = textUpdate({ id: 91 }, 'x', { update_id: 503, message_id: 3 });
    const { text: _text, ...rest } = photo.message;
    await failed(503);
    const withPhoto = {
      ...photo,
      message: { ...rest, photo: [{ file_id: 'f', file_unique_id: 'u', width: 1, height: 1 }] },
    };
    expect((await postUpdate(withPhoto)).status).toBe(200);

    const rows = await db.select().from(telegramUpdates).orderBy(telegramUpdates.updateId);
    expect(rows.map((r) => [r.updateId, r.status, r.error])).toEqual([
      [501, 'processed', null],
      [502, 'processed', null],
      [503, 'processed', null],
    ]);
    const stored = await db.select().from(messages).where(eq(messages.direction, 'inbound'));
    expect(stored.map((m) => m.telegramMessageId).sort()).toEqual([1, 2, 3]);
    // And once processed, a further delivery is the usual duplicate.
    expect((await postUpdate(next)).status).toBe(200);
    expect(await countInbound()).toBe(3);
    await settleBackgroundWork();
  });
});

describe('messages of a client already in a conversation (single-statement path)', () => {
  beforeEach(async () => {
    const department = await makeDepartment(db, { isDefault: true });
    await makeOperator(db, { departmentIds: [department.id] });
    await postUpdate(textUpdate({ id: 90 }, 'first', { update_id: 1, message_id: 1 }));
  });

  it('stores each message once, counts unread, keeps reply links and ignores redeliveries', async () => {
    await postUpdate(textUpdate({ id: 90 }, 'second', { update_id: 2, message_id: 2 }));
    const reply = textUpdate({ id: 90 }, 'third', { update_id: 3, message_id: 3 });
    const body = {
      ...reply,
      message: {
        ...reply.message,
        reply_to_message: { message_id: 1, date: 1, chat: { id: 90, type: 'private' } },
      },
    };
    for (let i = 0; i < 3; i++) expect((await postUpdate(body)).status).toBe(200);
    // The same Telegram message under a new update_id.
    await postUpdate(textUpdate({ id: 90 }, 'second', { update_id: 4, message_id: 2 }));

    const stored = await db
      .select()
      .from(messages)
      .where(eq(messages.direction, 'inbound'))
      .orderBy(messages.telegramMessageId);
    expect(stored.map((m) => m.text)).toEqual(['first', 'second', 'third']);
    expect(stored[2]?.replyToMessageId).toBe(stored[0]?.id);
    expect(new Set(stored.map((m) => m.conversationId)).size).toBe(1);
    const [client] = await db.select().from(clients);
    expect(client?.unreadCount).toBe(3);
    expect((await db.select().from(telegramUpdates)).map((u) => u.updateId).sort()).toEqual([1, 2, 3, 4]);
  });

  it('reopens a resolved client in a new episode instead of appending to the old one', async () => {
    await db.update(clients).set({ status: 'resolved' });
    await postUpdate(textUpdate({ id: 90 }, 'back again', { update_id: 5, message_id: 5 }));
    const [client] = await db.select().from(clients);
    expect(client?.status).toBe('new');
    const stored = await db.select().from(messages).where(eq(messages.direction, 'inbound'));
    expect(new Set(stored.map((m) => m.conversationId)).size).toBe(2);
    expect((await db.select().from(conversations)).length).toBe(2);
  });
});

describe('concurrent messages of one client on both paths', () => {
  it('stores every first message of new clients arriving together, once, with one assignment each', async () => {
    const department = await makeDepartment(db, { isDefault: true });
    await makeOperator(db, { departmentIds: [department.id], capacity: 100 });
    await makeOperator(db, { departmentIds: [department.id], capacity: 100 });
    const users = Array.from({ length: 20 }, (_, i) => 96_000 + i);
    const first = (id: number, n: number, extra: Record<string, unknown>) => ({
      update_id: id * 10 + n,
      message: {
        message_id: n,
        date: Math.floor(Date.now() / 1000),
        chat: { id, type: 'private' },
        from: { id, is_bot: false, first_name: 'New', language_code: 'en' },
        ...extra,
      },
    });
    // Per new user, at the same moment: a photo (full path), two texts (new-client path) and a
    // repeat delivery of one of them (same update_id).
    const responses = await Promise.all(
      users.flatMap((id) => [
        postUpdate(
          first(id, 1, { photo: [{ file_id: `f${id}`, file_unique_id: `u${id}`, width: 1, height: 1 }] }),
        ),
        postUpdate(first(id, 2, { text: 'hello' })),
        postUpdate(first(id, 3, { text: 'anyone?' })),
        postUpdate(first(id, 3, { text: 'anyone?' })),
      ]),
    );
    expect(responses.map((r) => r.status).filter((s) => s !== 200)).toEqual([]);
    expect(await db.select().from(telegramUpdates).where(eq(telegramUpdates.status, 'failed'))).toHaveLength(
      0,
    );
    expect(await countRows(clients)).toBe(users.length);
    expect(await countInbound()).toBe(users.length * 3);
    const stored = await db.select().from(clients);
    expect(stored.every((c) => c.assignedOperatorId !== null && c.unreadCount === 3)).toBe(true);
    expect(await db.select().from(conversations)).toHaveLength(users.length);
    const assigned = await db.select().from(operatorLogs).where(eq(operatorLogs.action, 'client.assigned'));
    expect(assigned).toHaveLength(users.length);
    await settleBackgroundWork();
  });

  it('counts a message once when its update is delivered several times at the same moment', async () => {
    const department = await makeDepartment(db, { isDefault: true });
    await makeOperator(db, { departmentIds: [department.id], capacity: 50 });
    const users = Array.from({ length: 10 }, (_, i) => 97_000 + i);
    for (const id of users) await postUpdate(textUpdate({ id }, 'hello', { update_id: id, message_id: 1 }));
    for (let round = 2; round <= 4; round++) {
      await Promise.all(
        users.flatMap((id) =>
          Array.from({ length: 4 }, () =>
            postUpdate(
              textUpdate({ id }, `again ${round}`, { update_id: id * 10 + round, message_id: round }),
            ),
          ),
        ),
      );
    }
    expect(await countInbound()).toBe(users.length * 4);
    const unread = (await db.select().from(clients)).map((c) => c.unreadCount);
    expect(unread).toEqual(users.map(() => 4));
    await settleBackgroundWork();
  });

  it('never deadlock: a file (full path) and a text (single statement) at the same moment', async () => {
    const department = await makeDepartment(db, { isDefault: true });
    await makeOperator(db, { departmentIds: [department.id], capacity: 50 });
    const users = Array.from({ length: 20 }, (_, i) => 95_000 + i);
    let next = 100;
    const update = (id: number, extra: Record<string, unknown>) => {
      next += 1;
      return {
        update_id: next,
        message: {
          message_id: next,
          date: Math.floor(Date.now() / 1000),
          chat: { id, type: 'private' },
          from: { id, is_bot: false, first_name: 'Same', language_code: 'en' },
          ...extra,
        },
      };
    };
    for (const id of users) await postUpdate(update(id, { text: 'hello' }));
    const statuses: number[] = [];
    for (let round = 0; round < 10; round++) {
      const responses = await Promise.all(
        users.flatMap((id) => [
          postUpdate(
            update(id, { photo: [{ file_id: `p${next}`, file_unique_id: `u${next}`, width: 1, height: 1 }] }),
          ),
          postUpdate(update(id, { text: `text ${round}` })),
        ]),
      );
      statuses.push(...responses.map((r) => r.status));
    }
    expect(statuses.every((s) => s === 200)).toBe(true);
    expect(await db.select().from(telegramUpdates).where(eq(telegramUpdates.status, 'failed'))).toHaveLength(
      0,
    );
    expect(await countInbound()).toBe(users.length * 21);
    await settleBackgroundWork();
  });
});
