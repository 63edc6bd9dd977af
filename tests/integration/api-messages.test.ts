import { createHash, randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { and, eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Db } from '@/db/client';
import { messages, operatorLogs, type OperatorRole } from '@/db/schema';
import { createApiToken } from '@/lib/api-tokens/create-api-token';
import { systemActor } from '@/lib/auth/actor';
import { settleBackgroundWork } from '@/lib/background';
import { messageTextMatches } from '@/lib/messages/list-messages';
import { setStorage } from '@/lib/storage/get-storage';
import { createLocalStorage } from '@/lib/storage/local-storage';
import type { FileStorage } from '@/lib/storage/storage';
import { makeDepartment, makeOperator } from '../factories';
import { makeClient, makeInboundMessage } from '../factories/messages';
import { apiBaseUrl, sessionCookie } from '../support/api-server';
import { getTestDb, resetDb, testDbKind } from '../support/db';
import { telegram } from '../support/setup-integration';

let db: Db;
let uploadsDir: string;
let storage: FileStorage;

beforeAll(() => {
  uploadsDir = fs.mkdtempSync(path.join(os.tmpdir(), 'desk-api-messages-'));
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
  setStorage(storage);
});

type Body = Record<string, unknown>;
type MessageBody = Body & { id: string; text: string | null };

async function call(urlOrPath: string, init: RequestInit & { token?: string; cookie?: string } = {}) {
  const headers = new Headers(init.headers);
  if (init.token) headers.set('authorization', `Bearer ${init.token}`);
  if (init.cookie) headers.set('cookie', init.cookie);
  if (init.body) headers.set('content-type', 'application/json');
  const url = urlOrPath.startsWith('http') ? urlOrPath : `${await apiBaseUrl()}${urlOrPath}`;
  const response = await fetch(url, { ...init, headers });
  const text = await response.text();
  return {
    status: response.status,
    headers: response.headers,
    body: text ? (JSON.parse(text) as Body) : null,
  };
}

async function tokenFor(role: OperatorRole, departmentIds: string[] = []) {
  const created = await createApiToken({
    db,
    actor: systemActor('test'),
    input: { name: `${role} token`, role, departmentIds },
  });
  return { token: created.token, id: created.id };
}

/** A desk of one department with two operators, each with a client of their own. */
async function desk() {
  const department = await makeDepartment(db, { isDefault: true });
  const ann = await makeOperator(db, { departmentIds: [department.id], name: 'Ann' });
  const bob = await makeOperator(db, { departmentIds: [department.id], name: 'Bob' });
  const annClient = await makeClient(db, { departmentId: department.id, assignedOperatorId: ann.id });
  const bobClient = await makeClient(db, { departmentId: department.id, assignedOperatorId: bob.id });
  return { department, ann, bob, annClient, bobClient };
}

/** An inbound text message stored at an exact instant (microseconds, as Postgres keeps them). */
async function storedAt(client: { id: string; chatId: number }, text: string, at: string) {
  const { message } = await makeInboundMessage(db, { client, text });
  await db.execute(sql`update messages set created_at = ${at}::timestamptz where id = ${message.id}`);
  return message.id;
}

const results = (body: Body | null) => (body?.results ?? []) as MessageBody[];

describe('REST API: a client’s history', () => {
  it('pages newest first by cursor, without repeating or skipping messages stored within one millisecond', async () => {
    const { ann, annClient } = await desk();
    // Three messages in one millisecond (and two at the very same microsecond): a cursor that kept
    // only milliseconds, or no id, would repeat or lose some of them between pages.
    const ids = [
      await storedAt(annClient, 'first', '2026-01-01T10:00:00.000000Z'),
      await storedAt(annClient, 'second', '2026-01-01T10:00:00.001100Z'),
      await storedAt(annClient, 'third', '2026-01-01T10:00:00.001200Z'),
      await storedAt(annClient, 'fourth', '2026-01-01T10:00:00.001200Z'),
      await storedAt(annClient, 'fifth', '2026-01-01T10:00:00.002000Z'),
      await storedAt(annClient, 'sixth', '2026-01-01T10:00:01.000000Z'),
      await storedAt(annClient, 'seventh', '2026-01-01T10:00:02.000000Z'),
    ];
    const expected = (
      await db
        .select({ id: messages.id })
        .from(messages)
        .where(eq(messages.clientId, annClient.id))
        .orderBy(sql`created_at desc, id desc`)
    ).map((r) => r.id);
    expect(new Set(expected)).toEqual(new Set(ids));

    const cookie = await sessionCookie(ann);
    const seen: string[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const query: string = cursor ? `&cursor=${encodeURIComponent(cursor)}` : '';
      const page = await call(`/clients/${annClient.id}/messages?limit=2${query}`, { cookie });
      expect(page.status).toBe(200);
      seen.push(...results(page.body).map((m) => m.id));
      cursor = page.body?.next_cursor as string | null;
      pages++;
    } while (cursor && pages < 10);
    expect(seen).toEqual(expected);
    expect(pages).toBe(4);

    // A message arriving meanwhile does not shift the pages already given out.
    const firstPage = await call(`/clients/${annClient.id}/messages?limit=3`, { cookie });
    await storedAt(annClient, 'newest', '2026-01-01T10:00:03.000000Z');
    const next = await call(
      `/clients/${annClient.id}/messages?limit=3&cursor=${String(firstPage.body?.next_cursor)}`,
      { cookie },
    );
    expect(results(next.body).map((m) => m.id)).toEqual(expected.slice(3, 6));
  });

  it('follows the client: an operator sees their own clients, not a colleague’s (404)', async () => {
    const { ann, annClient, bobClient, department } = await desk();
    await makeInboundMessage(db, { client: bobClient, text: 'private to Bob' });
    const cookie = await sessionCookie(ann);
    expect((await call(`/clients/${annClient.id}/messages`, { cookie })).status).toBe(200);
    const other = await call(`/clients/${bobClient.id}/messages`, { cookie });
    expect(other.status).toBe(404);
    expect(other.headers.get('content-type')).toBe('application/problem+json');
    // A supervisor's token of the department sees both; one of another department neither.
    const { token } = await tokenFor('supervisor', [department.id]);
    expect(results((await call(`/clients/${bobClient.id}/messages`, { token })).body)).toHaveLength(1);
    const elsewhere = await makeDepartment(db);
    const outsider = await tokenFor('supervisor', [elsewhere.id]);
    expect((await call(`/clients/${bobClient.id}/messages`, { token: outsider.token })).status).toBe(404);
  });

  it('refuses a cursor it did not issue and a limit over 200 (400)', async () => {
    const { annClient } = await desk();
    const { token } = await tokenFor('admin');
    for (const query of ['?cursor=bm90LWEtY3Vyc29y', '?cursor=%25%25', '?limit=201', '?limit=0', '?page=2']) {
      const response = await call(`/clients/${annClient.id}/messages${query}`, { token });
      expect(response.status, query).toBe(400);
    }
  });
});

describe('REST API: sending, editing and deleting', () => {
  it('sends through the dashboard’s path: stored (201, `queued`), delivered by the outbox, audited with the token', async () => {
    const { annClient } = await desk();
    const { token, id: tokenId } = await tokenFor('admin');
    const sent = await call(`/clients/${annClient.id}/messages`, {
      method: 'POST',
      token,
      body: JSON.stringify({ text: 'Your order <b>ships</b> today' }),
    });
    expect(sent.status).toBe(201);
    expect(sent.body).toMatchObject({
      client_id: annClient.id,
      direction: 'outbound',
      sender_kind: 'system',
      text: 'Your order <b>ships</b> today',
    });
    // 201 means stored: the outbox worker delivers it after the answer, never in the request
    // (it may have started by the time the answer is read).
    expect(['queued', 'sending', 'sent']).toContain(sent.body?.delivery_status);
    await settleBackgroundWork();
    const [delivered] = telegram().calls.filter((c) => c.method === 'sendMessage');
    expect(delivered?.payload).toMatchObject({
      chat_id: annClient.chatId,
      text: 'Your order &lt;b&gt;ships&lt;/b&gt; today',
    });
    const [audit] = await db.select().from(operatorLogs).where(eq(operatorLogs.action, 'message.sent'));
    expect(audit).toMatchObject({ actorType: 'api_token', apiTokenId: tokenId, targetId: annClient.id });
    expect(audit?.details).toMatchObject({ messageId: sent.body?.id });
    expect(audit?.ip).toBeTruthy();

    const history = await call(`/clients/${annClient.id}/messages`, { token });
    expect(results(history.body)[0]).toMatchObject({ id: sent.body?.id, delivery_status: 'sent' });
  });

  it('refuses an empty text (422), a client the caller may not see (404), a blocked client (409)', async () => {
    const { ann, annClient, bobClient, department } = await desk();
    const cookie = await sessionCookie(ann);
    const post = (clientId: string, body: unknown) =>
      call(`/clients/${clientId}/messages`, { method: 'POST', cookie, body: JSON.stringify(body) });
    expect((await post(annClient.id, { text: '   ' })).status).toBe(422);
    expect((await post(annClient.id, { text: 'hi', parse_mode: 'HTML' })).status).toBe(422);
    expect((await post(bobClient.id, { text: 'hi' })).status).toBe(404);
    const blocked = await makeClient(db, {
      departmentId: department.id,
      assignedOperatorId: ann.id,
      status: 'blocked',
    });
    expect((await post(blocked.id, { text: 'hi' })).status).toBe(409);
    expect(telegram().calls).toHaveLength(0);
  });

  it('edits and deletes an operator’s sent message in Telegram, within the rules, audited', async () => {
    const { ann, bob, annClient, bobClient } = await desk();
    const cookie = await sessionCookie(ann);
    const sent = await call(`/clients/${annClient.id}/messages`, {
      method: 'POST',
      cookie,
      body: JSON.stringify({ text: 'Price is 5' }),
    });
    expect(sent.body).toMatchObject({ sender_kind: 'operator', operator_id: ann.id });
    const messageId = String(sent.body?.id);
    await settleBackgroundWork(); // delivered by the outbox: now it can be edited in Telegram
    const [delivered] = await db.select().from(messages).where(eq(messages.id, messageId));
    const telegramId = delivered?.telegramMessageId;
    const path = `/clients/${annClient.id}/messages/${messageId}`;

    // Not through another client's path, and not by a colleague who cannot see the chat.
    expect(
      (
        await call(`/clients/${bobClient.id}/messages/${messageId}`, {
          method: 'PATCH',
          cookie,
          body: JSON.stringify({ text: 'x' }),
        })
      ).status,
    ).toBe(404);
    const bobCookie = await sessionCookie(bob);
    expect((await call(path, { method: 'DELETE', cookie: bobCookie })).status).toBe(404);

    telegram().reset();
    const edited = await call(path, {
      method: 'PATCH',
      cookie,
      body: JSON.stringify({ text: 'Price is 6' }),
    });
    expect(edited.status).toBe(200);
    expect(edited.body).toMatchObject({ id: messageId, text: 'Price is 6' });
    expect(edited.body?.edited_at).toBeTruthy();
    expect(telegram().calls.map((c) => [c.method, c.payload.message_id])).toEqual([
      ['editMessageText', telegramId],
    ]);

    // An admin's token may change an operator's message; the audit row names the token.
    const { token, id: tokenId } = await tokenFor('admin');
    const again = await call(path, { method: 'PATCH', token, body: JSON.stringify({ text: 'Price is 7' }) });
    expect(again.body).toMatchObject({ text: 'Price is 7' });

    telegram().reset();
    const deleted = await call(path, { method: 'DELETE', token });
    expect(deleted.status).toBe(200);
    expect(deleted.body?.deleted_at).toBeTruthy();
    expect(deleted.body).toMatchObject({ can_edit: false, can_delete: false });
    expect(telegram().calls.map((c) => [c.method, c.payload.message_id])).toEqual([
      ['deleteMessage', telegramId],
    ]);
    expect((await call(path, { method: 'DELETE', token })).status).toBe(409);

    const audit = await db
      .select()
      .from(operatorLogs)
      .where(and(eq(operatorLogs.targetType, 'message'), eq(operatorLogs.targetId, messageId)));
    expect(audit.map((a) => [a.action, a.actorType, a.operatorId ?? a.apiTokenId])).toEqual(
      expect.arrayContaining([
        ['message.edited', 'operator', ann.id],
        ['message.edited', 'api_token', tokenId],
        ['message.deleted', 'api_token', tokenId],
      ]),
    );
    expect(audit).toHaveLength(3);
  });

  it('answers 403 to a caller who sees the chat but did not write the message', async () => {
    const { ann, bob, department } = await desk();
    const queued = await makeClient(db, { departmentId: department.id });
    const sent = await call(`/clients/${queued.id}/messages`, {
      method: 'POST',
      cookie: await sessionCookie(ann),
      body: JSON.stringify({ text: 'hello' }),
    });
    // Ann answered, so the client is hers now; give it back to the queue, where Bob sees it too.
    await call(`/clients/${queued.id}/assign`, {
      method: 'POST',
      cookie: await sessionCookie(ann),
      body: JSON.stringify({ operator_id: null }),
    });
    const bobEdit = await call(`/clients/${queued.id}/messages/${String(sent.body?.id)}`, {
      method: 'PATCH',
      cookie: await sessionCookie(bob),
      body: JSON.stringify({ text: 'not mine' }),
    });
    expect(bobEdit.status).toBe(403);
  });
});

describe('REST API: files', () => {
  it('downloads a stored file through the url in the message, with the dashboard’s checks and headers', async () => {
    const { annClient, bobClient, ann } = await desk();
    const bytes = new Uint8Array(randomBytes(3000));
    bytes.set([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
    await storage.put('inbound/2026/01/receipt/receipt.png', bytes, { contentType: 'image/png' });
    await makeInboundMessage(db, {
      client: annClient,
      text: 'my receipt',
      attachment: {
        kind: 'photo',
        status: 'stored',
        storageKey: 'inbound/2026/01/receipt/receipt.png',
        fileName: 'квитанция "1".png',
        mimeType: 'image/png',
        sizeBytes: bytes.byteLength,
      },
    });
    await makeInboundMessage(db, {
      client: bobClient,
      attachment: { kind: 'document', status: 'pending', fileName: 'later.pdf' },
    });
    const { token } = await tokenFor('admin');
    const history = await call(`/clients/${annClient.id}/messages`, { token });
    const [file] = (results(history.body)[0]?.attachments ?? []) as Body[];
    expect(file).toMatchObject({ kind: 'photo', mime_type: 'image/png', size_bytes: 3000, status: 'stored' });
    const url = String(file?.url);
    expect(url).toBe(`${await apiBaseUrl()}/attachments/${String(file?.id)}`);

    const response = await fetch(url, { headers: { authorization: `Bearer ${token}` } });
    expect(response.status).toBe(200);
    const body = new Uint8Array(await response.arrayBuffer());
    const sha = (b: Uint8Array) => createHash('sha256').update(b).digest('hex');
    expect(sha(body)).toBe(sha(bytes));
    expect(response.headers.get('content-type')).toBe('image/png');
    expect(response.headers.get('content-length')).toBe('3000');
    expect(response.headers.get('content-disposition')).toBe(
      `inline; filename="_1_.png"; filename*=UTF-8''%D0%BA%D0%B2%D0%B8%D1%82%D0%B0%D0%BD%D1%86%D0%B8%D1%8F%20%221%22.png`,
    );
    expect(response.headers.get('x-content-type-options')).toBe('nosniff');
    expect(response.headers.get('content-security-policy')).toBe("default-src 'none'; sandbox");

    // The same checks as the dashboard: no credentials 401, someone else's client 404, and a
    // file not stored yet has no url.
    expect((await fetch(url)).status).toBe(401);
    const bobCookie = await sessionCookie(await makeOperator(db, { name: 'Stranger' }));
    expect((await call(url, { cookie: bobCookie })).status).toBe(404);
    const asAnn = await fetch(url, { headers: { cookie: await sessionCookie(ann) } });
    expect(asAnn.status).toBe(200);
    expect(new Uint8Array(await asAnn.arrayBuffer())).toEqual(bytes);
    const pending = await call(`/clients/${bobClient.id}/messages`, { token });
    const [later] = (results(pending.body)[0]?.attachments ?? []) as Body[];
    expect(later).toMatchObject({ status: 'pending', url: null });
    expect((await call(`/attachments/${String(later?.id)}`, { token })).status).toBe(404);
  });
});

describe('REST API: the messages list and its search', () => {
  async function corpus() {
    const d = await desk();
    await storedAt(d.annClient, 'Где мой заказ? Жду уже неделю', '2026-02-01T10:00:00Z');
    await storedAt(d.annClient, 'The parcel was shipped yesterday', '2026-02-01T10:01:00Z');
    await storedAt(d.annClient, 'Оплата прошла, спасибо', '2026-02-01T10:02:00Z');
    await storedAt(d.bobClient, 'Заказы не приходят', '2026-02-01T10:03:00Z');
    await storedAt(d.bobClient, 'hello there', '2026-02-01T10:04:00Z');
    await storedAt(d.bobClient, 'Shipping to Berlin?', '2026-02-01T10:05:00Z');
    return d;
  }
  const texts = (body: Body | null) => results(body).map((m) => m.text);

  it('searches full text in Russian and English with their stemming, newest first, within the caller’s clients', async () => {
    const { ann } = await corpus();
    const { token } = await tokenFor('admin');
    const search = async (q: string, auth: { token?: string; cookie?: string } = { token }) => {
      const response = await call(`/messages?search=${encodeURIComponent(q)}`, auth);
      expect(response.status, q).toBe(200);
      return response.body;
    };
    expect(texts(await search('заказы'))).toEqual(['Заказы не приходят', 'Где мой заказ? Жду уже неделю']);
    expect(texts(await search('shipping'))).toEqual([
      'Shipping to Berlin?',
      'The parcel was shipped yesterday',
    ]);
    expect(texts(await search('оплаты'))).toEqual(['Оплата прошла, спасибо']);
    expect(texts(await search('"parcel was shipped"'))).toEqual(['The parcel was shipped yesterday']);
    expect(texts(await search('заказ -приходят'))).toEqual(['Где мой заказ? Жду уже неделю']);
    expect(await search('nothing like it')).toMatchObject({ count: 0, results: [] });
    // Ann's own clients only.
    expect(texts(await search('заказы', { cookie: await sessionCookie(ann) }))).toEqual([
      'Где мой заказ? Жду уже неделю',
    ]);
  });

  it('pages a search with its exact count and links', async () => {
    await corpus();
    const { token } = await tokenFor('admin');
    const first = await call('/messages?search=shipping+OR+заказ&page_size=3', { token });
    expect(first.body).toMatchObject({ count: 4, previous: null });
    expect(texts(first.body)).toEqual([
      'Shipping to Berlin?',
      'Заказы не приходят',
      'The parcel was shipped yesterday',
    ]);
    const second = await call(String(first.body?.next), { token });
    expect(second.body).toMatchObject({ count: 4, next: null });
    expect(texts(second.body)).toEqual(['Где мой заказ? Жду уже неделю']);
    expect(String(second.body?.previous)).toContain('page=1');
  });

  /** `n` inbound messages `text` + their number, one a second from `from` on. */
  async function bulk(client: { id: string; chatId: number }, n: number, text: string, from: string) {
    await db.execute(sql`
      insert into messages (client_id, direction, sender_kind, content_kind, text, telegram_chat_id, created_at)
      select ${client.id}::uuid, 'inbound', 'client', 'text', ${text} || ' ' || g, ${client.chatId},
        ${from}::timestamptz + g * interval '1 second'
      from generate_series(1, ${n}) g`);
  }

  it('counts a common word up to the cap and pages it newest first, whether the newest messages have it or not', async () => {
    const { annClient } = await desk();
    const { token } = await tokenFor('admin');
    await bulk(annClient, 1050, 'Your order has shipped, number', '2026-03-01T00:00:00Z');
    // The newest messages lack the word: the walk through them finds nothing, the index does.
    await bulk(annClient, 1500, 'Thanks, have a nice day', '2026-03-02T00:00:00Z');
    const first = await call('/messages?search=shipping', { token });
    expect(first.body).toMatchObject({ count: 1000, previous: null });
    expect(texts(first.body)).toEqual(
      Array.from({ length: 25 }, (_, i) => `Your order has shipped, number ${1050 - i}`),
    );
    const last = await call('/messages?search=shipping&page=40', { token });
    expect(last.body).toMatchObject({ count: 1000, next: null });
    expect(texts(last.body).at(-1)).toBe('Your order has shipped, number 51');
    expect((await call('/messages?search=shipping&page=41', { token })).status).toBe(400);

    // Now the newest messages have it: the walk through them fills the page.
    await bulk(annClient, 30, 'Shipped again', '2026-03-03T00:00:00Z');
    const again = await call('/messages?search=shipping&page_size=10', { token });
    expect(again.body).toMatchObject({ count: 1000 });
    expect(texts(again.body)).toEqual(Array.from({ length: 10 }, (_, i) => `Shipped again ${30 - i}`));
  });

  it('takes a word the statistics know as common straight to the newest messages, and pages it right even when the guess is stale', async () => {
    const { annClient } = await desk();
    const { token } = await tokenFor('admin');
    await bulk(annClient, 1050, 'Your order has shipped, number', '2026-03-01T00:00:00Z');
    await db.execute(sql`analyze messages`);
    // What the search asks before probing: the planner expects the word in 1,000+ messages (the
    // count cap, which is the probe here), so no probe runs.
    const explained = await db.transaction(async (tx) => {
      await tx.execute(sql`set local enable_seqscan = off`);
      const result = await tx.execute(
        sql`explain (format json) select 1 from ${messages} where ${messageTextMatches(messages.text, 'shipping')}`,
      );
      const rows = (Array.isArray(result) ? result : (result as { rows: unknown[] }).rows) as Record<
        string,
        unknown
      >[];
      const raw = rows[0]?.['QUERY PLAN'];
      return (typeof raw === 'string' ? JSON.parse(raw) : raw) as { Plan: { 'Plan Rows': number } }[];
    });
    expect(explained[0]?.Plan['Plan Rows']).toBeGreaterThanOrEqual(1000);

    // Newer messages without the word, not analysed: the guess is stale, the walk through the
    // newest messages finds nothing, and the page comes from the index all the same.
    await bulk(annClient, 1500, 'Thanks, have a nice day', '2026-03-02T00:00:00Z');
    const first = await call('/messages?search=shipping', { token });
    expect(first.body).toMatchObject({ count: 1000, previous: null });
    expect(texts(first.body)).toEqual(
      Array.from({ length: 25 }, (_, i) => `Your order has shipped, number ${1050 - i}`),
    );
    const tenth = await call('/messages?search=shipping&page=10', { token });
    expect(texts(tenth.body)[0]).toBe(`Your order has shipped, number ${1050 - 225}`);

    await bulk(annClient, 30, 'Shipped again', '2026-03-03T00:00:00Z');
    const again = await call('/messages?search=shipping&page_size=10', { token });
    expect(again.body).toMatchObject({ count: 1000 });
    expect(texts(again.body)).toEqual(Array.from({ length: 10 }, (_, i) => `Shipped again ${30 - i}`));
  });

  it('filters by direction, sender, delivery, kind, client, operator, department and time', async () => {
    const { ann, annClient, bobClient, department } = await corpus();
    const cookie = await sessionCookie(ann);
    await call(`/clients/${annClient.id}/messages`, {
      method: 'POST',
      cookie,
      body: JSON.stringify({ text: 'On its way' }),
    });
    const { token } = await tokenFor('admin');
    const list = async (query: string) => {
      const response = await call(`/messages?${query}`, { token });
      expect(response.status, query).toBe(200);
      return response.body;
    };
    expect(await list('')).toMatchObject({ count: 7 });
    expect(texts(await list('direction=outbound'))).toEqual(['On its way']);
    expect(texts(await list('sender_kind=operator,bot&delivery_status=sent,failed'))).toEqual(['On its way']);
    expect(await list('delivery_status=failed')).toMatchObject({ count: 0 });
    expect(await list('direction=inbound&sender_kind=client&content_kind=text')).toMatchObject({ count: 6 });
    expect(await list(`client_id=${bobClient.id}`)).toMatchObject({ count: 3 });
    expect(texts(await list(`operator_id=${ann.id}`))).toEqual(['On its way']);
    expect(await list(`department_id=${department.id}`)).toMatchObject({ count: 7 });
    const elsewhere = await makeDepartment(db);
    expect(await list(`department_id=${elsewhere.id}`)).toMatchObject({ count: 0 });
    expect(
      texts(
        await list('created_from=2026-02-01T10:01:00Z&created_to=2026-02-01T10:03:00Z&ordering=created_at'),
      ),
    ).toEqual(['The parcel was shipped yesterday', 'Оплата прошла, спасибо']);
    // An operator's list is their own clients' messages, whatever the filter asks for.
    const own = await call(`/messages?client_id=${bobClient.id}`, { cookie });
    expect(own.body).toMatchObject({ count: 0, results: [] });
    expect((await call('/messages', { cookie })).body).toMatchObject({ count: 4 });
  });

  it('lists a department of more clients than a query names (5,100): every one of them counts', async () => {
    const department = await makeDepartment(db, { isDefault: true });
    await db.execute(sql`
      with users as (
        insert into telegram_users (id, first_name)
        select 990000000 + g, 'Bulk ' || g from generate_series(1, 5100) g returning id
      ), made as (
        insert into clients (telegram_user_id, chat_id, display_name, department_id)
        select id, id, 'Bulk', ${department.id}::uuid from users returning id, chat_id
      )
      insert into messages (client_id, direction, sender_kind, content_kind, text, telegram_chat_id)
      select id, 'inbound', 'client', 'text', 'hello from a crowd', chat_id from made`);
    const supervisor = await tokenFor('supervisor', [department.id]);
    for (const query of ['', `?department_id=${department.id}`, '?search=crowd']) {
      const response = await call(`/messages${query}`, { token: supervisor.token });
      expect(response.body, query).toMatchObject({ count: query.includes('search') ? 1000 : 5100 });
    }
  });

  it('refuses unknown filters, bad values and pages past the counting cap (400)', async () => {
    const { token } = await tokenFor('admin');
    for (const query of [
      '?colour=red',
      '?direction=sideways',
      '?created_from=yesterday',
      '?ordering=-text',
      '?page=401',
      '?page=11&page_size=100&search=x',
      '?search=x&page=41',
    ]) {
      const response = await call(`/messages${query}`, { token });
      expect(response.status, query).toBe(400);
    }
    expect((await call('/messages?page=400', { token })).status).toBe(200);
  });
});

describe('indexes the message queries use', () => {
  type Plan = { 'Node Type': string; 'Index Name'?: string; Plans?: Plan[] };
  const nodes = (plan: Plan): Plan[] => [plan, ...(plan.Plans ?? []).flatMap(nodes)];

  /**
   * The plan of a query with sequential scans priced out. On a table of a few rows a sequential
   * scan is the cheapest plan and the planner rightly picks it, so a plain EXPLAIN says nothing
   * about the index. With seq scans off the question becomes "can this query use the index at
   * all?" — which is what breaks when a query's expression drifts from the index's (the negative
   * case below) — and the answer is the same on a table of a million rows, where the planner
   * picks the index by itself (the list runs with seq scans off, too).
   */
  async function planOf(query: { getSQL: () => ReturnType<typeof sql> }): Promise<Plan[]> {
    return db.transaction(async (tx) => {
      await tx.execute(sql`set local enable_seqscan = off`);
      const result = await tx.execute(sql`explain (format json) ${query}`);
      const rows = (Array.isArray(result) ? result : (result as { rows: unknown[] }).rows) as Record<
        string,
        unknown
      >[];
      const raw = rows[0]?.['QUERY PLAN'];
      const parsed = (typeof raw === 'string' ? JSON.parse(raw) : raw) as { Plan: Plan }[];
      return nodes(parsed[0]?.Plan ?? { 'Node Type': 'none' });
    });
  }
  const indexesIn = (plan: Plan[]) => plan.flatMap((n) => (n['Index Name'] ? [n['Index Name']] : []));

  it(`uses the GIN index for the search, and the (client_id, created_at, id) index for the history (${testDbKind()})`, async () => {
    const { annClient } = await desk();
    await storedAt(annClient, 'Где мой заказ?', '2026-02-01T10:00:00Z');
    const search = db
      .select({ id: messages.id })
      .from(messages)
      .where(messageTextMatches(messages.text, 'заказы'));
    const searchPlan = await planOf(search);
    expect(indexesIn(searchPlan)).toContain('messages_text_search_idx');
    expect(searchPlan.map((n) => n['Node Type'])).not.toContain('Seq Scan');

    // The same search with an expression that is not the indexed one cannot use the index.
    const drifted = db
      .select({ id: messages.id })
      .from(messages)
      .where(
        sql`to_tsvector('russian', coalesce(${messages.text}, '')) @@ websearch_to_tsquery('russian', 'заказы')`,
      );
    expect(indexesIn(await planOf(drifted))).not.toContain('messages_text_search_idx');

    const history = db
      .select({ id: messages.id })
      .from(messages)
      .where(
        sql`${messages.clientId} = ${annClient.id} and (${messages.createdAt}, ${messages.id}) < (${'2026-03-01T00:00:00.000000Z'}::timestamptz, ${annClient.id}::uuid)`,
      )
      .orderBy(sql`created_at desc, id desc`)
      .limit(50);
    expect(indexesIn(await planOf(history))).toEqual(['messages_client_created_id_idx']);
  });
});
