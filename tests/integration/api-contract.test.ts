// The REST API against its own OpenAPI document: every operation of GET /api/v1/openapi.json is
// driven through a client generated from that document (openapi-typescript types in
// types/api.d.ts + openapi-fetch) against the real route handlers over HTTP, on a desk with real
// data, and every answer — success, file or problem+json — is checked against the document
// (status, media type, headers, and the body's schema with ajv). The route files and the
// document must list the same operations. (tests/unit/api-types.test.ts keeps the types current.)
import { randomBytes, randomUUID } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { eq, inArray, ne } from 'drizzle-orm';
import createClient from 'openapi-fetch';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Db } from '@/db/client';
import { clients, messages, operatorDailyStats, operators } from '@/db/schema';
import { settleBackgroundWork } from '@/lib/background';
import { setStorage } from '@/lib/storage/get-storage';
import { createLocalStorage } from '@/lib/storage/local-storage';
import type { FileStorage } from '@/lib/storage/storage';
import type { paths } from '@/types/api';
import { textUpdate } from '../factories';
import { makeClient, makeInboundMessage } from '../factories/messages';
import { apiContract, documentOperations, type OpenApiDocument } from '../support/api-contract';
import { makeApiDesk, type Caller } from '../support/api-desk';
import { apiBaseUrl, apiRouteFiles } from '../support/api-server';
import { getTestDb, resetDb } from '../support/db';
import { telegram } from '../support/setup-integration';
import { postUpdate } from '../support/webhook';

let db: Db;
let baseUrl: string;
let doc: OpenApiDocument;
let contract: ReturnType<typeof apiContract>;
let uploadsDir: string;
let storage: FileStorage;

beforeAll(async () => {
  baseUrl = await apiBaseUrl();
  // The document as the API serves it, not as the code builds it in this process.
  const served = await fetch(`${baseUrl}/openapi.json`);
  expect(served.status).toBe(200);
  doc = (await served.json()) as OpenApiDocument;
  contract = apiContract(doc);
  uploadsDir = fs.mkdtempSync(path.join(os.tmpdir(), 'desk-api-contract-'));
  storage = createLocalStorage(uploadsDir);
});

afterAll(() => {
  setStorage(undefined);
  if (uploadsDir) fs.rmSync(uploadsDir, { recursive: true, force: true });
});

beforeEach(async () => {
  await settleBackgroundWork();
  db = await getTestDb();
  await resetDb(db);
  telegram().reset();
  setStorage(storage);
});

/** The typed client as `caller` (a token, a session cookie, or nobody); every answer is checked. */
function as(caller: Caller | null, headers: Record<string, string> = {}) {
  const client = createClient<paths>({
    baseUrl,
    headers: {
      ...headers,
      ...(caller?.token ? { authorization: `Bearer ${caller.token}` } : {}),
      ...(caller?.cookie ? { cookie: caller.cookie } : {}),
    },
  });
  client.use(contract.middleware);
  return client;
}

type Answer<T> = { data?: T; error?: unknown; response: Response };

/** The body of a success answer (the contract check has already run on it). */
function ok<T>(answer: Answer<T>): T {
  if (!answer.response.ok || answer.data === undefined) {
    throw new Error(`expected a success, got ${answer.response.status}: ${JSON.stringify(answer.error)}`);
  }
  return answer.data;
}

/** The problem of an error answer with this status (its shape is checked by the contract). */
function problem<T>(answer: Answer<T>, status: number) {
  expect(answer.response.status, JSON.stringify(answer.error ?? answer.data)).toBe(status);
  expect(answer.response.headers.get('content-type')).toBe('application/problem+json');
  return answer.error as { status: number; code: string; detail: string };
}

/** Only these operators are online (the others offline), so routing is predictable. */
async function onlyOnline(ids: string[]) {
  await db.update(operators).set({ status: 'offline' }).where(ne(operators.status, 'offline'));
  await db.update(operators).set({ status: 'online' }).where(inArray(operators.id, ids));
}

/** A client who wrote to the bot through the webhook, as Telegram delivers it. */
async function clientWhoWrote(user: Parameters<typeof textUpdate>[0], ...texts: string[]) {
  for (const text of texts) expect((await postUpdate(textUpdate(user, text))).status).toBe(200);
  await settleBackgroundWork();
  const [row] = await db.select().from(clients).where(eq(clients.telegramUserId, user.id));
  if (!row) throw new Error('the webhook stored no client');
  return row;
}

