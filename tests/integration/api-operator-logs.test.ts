import { parse } from 'csv-parse/sync';
import { and, asc, eq, sql } from 'drizzle-orm';
import { beforeEach, describe, expect, it } from 'vitest';
import type { Db } from '@/db/client';
import { clients, operatorLogs } from '@/db/schema';
import { exportOperatorLogs } from '@/lib/audit/export-operator-logs';
import { recordAudit } from '@/lib/audit/record-audit';
import { systemActor } from '@/lib/auth/actor';
import { settleBackgroundWork } from '@/lib/background';
import { textUpdate } from '../factories';
import { makeInboundMessage } from '../factories/messages';
import { api, expectProblem, makeApiDesk, results, type Caller } from '../support/api-desk';
import { apiBaseUrl } from '../support/api-server';
import { getTestDb, resetDb } from '../support/db';
import { postUpdate } from '../support/webhook';

let db: Db;

beforeEach(async () => {
  await settleBackgroundWork();
  db = await getTestDb();
  await resetDb(db);
});

type LogJson = { id: number; action: string; target_id: string | null } & Record<string, unknown>;

async function clientOf(telegramUserId: number) {
  const [row] = await db.select().from(clients).where(eq(clients.telegramUserId, telegramUserId));
  if (!row) throw new Error('no client');
  return row;
}

/**
 * A day at the desk, each action by a different caller: the rows of the trail the tests read.
 * Client 1 stays in A; client 2 arrives in A and an admin token moves it to B; client 3 (queue
 * of A) is resolved by the operator token of A.
 */
async function dayAtTheDesk() {
  const desk = await makeApiDesk(db);
  const { admin, adminToken, operatorA, operatorB, supervisorA, operatorTokenA, departmentB } = desk;
  let step = 0;
  const ok = (answer: { status: number; text: string }) => {
    step += 1;
    if (answer.status >= 300) throw new Error(`step ${step}: ${answer.status} ${answer.text}`);
  };
  ok(await api(`/operators/${operatorA.id}`, admin, { method: 'PATCH', json: { capacity: 12 } }));
  ok(await api(`/operators/${operatorA.id}/status`, operatorA, { json: { status: 'away' } }));
  ok(await api(`/operators/${operatorB.id}/status`, operatorB, { json: { status: 'away' } }));
  ok(await api(`/departments/${departmentB.id}`, admin, { method: 'PATCH', json: { sort_order: 4 } }));
  await postUpdate(textUpdate({ id: 750_001, first_name: 'Una' }, 'hello'));
  await postUpdate(textUpdate({ id: 750_002, first_name: 'Dos' }, 'hello'));
  const client1 = await clientOf(750_001);
  const client2 = await clientOf(750_002);
  ok(await api(`/clients/${client2.id}/transfer`, adminToken, { json: { department_id: departmentB.id } }));
  ok(await api(`/clients/${client1.id}/resolve`, supervisorA, { method: 'POST' }));
  // Nobody in A online (Olga is away, the others are set offline): client 3 waits in A's queue.
  await db.execute(sql`update operators set status = 'offline'`);
  await postUpdate(textUpdate({ id: 750_003, first_name: 'Tres' }, 'hello'));
  const client3 = await clientOf(750_003);
  ok(await api(`/clients/${client3.id}/resolve`, operatorTokenA, { method: 'POST' }));
  return { desk, client1, client2, client3 };
}

async function actions(caller: Caller, query = '') {
  const answer = await api(`/operator-logs?page_size=100${query}`, caller);
  if (answer.status !== 200) throw new Error(answer.text);
  return results<LogJson>(answer).map((l) => `${l.action}:${l.target_id}`);
}