const inDays = (days: number) => new Date(Date.now() + days * 86_400_000).toISOString();

describe('the OpenAPI document', () => {
  it('lists exactly the operations the route files under app/api/v1 export', async () => {
    const routes = await apiRouteFiles();
    // The document's own route is not an operation of the API it describes.
    const described = routes.filter((r) => r.openApiPath !== '/openapi.json');
    expect(routes.find((r) => r.openApiPath === '/openapi.json')?.methods).toEqual(['GET']);
    const fromRoutes = described.flatMap((r) => r.methods.map((m) => `${m} ${r.openApiPath}`)).sort();
    const fromDocument = documentOperations(doc)
      .map((o) => `${o.method} ${o.path}`)
      .sort();
    expect(fromRoutes.length).toBeGreaterThan(0);
    expect(
      fromRoutes.filter((o) => !fromDocument.includes(o)),
      'routes without a spec entry',
    ).toEqual([]);
    expect(
      fromDocument.filter((o) => !fromRoutes.includes(o)),
      'spec entries without a route',
    ).toEqual([]);
    expect(described.every((r) => r.methods.length > 0)).toBe(true);
    const ids = documentOperations(doc).map((o) => o.operationId);
    expect(ids.every(Boolean)).toBe(true);
    expect(new Set(ids).size).toBe(ids.length);
  });

  it('makes the contract check fail on an answer the document does not describe', async () => {
    const json = (body: unknown, status = 200, type = 'application/json') =>
      new Response(JSON.stringify(body), { status, headers: { 'content-type': type } });
    const problemBody = {
      type: 'about:blank#not_found',
      title: 'not found',
      status: 404,
      detail: 'x',
      code: 'x',
    };
    await expect(contract.check('GET', '/clients/{id}', json({ id: randomUUID() }))).rejects.toThrow(
      /does not match the document's schema/,
    );
    await expect(contract.check('GET', '/clients/{id}', json(problemBody, 418))).rejects.toThrow(
      /a status the document does not list/,
    );
    await expect(contract.check('GET', '/clients/{id}', json(problemBody, 404))).rejects.toThrow(
      /as application\/json, not one of application\/problem\+json/,
    );
    await expect(
      contract.check(
        'GET',
        '/clients/{id}',
        json({ ...problemBody, stack: 'at …' }, 404, 'application/problem+json'),
      ),
    ).rejects.toThrow(/must NOT have additional properties/);
    await expect(
      contract.check(
        'GET',
        '/clients',
        json({ ...problemBody, status: 429 }, 429, 'application/problem+json'),
      ),
    ).rejects.toThrow(/without its documented Retry-After header/);
    await expect(
      contract.check('GET', '/clients/{id}', json(problemBody, 404, 'application/problem+json')),
    ).resolves.toMatchObject({ operationId: 'getClient', status: 404 });
  });
});

describe('the API answers as its document says', () => {
  it('departments: list, get, create, change, deactivate', async () => {
    const desk = await makeApiDesk(db);
    const admin = as(desk.adminToken);

    const list = ok(
      await admin.GET('/departments', { params: { query: { ordering: 'name', is_active: true } } }),
    );
    expect(list.results.map((d) => d.id)).toEqual([desk.departmentA.id, desk.departmentB.id]);
    const created = ok(
      await admin.POST('/departments', {
        body: {
          name: 'Returns',
          description: 'Refunds and returns',
          sort_order: 3,
          default_capacity: 4,
          response_time_limit_sec: 600,
          working_hours: { time_zone: 'Europe/Berlin', days: [{ day: 1, from: '09:00', to: '18:00' }] },
          greeting: { default: 'Welcome to returns.', ru: 'Здравствуйте! Это отдел возвратов.' },
          auto_reply_queued: { default: 'Everyone is busy; we will answer soon.' },
        },
      }),
    );
    expect(created).toMatchObject({
      name: 'Returns',
      is_default: false,
      is_active: true,
      default_capacity: 4,
      working_hours: { time_zone: 'Europe/Berlin', days: [{ day: 1, from: '09:00', to: '18:00' }] },
      greeting: { ru: 'Здравствуйте! Это отдел возвратов.' },
      auto_reply_off_hours: null,
    });
    const fetched = ok(await admin.GET('/departments/{id}', { params: { path: { id: created.id } } }));
    expect(fetched).toMatchObject({ id: created.id, name: 'Returns' });
    const changed = ok(
      await admin.PATCH('/departments/{id}', {
        params: { path: { id: created.id } },
        body: { description: null, working_hours: null, auto_reply_off_hours: { default: 'We are closed.' } },
      }),
    );
    expect(changed).toMatchObject({ description: null, working_hours: null, is_open_now: true });
    const deactivated = ok(
      await admin.POST('/departments/{id}/deactivate', { params: { path: { id: created.id } } }),
    );
    expect(deactivated.is_active).toBe(false);

    problem(await as(desk.operatorTokenA).POST('/departments', { body: { name: 'Mine' } }), 403);
    problem(await admin.POST('/departments', { body: { name: 'Returns' } }), 409);
    problem(
      await admin.POST('/departments/{id}/deactivate', { params: { path: { id: desk.departmentA.id } } }),
      409,
    );
    problem(await admin.POST('/departments', { body: { name: ' ' } }), 422);
    problem(await admin.GET('/departments/{id}', { params: { path: { id: randomUUID() } } }), 404);
    problem(await admin.GET('/departments', { params: { query: { ordering: '-secret' as never } } }), 400);
  });

  it('operators: list, get, create, change, presence, Telegram invite', async () => {
    const desk = await makeApiDesk(db);
    const admin = as(desk.adminToken);

    const members = ok(
      await admin.GET('/operators', {
        params: { query: { department_id: desk.departmentA.id, role: 'operator', ordering: 'name' } },
      }),
    );
    expect(members.results.map((o) => o.name)).toEqual(['Carl A', 'Olga A']);
    const second = ok(await admin.GET('/operators', { params: { query: { page: 2, page_size: 2 } } }));
    expect(second).toMatchObject({ count: 6, next: expect.stringContaining('page=3') });
    expect(second.previous).toContain('page=1');
    const olga = ok(await admin.GET('/operators/{id}', { params: { path: { id: desk.operatorA.id } } }));
    expect(olga).toMatchObject({
      id: desk.operatorA.id,
      status: 'online',
      load: 0,
      department_ids: [desk.departmentA.id],
    });
    // Her figures as the operator-stats job stores them: yesterday in UTC (she has no time zone).
    const yesterday = new Date(Date.now() - 86_400_000).toISOString().slice(0, 10);
    await db.insert(operatorDailyStats).values({
      operatorId: desk.operatorA.id,
      day: yesterday,
      timeZone: 'UTC',
      handledConversations: 4,
      messagesSent: 9,
      firstResponseMedianSec: 75,
      resolutionMedianSec: null,
      ratingsCount: 2,
      ratingAverage: 4.5,
    });
    const stats = ok(
      await as(desk.operatorA).GET('/operators/{id}/stats', {
        params: { path: { id: desk.operatorA.id }, query: { days: 7 } },
      }),
    );
    expect(stats).toMatchObject({
      operator_id: desk.operatorA.id,
      time_zone: 'UTC',
      days: [
        {
          day: yesterday,
          handled_conversations: 4,
          messages_sent: 9,
          first_response_median_sec: 75,
          resolution_median_sec: null,
          ratings_count: 2,
          rating_average: 4.5,
        },
      ],
      totals: { handled_conversations: 4, messages_sent: 9, ratings_count: 2, rating_average: 4.5 },
    });
    // A colleague's figures are not hers to read.
    problem(
      await as(desk.operatorA).GET('/operators/{id}/stats', { params: { path: { id: desk.colleagueA.id } } }),
      403,
    );
    const created = ok(
      await admin.POST('/operators', {
        body: {
          email: 'nina@example.test',
          name: 'Nina Returns',
          password: 'correct horse battery staple',
          role: 'operator',
          capacity: 3,
          department_ids: [desk.departmentA.id],
        },
      }),
    );
    expect(created).toMatchObject({ name: 'Nina Returns', role: 'operator', capacity: 3, status: 'offline' });
    const changed = ok(
      await admin.PATCH('/operators/{id}', {
        params: { path: { id: created.id } },
        body: { capacity: 5, department_ids: [desk.departmentA.id, desk.departmentB.id] },
      }),
    );
    expect(changed).toMatchObject({ capacity: 5 });
    expect(new Set(changed.department_ids)).toEqual(new Set([desk.departmentA.id, desk.departmentB.id]));
    // Presence set by the operator herself, with her dashboard session.
    const away = ok(
      await as(desk.operatorA).POST('/operators/{id}/status', {
        params: { path: { id: desk.operatorA.id } },
        body: { status: 'away' },
      }),
    );
    expect(away).toMatchObject({ status: 'away', assigned_from_queue: 0 });
    const invite = ok(await admin.POST('/operators/{id}/invite', { params: { path: { id: created.id } } }));
    expect(invite.url).toMatch(/^https:\/\/t\.me\/desk_test_bot\?start=op_/);
    expect(Date.parse(invite.expires_at)).toBeGreaterThan(Date.now());

    problem(
      await as(desk.admin).PATCH('/operators/{id}', {
        params: { path: { id: desk.admin.id } },
        body: { role: 'operator' },
      }),
      409,
    );
    problem(
      await admin.POST('/operators', { body: { email: 'x@example.test', name: 'X', password: 'short' } }),
      422,
    );
    problem(
      await as(desk.operatorTokenA).POST('/operators/{id}/invite', {
        params: { path: { id: desk.operatorA.id } },
      }),
      403,
    );
    problem(
      await as(desk.supervisorB).GET('/operators/{id}', { params: { path: { id: desk.operatorA.id } } }),
      404,
    );
  });

  it('clients: list, get, assign, return to the queue, transfer, change, resolve, reopen', async () => {
    const desk = await makeApiDesk(db);
    await onlyOnline([desk.operatorA.id, desk.colleagueA.id]);
    await db.update(operators).set({ capacity: 0 }).where(eq(operators.id, desk.colleagueA.id));
    const ivan = await clientWhoWrote(
      { id: 710_001, first_name: 'Ivan', username: 'ivan_p', language_code: 'ru' },
      'Где мой заказ?',
    );
    const admin = as(desk.adminToken);

    const page = ok(
      await admin.GET('/clients', {
        params: {
          query: {
            department_id: desk.departmentA.id,
            status: 'new,waiting',
            has_unread: true,
            search: 'ivan',
            ordering: '-last_message_at',
          },
        },
      }),
    );
    expect(page).toMatchObject({ count: 1, next: null, previous: null });
    expect(page.results[0]).toMatchObject({
      id: ivan.id,
      display_name: 'Ivan',
      username: 'ivan_p',
      language: 'ru',
      status: 'new',
      assigned_operator_id: desk.operatorA.id,
      unread_count: 1,
      last_message_preview: 'Где мой заказ?',
    });
    ok(await admin.GET('/clients/{id}', { params: { path: { id: ivan.id } } }));
    const toCarl = ok(
      await admin.POST('/clients/{id}/assign', {
        params: { path: { id: ivan.id } },
        body: { operator_id: desk.colleagueA.id },
      }),
    );
    expect(toCarl.assigned_operator_id).toBe(desk.colleagueA.id);
    const queued = ok(
      await admin.POST('/clients/{id}/assign', {
        params: { path: { id: ivan.id } },
        body: { operator_id: null },
      }),
    );
    expect(queued).toMatchObject({ assigned_operator_id: null, queued_at: expect.any(String) });
    const moved = ok(
      await admin.POST('/clients/{id}/transfer', {
        params: { path: { id: ivan.id } },
        body: { department_id: desk.departmentB.id },
      }),
    );
    expect(moved).toMatchObject({
      department_id: desk.departmentB.id,
      department_name: desk.departmentB.name,
    });
    const back = ok(
      await admin.PATCH('/clients/{id}', {
        params: { path: { id: ivan.id } },
        body: { department_id: desk.departmentA.id, status: 'waiting' },
      }),
    );
    expect(back).toMatchObject({ department_id: desk.departmentA.id, status: 'waiting' });
    const resolved = ok(await admin.POST('/clients/{id}/resolve', { params: { path: { id: ivan.id } } }));
    expect(resolved.status).toBe('resolved');
    const reopened = ok(await admin.POST('/clients/{id}/reopen', { params: { path: { id: ivan.id } } }));
    expect(reopened.status).toBe('new');

    problem(await admin.POST('/clients/{id}/reopen', { params: { path: { id: ivan.id } } }), 409);
    problem(
      await admin.PATCH('/clients/{id}', { params: { path: { id: ivan.id } }, body: { status: 'blocked' } }),
      409,
    );
    problem(
      await admin.POST('/clients/{id}/assign', {
        params: { path: { id: ivan.id } },
        body: { operator_id: desk.operatorB.id },
      }),
      422,
    );
    // A change with the dashboard session posted from another site.
    problem(
      await as(desk.admin, { origin: 'https://evil.example' }).POST('/clients/{id}/resolve', {
        params: { path: { id: ivan.id } },
      }),
      403,
    );
    problem(await as(desk.operatorB).GET('/clients/{id}', { params: { path: { id: ivan.id } } }), 404);
    problem(await as(null).GET('/clients'), 401);
    problem(await admin.GET('/clients', { params: { query: { colour: 'red' } as never } }), 400);
  });

  it('messages: history by cursor, send, edit, delete, search, files', async () => {
    const desk = await makeApiDesk(db);
    await onlyOnline([desk.operatorA.id]);
    const user = { id: 710_002, first_name: 'Ivan', language_code: 'ru' };
    const ivan = await clientWhoWrote(user, 'Где мой заказ?');
    // His second message answers his first, with formatting, as Telegram sends a reply.
    const [asked] = await db.select().from(messages).where(eq(messages.clientId, ivan.id));
    const followUp = textUpdate(user, 'Номер 1234');
    const reply = {
      ...followUp,
      message: {
        ...followUp.message,
        entities: [{ type: 'bold', offset: 6, length: 4 }],
        reply_to_message: {
          ...followUp.message,
          message_id: asked?.telegramMessageId,
          text: 'Где мой заказ?',
        },
      },
    };
    expect((await postUpdate(reply)).status).toBe(200);
    const olga = as(desk.operatorA);
    const admin = as(desk.adminToken);

    const sent = ok(
      await olga.POST('/clients/{id}/messages', {
        params: { path: { id: ivan.id } },
        body: { text: 'Your order ships today <b>for sure</b>' },
      }),
    );
    expect(sent).toMatchObject({
      direction: 'outbound',
      sender_kind: 'operator',
      operator_id: desk.operatorA.id,
    });
    await settleBackgroundWork();

    const first = ok(
      await admin.GET('/clients/{id}/messages', { params: { path: { id: ivan.id }, query: { limit: 2 } } }),
    );
    expect(first.results.map((m) => m.text)).toEqual([
      'Your order ships today <b>for sure</b>',
      'Номер 1234',
    ]);
    expect(first.results[0]).toMatchObject({ delivery_status: 'sent', can_edit: true, can_delete: true });
    expect(first.results[1]).toMatchObject({
      entities: [{ type: 'bold', offset: 6, length: 4 }],
      reply_to: { id: asked?.id, direction: 'inbound', text: 'Где мой заказ?' },
    });
    expect(first.next_cursor).toEqual(expect.any(String));
    const older = ok(
      await admin.GET('/clients/{id}/messages', {
        params: { path: { id: ivan.id }, query: { limit: 2, cursor: first.next_cursor ?? '' } },
      }),
    );
    expect(older).toMatchObject({
      next_cursor: null,
      results: [{ text: 'Где мой заказ?', direction: 'inbound' }],
    });

    const message = { params: { path: { id: ivan.id, message_id: sent.id } } };
    const edited = ok(
      await admin.PATCH('/clients/{id}/messages/{message_id}', {
        ...message,
        body: { text: 'It ships tomorrow' },
      }),
    );
    expect(edited).toMatchObject({ text: 'It ships tomorrow', edited_at: expect.any(String) });
    // Telegram unreachable, then rate limiting the bot: the edit is refused as documented.
    telegram().setBehaviour(ivan.chatId, {
      kind: 'error',
      method: 'editMessageText',
      code: 502,
      description: 'Bad Gateway',
      times: 1,
    });
    problem(
      await admin.PATCH('/clients/{id}/messages/{message_id}', { ...message, body: { text: 'Later' } }),
      503,
    );
    telegram().setBehaviour(ivan.chatId, {
      kind: 'rate_limit',
      method: 'editMessageText',
      retryAfter: 7,
      times: 1,
    });
    const limited = await admin.PATCH('/clients/{id}/messages/{message_id}', {
      ...message,
      body: { text: 'Later' },
    });
    problem(limited, 429);
    expect(limited.response.headers.get('retry-after')).toBe('7');
    const deleted = ok(await admin.DELETE('/clients/{id}/messages/{message_id}', message));
    expect(deleted).toMatchObject({ deleted_at: expect.any(String), can_delete: false });
    problem(await admin.DELETE('/clients/{id}/messages/{message_id}', message), 409);

    const found = ok(
      await admin.GET('/messages', {
        params: { query: { search: 'заказы', direction: 'inbound', client_id: ivan.id } },
      }),
    );
    expect(found).toMatchObject({ count: 1, results: [{ text: 'Где мой заказ?', client_id: ivan.id }] });

    const bytes = new Uint8Array(randomBytes(2048));
    bytes.set([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
    await storage.put('inbound/contract/receipt.png', bytes, { contentType: 'image/png' });
    await makeInboundMessage(db, {
      client: ivan,
      text: 'receipt',
      attachment: {
        kind: 'photo',
        status: 'stored',
        storageKey: 'inbound/contract/receipt.png',
        fileName: 'receipt.png',
        mimeType: 'image/png',
        sizeBytes: bytes.byteLength,
      },
    });
    const { attachment: pending } = await makeInboundMessage(db, {
      client: ivan,
      attachment: { kind: 'document', status: 'pending', fileName: 'invoice.pdf' },
    });
    const withFiles = ok(await admin.GET('/clients/{id}/messages', { params: { path: { id: ivan.id } } }));
    const file = withFiles.results.flatMap((m) => m.attachments).find((a) => a.status === 'stored');
    expect(file).toMatchObject({ kind: 'photo', mime_type: 'image/png', size_bytes: 2048 });
    expect(file?.url).toBe(`${baseUrl}/attachments/${file?.id}`);
    const download = await admin.GET('/attachments/{id}', {
      params: { path: { id: file?.id ?? '' } },
      parseAs: 'arrayBuffer',
    });
    expect(download.response.headers.get('content-type')).toBe('image/png');
    expect(new Uint8Array(ok(download))).toEqual(bytes);
    problem(await admin.GET('/attachments/{id}', { params: { path: { id: pending?.id ?? '' } } }), 404);

    problem(
      await olga.POST('/clients/{id}/messages', {
        params: { path: { id: ivan.id } },
        body: { text: 'x'.repeat(300_000) },
      }),
      413,
    );
    problem(
      await olga.POST('/clients/{id}/messages', { params: { path: { id: ivan.id } }, body: { text: '  ' } }),
      422,
    );
    problem(
      await admin.GET('/clients/{id}/messages', {
        params: { path: { id: ivan.id }, query: { cursor: 'not-a-cursor' } },
      }),
      400,
    );
    const blocked = await makeClient(db, {
      departmentId: desk.departmentA.id,
      assignedOperatorId: desk.operatorA.id,
      status: 'blocked',
    });
    problem(
      await olga.POST('/clients/{id}/messages', {
        params: { path: { id: blocked.id } },
        body: { text: 'hi' },
      }),
      409,
    );
  });

  it('conversations: list and get support episodes with their times', async () => {
    const desk = await makeApiDesk(db);
    await onlyOnline([desk.operatorA.id]);
    const ivan = await clientWhoWrote({ id: 710_003, first_name: 'Ivan' }, 'Hello, is anyone there?');
    ok(
      await as(desk.operatorA).POST('/clients/{id}/messages', {
        params: { path: { id: ivan.id } },
        body: { text: 'Yes, how can I help?' },
      }),
    );
    ok(await as(desk.operatorA).POST('/clients/{id}/resolve', { params: { path: { id: ivan.id } } }));
    await clientWhoWrote({ id: 710_003, first_name: 'Ivan' }, 'One more question');
    const admin = as(desk.adminToken);

    const episodes = ok(
      await admin.GET('/conversations', { params: { query: { client_id: ivan.id, ordering: 'opened_at' } } }),
    );
    expect(episodes.results.map((c) => c.status)).toEqual(['resolved', 'open']);
    expect(episodes.results[0]).toMatchObject({
      client_display_name: 'Ivan',
      operator_id: desk.operatorA.id,
      first_response_seconds: expect.any(Number),
      resolution_seconds: expect.any(Number),
      resolved_by_id: desk.operatorA.id,
    });
    const open = episodes.results[1];
    const fetched = ok(await admin.GET('/conversations/{id}', { params: { path: { id: open?.id ?? '' } } }));
    expect(fetched).toMatchObject({ status: 'open', first_response_at: null, resolution_seconds: null });
    problem(await admin.GET('/conversations/{id}', { params: { path: { id: randomUUID() } } }), 404);
    problem(await admin.GET('/conversations', { params: { query: { status: 'lost' as never } } }), 400);
  });

  it('operator logs: list, get, CSV export', async () => {
    const desk = await makeApiDesk(db);
    const admin = as(desk.adminToken);
    ok(await admin.POST('/departments', { body: { name: 'Wholesale' } }));
    ok(
      await admin.PATCH('/departments/{id}', {
        params: { path: { id: desk.departmentB.id } },
        body: { sort_order: 9 },
      }),
    );

    const trail = ok(
      await admin.GET('/operator-logs', {
        params: { query: { actor_type: 'api_token', action: 'department.created,department.updated' } },
      }),
    );
    expect(trail.results.map((l) => l.action).sort()).toEqual(['department.created', 'department.updated']);
    expect(trail.results[0]).toMatchObject({ actor_type: 'api_token', ip: expect.any(String) });
    const row = trail.results[0];
    const fetched = ok(await admin.GET('/operator-logs/{id}', { params: { path: { id: String(row?.id) } } }));
    expect(fetched).toEqual(row);
    const csv = await admin.GET('/operator-logs/export.csv', {
      params: { query: { action: 'department.created' } },
      parseAs: 'text',
    });
    const lines = ok(csv)
      .replace(/^\uFEFF/, '')
      .trim()
      .split('\r\n');
    expect(lines[0]).toMatch(/^id,created_at,actor_type,actor_label/);
    expect(lines).toHaveLength(2);
    expect(lines[1]).toContain('department.created');

    problem(await admin.GET('/operator-logs/{id}', { params: { path: { id: '999999' } } }), 404);
    problem(await admin.GET('/operator-logs', { params: { query: { created_from: 'yesterday' } } }), 400);
  });

  it('API tokens: list, create, use, revoke', async () => {
    const desk = await makeApiDesk(db);
    const admin = as(desk.admin);

    const tokens = ok(await admin.GET('/api-tokens'));
    expect(tokens.results.map((t) => t.role).sort()).toEqual(['admin', 'operator']);
    const expiresAt = inDays(30);
    const created = ok(
      await admin.POST('/api-tokens', {
        body: {
          name: 'BI export',
          role: 'supervisor',
          department_ids: [desk.departmentA.id],
          expires_at: expiresAt,
        },
      }),
    );
    expect(created).toMatchObject({
      name: 'BI export',
      role: 'supervisor',
      revoked_at: null,
      last_used_at: null,
    });
    expect(created.token.startsWith(created.prefix)).toBe(true);
    ok(await as({ token: created.token }).GET('/departments'));
    const revoked = ok(await admin.POST('/api-tokens/{id}/revoke', { params: { path: { id: created.id } } }));
    expect(revoked).toMatchObject({
      id: created.id,
      revoked_at: expect.any(String),
      last_used_at: expect.any(String),
    });
    problem(await as({ token: created.token }).GET('/departments'), 401);

    problem(await admin.POST('/api-tokens', { body: { name: 'Floor', role: 'operator' } }), 422);
    problem(await as(desk.operatorTokenA).GET('/api-tokens'), 403);
    problem(await admin.POST('/api-tokens/{id}/revoke', { params: { path: { id: randomUUID() } } }), 404);
  });

  it('drove every operation of the document to a success, and every documented error status', () => {
    const operations = documentOperations(doc);
    const succeeded = new Set(contract.checked.filter((a) => a.status < 300).map((a) => a.operationId));
    expect(operations.length).toBeGreaterThan(0);
    expect(
      operations.map((o) => o.operationId).filter((id) => !succeeded.has(id)),
      'operations never driven to a success',
    ).toEqual([]);
    const documentedErrors = new Set(operations.flatMap((o) => o.statuses.filter((s) => Number(s) >= 400)));
    const seenErrors = new Set(contract.checked.filter((a) => a.status >= 400).map((a) => String(a.status)));
    expect(
      [...documentedErrors].filter((s) => !seenErrors.has(s)).sort(),
      'error statuses never seen',
    ).toEqual([]);
  });
});