describe('REST API: operator logs', () => {
  it('shows admins every row, supervisors their departments, operators their own actions', async () => {
    const { desk, client1, client2, client3 } = await dayAtTheDesk();
    const {
      admin,
      operatorA,
      operatorB,
      supervisorA,
      supervisorB,
      operatorTokenA,
      departmentA,
      departmentB,
    } = desk;
    const everything = await actions(desk.adminToken);
    expect(everything).toEqual(
      expect.arrayContaining([
        `operator.updated:${operatorA.id}`,
        `operator.status_changed:${operatorA.id}`,
        `operator.status_changed:${operatorB.id}`,
        `department.updated:${departmentB.id}`,
        `client.assigned:${client1.id}`,
        `client.transferred:${client2.id}`,
        `client.resolved:${client1.id}`,
        `client.resolved:${client3.id}`,
      ]),
    );
    expect((await api('/operator-logs', admin)).body?.count).toBe(everything.length);

    const a = await actions(supervisorA);
    expect(a).toEqual(
      expect.arrayContaining([
        `operator.updated:${operatorA.id}`, // about an operator of A
        `operator.status_changed:${operatorA.id}`,
        `client.assigned:${client1.id}`, // about a client of A
        `client.assigned:${client2.id}`, // client 2 was in A when it was assigned
        `client.resolved:${client1.id}`, // their own action
      ]),
    );
    for (const hidden of [
      `operator.status_changed:${operatorB.id}`,
      `department.updated:${departmentB.id}`,
      `client.transferred:${client2.id}`, // written after the move: about B
    ]) {
      expect(a).not.toContain(hidden);
    }
    const b = await actions(supervisorB);
    expect(b).toEqual(
      expect.arrayContaining([
        `operator.status_changed:${operatorB.id}`,
        `department.updated:${departmentB.id}`,
        `client.transferred:${client2.id}`,
      ]),
    );
    expect(b).not.toContain(`client.resolved:${client3.id}`);
    expect(b.some((row) => row.includes(operatorA.id) || row.includes(client1.id))).toBe(false);
    expect(await actions(operatorA)).toEqual([`operator.status_changed:${operatorA.id}`]);
    expect(await actions(operatorTokenA)).toEqual([`client.resolved:${client3.id}`]);

    // Retrieve: the same rule, 404 for rows of others.
    const [aboutA] = await db
      .select()
      .from(operatorLogs)
      .where(and(eq(operatorLogs.action, 'client.resolved'), eq(operatorLogs.targetId, client1.id)));
    const one = await api(`/operator-logs/${aboutA?.id}`, supervisorA);
    expect(one.body).toMatchObject({
      id: aboutA?.id,
      actor_type: 'operator',
      actor_label: 'Sue A',
      operator_id: supervisorA.id,
      action: 'client.resolved',
      target_type: 'client',
      target_id: client1.id,
      department_id: departmentA.id,
      ip: expect.any(String),
    });
    expectProblem(await api(`/operator-logs/${aboutA?.id}`, supervisorB), 404);
    expectProblem(await api(`/operator-logs/${aboutA?.id}`, operatorA), 404);
    expectProblem(await api(`/operator-logs/${aboutA?.id}`, operatorTokenA), 404);
    expectProblem(await api('/operator-logs/abc', admin), 404);
    expectProblem(await api('/operator-logs/0', admin), 404);
    expectProblem(await api('/operator-logs/99999999', admin), 404);
  });

  it('files each row under the department it is about when written (the trigger)', async () => {
    const { desk, client1 } = await dayAtTheDesk();
    const { message } = await makeInboundMessage(db, { client: client1, text: 'hi' });
    await recordAudit(db, systemActor('test'), {
      action: 'message.edited',
      targetType: 'message',
      targetId: message.id,
    });
    await recordAudit(db, systemActor('test'), {
      action: 'odd.target',
      targetType: 'client',
      targetId: 'not-a-uuid',
    });
    const rows = await db.select().from(operatorLogs);
    const departmentOf = (action: string) => rows.find((r) => r.action === action)?.departmentId;
    expect(departmentOf('message.edited')).toBe(desk.departmentA.id);
    expect(departmentOf('odd.target')).toBeNull();
    expect(departmentOf('department.updated')).toBe(desk.departmentB.id);
    expect(departmentOf('operator.updated')).toBeNull();
  });

  it('filters by actor, action, target, address and time; searches within a time window', async () => {
    const { desk, client1, client3 } = await dayAtTheDesk();
    const { admin, adminToken, operatorA } = desk;
    const q = (query: string) => actions(admin, `&${query}`);
    const byToken = await api('/operator-logs?actor_type=api_token', admin);
    expect(results<LogJson>(byToken).every((l) => l.actor_type === 'api_token')).toBe(true);
    // The admin token's transfer and the assignment it caused, the operator token's resolution.
    expect(byToken.body?.count).toBe(3);
    expect(await q(`operator_id=${operatorA.id}`)).toEqual([`operator.status_changed:${operatorA.id}`]);
    const [tokenRow] = await db
      .select()
      .from(operatorLogs)
      .where(and(eq(operatorLogs.actorType, 'api_token'), eq(operatorLogs.action, 'client.resolved')));
    expect(await q(`api_token_id=${tokenRow?.apiTokenId}`)).toEqual([
      `client.resolved:${tokenRow?.targetId}`,
    ]);
    expect((await q('action=client.resolved,department.updated')).sort()).toEqual(
      [
        `client.resolved:${client1.id}`,
        `client.resolved:${client3.id}`,
        `department.updated:${desk.departmentB.id}`,
      ].sort(),
    );
    expect(await q(`target_type=client&target_id=${client1.id}&ordering=created_at`)).toEqual([
      `client.assigned:${client1.id}`,
      `client.resolved:${client1.id}`,
    ]);
    expect(await q(`target_id=${client1.id}`)).toHaveLength(2);
    const ip = tokenRow?.ip ?? '';
    expect(ip).not.toBe('');
    expect((await q(`ip=${encodeURIComponent(ip)}`)).length).toBeGreaterThan(2);
    expect(await q('ip=198.51.100.1')).toEqual([]);
    const later = new Date(Date.now() + 60_000).toISOString();
    expect(await q(`created_from=${later}`)).toEqual([]);
    expect((await q(`created_to=${later}`)).length).toBeGreaterThan(5);

    // Search: actor label, action, target id; rows older than the window are not searched.
    await db.insert(operatorLogs).values({
      actorType: 'operator',
      operatorId: operatorA.id,
      actorLabel: 'Olga A',
      action: 'operator.status_changed',
      targetType: 'operator',
      targetId: operatorA.id,
      createdAt: new Date(Date.now() - 30 * 86_400_000),
    });
    expect(await q('search=olga')).toEqual([`operator.status_changed:${operatorA.id}`]);
    const longAgo = new Date(Date.now() - 40 * 86_400_000).toISOString();
    expect(await q(`search=olga&created_from=${longAgo}`)).toHaveLength(2);
    expect((await q('search=RESOLVED')).length).toBe(2);
    expect(await q(`search=${client1.id}`)).toHaveLength(2);
    expect(await actions(adminToken, '&search=nothing-like-this')).toEqual([]);

    expectProblem(await api('/operator-logs?actor_type=robot', admin), 400);
    expectProblem(await api('/operator-logs?action=DROP%20TABLE', admin), 400);
    expectProblem(await api('/operator-logs?ordering=action', admin), 400);
    expectProblem(await api('/operator-logs?created_from=last-week', admin), 400);
  });

  it('counts up to 10,000 rows and refuses pages past them', async () => {
    const desk = await makeApiDesk(db);
    await db.execute(sql`insert into operator_logs (actor_type, actor_label, action, created_at)
      select 'system', 'bulk', 'bulk.row', now() - (g || ' seconds')::interval from generate_series(1, 10050) g`);
    const first = await api('/operator-logs?action=bulk.row', desk.admin);
    expect(first.body).toMatchObject({ count: 10_000, previous: null });
    const last = await api('/operator-logs?action=bulk.row&page=400', desk.admin);
    expect(last.body).toMatchObject({ next: null });
    expect(results(last)).toHaveLength(25);
    expectProblem(await api('/operator-logs?action=bulk.row&page=401', desk.admin), 400);
    // A narrower filter is counted exactly.
    const window = `created_from=${new Date(Date.now() - 100_500).toISOString()}`;
    expect((await api(`/operator-logs?action=bulk.row&${window}`, desk.admin)).body?.count).toBeGreaterThan(
      95,
    );
    expect((await api(`/operator-logs?action=bulk.row&${window}`, desk.admin)).body?.count).toBeLessThan(105);
  });

  it('exports the same rows as CSV, streamed in keyset pages, escaped, within the caller’s scope', async () => {
    const { desk, client1 } = await dayAtTheDesk();
    // 2,345 rows sharing one instant (to the microsecond): the keyset must neither skip nor repeat.
    await db.execute(sql`insert into operator_logs (actor_type, actor_label, action, target_type, target_id, created_at)
      select 'system', 'bulk ' || g, 'bulk.row', 'client', ${client1.id}, '2026-01-01 00:00:00.123456+00'
      from generate_series(1, 2345) g`);
    const tricky = ['Comma, "quoted"\nand a new line', '=HYPERLINK("https://evil.example")', 'Ünïcødé 名前'];
    for (const label of tricky) {
      await recordAudit(db, { kind: 'telegram', telegramUserId: 42, name: label }, { action: 'tricky.row' });
    }

    const answer = await api(
      '/operator-logs/export.csv?action=bulk.row,tricky.row&ordering=created_at',
      desk.admin,
    );
    expect(answer.status).toBe(200);
    expect(answer.headers.get('content-type')).toBe('text/csv; charset=utf-8');
    expect(answer.headers.get('content-disposition')).toMatch(
      /^attachment; filename="operator-logs-\d{4}-\d{2}-\d{2}\.csv"$/,
    );
    const rows = parse(answer.text, { bom: true, columns: true }) as Record<string, string>[];
    expect(Object.keys(rows[0] ?? {})).toEqual([
      'id',
      'created_at',
      'actor_type',
      'actor_label',
      'operator_id',
      'api_token_id',
      'telegram_user_id',
      'action',
      'target_type',
      'target_id',
      'department_id',
      'ip',
      'user_agent',
      'details',
    ]);
    expect(rows).toHaveLength(2345 + 3);
    expect(new Set(rows.map((r) => r.id)).size).toBe(2348);
    expect(
      rows.slice(0, 2345).every((r) => r.action === 'bulk.row' && r.department_id === desk.departmentA.id),
    ).toBe(true);
    const ids = rows.slice(0, 2345).map((r) => Number(r.id));
    expect(ids).toEqual([...ids].sort((x, y) => x - y));
    expect(rows.slice(2345).map((r) => r.actor_label)).toEqual([tricky[0], `'${tricky[1]}`, tricky[2]]);
    expect(rows[2345]).toMatchObject({ actor_type: 'telegram', telegram_user_id: '42', details: '{}' });

    const descending = await api('/operator-logs/export.csv?action=bulk.row', desk.admin);
    const down = (parse(descending.text, { bom: true, columns: true }) as { id: string }[]).map((r) =>
      Number(r.id),
    );
    expect(down).toEqual([...ids].reverse());

    // The same scope as the list: supervisor B sees none of A's rows, an operator their own.
    const b = parse((await api('/operator-logs/export.csv', desk.supervisorB)).text, {
      bom: true,
      columns: true,
    });
    expect((b as { action: string }[]).some((r) => r.action === 'bulk.row')).toBe(false);
    const own = parse((await api('/operator-logs/export.csv', desk.operatorA)).text, {
      bom: true,
      columns: true,
    });
    // Their own actions: the status change, and this export (recorded before the rows are read).
    expect((own as { action: string }[]).map((r) => r.action)).toEqual([
      'operator_logs.exported',
      'operator.status_changed',
    ]);

    // Every export is in the trail, with its query.
    const exported = await db
      .select()
      .from(operatorLogs)
      .where(eq(operatorLogs.action, 'operator_logs.exported'))
      .orderBy(asc(operatorLogs.id));
    expect(exported).toHaveLength(4);
    expect(exported[0]?.details).toMatchObject({
      query: { action: ['bulk.row', 'tricky.row'], ordering: 'createdAt' },
    });

    expectProblem(await api('/operator-logs/export.csv?page=2', desk.admin), 400);
    expectProblem(await api('/operator-logs/export.csv'.replace('.csv', '.xlsx'), desk.admin), 404);
    expectProblem(await api('/operator-logs/export.csv', {}), 401);
  });

  it('reads the export one page per pull', async () => {
    const desk = await makeApiDesk(db);
    await db.execute(sql`insert into operator_logs (actor_type, actor_label, action)
      select 'system', 'bulk', 'bulk.row' from generate_series(1, 2345) g`);
    const stream = await exportOperatorLogs({
      db,
      actor: { kind: 'operator', operatorId: desk.admin.id, name: 'Ada', role: 'admin', departmentIds: [] },
      input: { action: ['bulk.row'] },
    });
    const reader = stream.getReader();
    const lines: number[] = [];
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      // A UTF-8 byte order mark first, so spreadsheet programs read the names right.
      if (lines.length === 0) expect([...value.slice(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
      lines.push(new TextDecoder().decode(value).split('\r\n').filter(Boolean).length);
    }
    // The header and 1,000 rows, 1,000 rows, the rest: one keyset page per read.
    expect(lines).toEqual([1001, 1000, 345]);
  });
});

describe('OpenAPI document', () => {
  it('describes the departments, operators, conversations and operator-logs operations', async () => {
    const doc = (await (await fetch(`${await apiBaseUrl()}/openapi.json`)).json()) as {
      paths: Record<
        string,
        Record<string, { responses: Record<string, { content?: Record<string, unknown> }> }>
      >;
    };
    expect(Object.keys(doc.paths)).toEqual(
      expect.arrayContaining([
        '/departments',
        '/departments/{id}',
        '/departments/{id}/deactivate',
        '/operators',
        '/operators/{id}',
        '/operators/{id}/status',
        '/operators/{id}/invite',
        '/conversations',
        '/conversations/{id}',
        '/operator-logs',
        '/operator-logs/{id}',
        '/operator-logs/export.csv',
      ]),
    );
    expect(Object.keys(doc.paths['/operator-logs/export.csv']?.get?.responses['200']?.content ?? {})).toEqual(
      ['text/csv'],
    );
  });
});
