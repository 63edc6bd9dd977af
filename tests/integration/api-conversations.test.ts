import { beforeEach, describe, expect, it } from 'vitest';
import type { Db } from '@/db/client';
import { conversations } from '@/db/schema';
import { settleBackgroundWork } from '@/lib/background';
import { makeClient } from '../factories/messages';
import { api, expectProblem, makeApiDesk, results } from '../support/api-desk';
import { getTestDb, resetDb } from '../support/db';

let db: Db;

beforeEach(async () => {
  await settleBackgroundWork();
  db = await getTestDb();
  await resetDb(db);
});

const T0 = Date.parse('2026-03-02T09:00:00Z');
const at = (seconds: number) => new Date(T0 + seconds * 1000);

async function episode(values: {
  clientId: string;
  departmentId: string | null;
  operatorId: string | null;
  openedAt: Date;
  firstResponseAt?: Date | null;
  resolvedAt?: Date | null;
  rating?: number;
}) {
  const [row] = await db
    .insert(conversations)
    .values({ ...values, status: values.resolvedAt ? 'resolved' : 'open' })
    .returning();
  if (!row) throw new Error('no episode');
  return row;
}

/**
 * c1 (A, Olga): e1 resolved, e2 open · c2 (A, queued): e3 open, unanswered · c3 (B, Boris): e4
 * · c4 (A, now Carl's): e5 handled by Olga, e6 Carl's · c5 (now B, Boris): e7 handled in A, e8.
 */
async function scenario() {
  const desk = await makeApiDesk(db);
  const { departmentA: A, departmentB: B, operatorA, colleagueA, operatorB } = desk;
  const c1 = await makeClient(db, {
    departmentId: A.id,
    assignedOperatorId: operatorA.id,
    name: 'Client One',
  });
  const c2 = await makeClient(db, { departmentId: A.id, status: 'new' });
  const c3 = await makeClient(db, { departmentId: B.id, assignedOperatorId: operatorB.id });
  const c4 = await makeClient(db, { departmentId: A.id, assignedOperatorId: colleagueA.id });
  const c5 = await makeClient(db, { departmentId: B.id, assignedOperatorId: operatorB.id });
  const e = {
    e1: await episode({
      clientId: c1.id,
      departmentId: A.id,
      operatorId: operatorA.id,
      openedAt: at(0),
      firstResponseAt: at(60),
      resolvedAt: at(600),
      rating: 5,
    }),
    e2: await episode({
      clientId: c1.id,
      departmentId: A.id,
      operatorId: operatorA.id,
      openedAt: at(7200),
      firstResponseAt: at(7230),
    }),
    e3: await episode({ clientId: c2.id, departmentId: A.id, operatorId: null, openedAt: at(8000) }),
    e4: await episode({
      clientId: c3.id,
      departmentId: B.id,
      operatorId: operatorB.id,
      openedAt: at(100),
      firstResponseAt: at(220),
      resolvedAt: at(3700),
    }),
    e5: await episode({
      clientId: c4.id,
      departmentId: A.id,
      operatorId: operatorA.id,
      openedAt: at(200),
      firstResponseAt: at(210),
      resolvedAt: at(400),
    }),
    e6: await episode({
      clientId: c4.id,
      departmentId: A.id,
      operatorId: colleagueA.id,
      openedAt: at(9000),
    }),
    e7: await episode({
      clientId: c5.id,
      departmentId: A.id,
      operatorId: colleagueA.id,
      openedAt: at(300),
      firstResponseAt: at(900),
      resolvedAt: at(1000),
    }),
    e8: await episode({ clientId: c5.id, departmentId: B.id, operatorId: operatorB.id, openedAt: at(9500) }),
  };
  const name = Object.fromEntries(Object.entries(e).map(([k, v]) => [v.id, k]));
  return { desk, clients: { c1, c2, c3, c4, c5 }, e, name };
}

describe('REST API: conversations', () => {
  it('lists episodes with their response and resolution times, filtered and ordered', async () => {
    const { desk, clients, e, name } = await scenario();
    const list = async (query: string) =>
      results<{ id: string }>(await api(`/conversations?${query}`, desk.admin)).map((c) => name[c.id]);

    const all = await api('/conversations', desk.admin);
    expect(all.body).toMatchObject({ count: 8, next: null, previous: null });
    expect(results<{ id: string }>(all).map((c) => name[c.id])).toEqual([
      'e8',
      'e6',
      'e3',
      'e2',
      'e7',
      'e5',
      'e4',
      'e1',
    ]);
    const one = await api(`/conversations/${e.e1.id}`, desk.admin);
    expect(one.body).toEqual({
      id: e.e1.id,
      client_id: clients.c1.id,
      client_display_name: 'Client One',
      department_id: desk.departmentA.id,
      department_name: desk.departmentA.name,
      operator_id: desk.operatorA.id,
      operator_name: 'Olga A',
      status: 'resolved',
      opened_at: '2026-03-02T09:00:00.000Z',
      first_response_at: '2026-03-02T09:01:00.000Z',
      resolved_at: '2026-03-02T09:10:00.000Z',
      resolved_by_id: null,
      first_response_seconds: 60,
      resolution_seconds: 600,
      rating: 5,
      rating_comment: null,
    });
    expect((await api(`/conversations/${e.e3.id}`, desk.admin)).body).toMatchObject({
      first_response_seconds: null,
      resolution_seconds: null,
      status: 'open',
    });

    // Not answered yet counts as the slowest: last ascending, first descending.
    const ascending = await list('ordering=first_response_seconds');
    expect(ascending.slice(0, 5)).toEqual(['e5', 'e2', 'e1', 'e4', 'e7']);
    expect(ascending.slice(5).sort()).toEqual(['e3', 'e6', 'e8']);
    expect((await list('ordering=-first_response_seconds')).slice(-5)).toEqual([
      'e7',
      'e4',
      'e1',
      'e2',
      'e5',
    ]);
    expect(await list('ordering=resolution_seconds&status=resolved')).toEqual(['e5', 'e1', 'e7', 'e4']);
    expect(await list('ordering=-resolved_at&status=resolved')).toEqual(['e4', 'e7', 'e1', 'e5']);
    expect(await list(`client_id=${clients.c1.id}`)).toEqual(['e2', 'e1']);
    expect(await list(`department_id=${desk.departmentB.id}`)).toEqual(['e8', 'e4']);
    expect(await list(`operator_id=${desk.operatorA.id}&ordering=opened_at`)).toEqual(['e1', 'e5', 'e2']);
    expect(await list('status=open&ordering=opened_at')).toEqual(['e2', 'e3', 'e6', 'e8']);
    expect(await list(`opened_from=${at(200).toISOString()}&opened_to=${at(7200).toISOString()}`)).toEqual([
      'e7',
      'e5',
    ]);
    expect(
      await list(
        `resolved_from=${at(600).toISOString()}&resolved_to=${at(1001).toISOString()}&ordering=resolved_at`,
      ),
    ).toEqual(['e1', 'e7']);
    const paged = await api('/conversations?page_size=3&page=2', desk.admin);
    expect(paged.body).toMatchObject({ count: 8 });
    expect(String(paged.body?.next)).toContain('page=3');
    expect(String(paged.body?.previous)).toContain('page=1');

    expectProblem(await api('/conversations?ordering=rating', desk.admin), 400);
    expectProblem(await api('/conversations?status=closed', desk.admin), 400);
    expectProblem(await api('/conversations?opened_from=yesterday', desk.admin), 400);
    // Offset paging stops at 10,000 rows deep.
    expectProblem(await api('/conversations?page=401&page_size=25', desk.admin), 400);
    expect((await api('/conversations?page=400&page_size=25', desk.admin)).status).toBe(200);
  });

  it('shows supervisors their departments’ episodes and operators the episodes they handled', async () => {
    const { desk, clients, e, name } = await scenario();
    const seen = async (caller: { token?: string; cookie?: string }) =>
      results<{ id: string }>(await api('/conversations?ordering=opened_at', caller))
        .map((c) => name[c.id])
        .sort();
    expect(await seen(desk.adminToken)).toEqual(['e1', 'e2', 'e3', 'e4', 'e5', 'e6', 'e7', 'e8']);
    // Supervisors: their departments' episodes (c5 moved to B: its earlier episode e7 stays
    // with A, who handled it).
    expect(await seen(desk.supervisorA)).toEqual(['e1', 'e2', 'e3', 'e5', 'e6', 'e7']);
    expect(await seen(desk.supervisorB)).toEqual(['e4', 'e8']);
    // Operators: the episodes they were the operator of (e5: c4 is Carl's now, e6 is Carl's).
    expect(await seen(desk.operatorA)).toEqual(['e1', 'e2', 'e5']);
    expect(await seen(desk.colleagueA)).toEqual(['e6', 'e7']);
    // An operator token: its departments' episodes nobody had (the queue's).
    expect(await seen(desk.operatorTokenA)).toEqual(['e3']);

    expect((await api(`/conversations/${e.e5.id}`, desk.operatorA)).status).toBe(200);
    expectProblem(await api(`/clients/${clients.c4.id}`, desk.operatorA), 404);
    expectProblem(await api(`/conversations/${e.e6.id}`, desk.operatorA), 404);
    expectProblem(await api(`/conversations/${e.e3.id}`, desk.operatorA), 404);
    expectProblem(await api(`/conversations/${e.e1.id}`, desk.supervisorB), 404);
    expectProblem(await api(`/conversations/${e.e7.id}`, desk.supervisorB), 404);
    expectProblem(await api(`/conversations/${e.e1.id}`, desk.operatorTokenA), 404);
    expect((await api(`/conversations/${e.e4.id}`, desk.operatorB)).status).toBe(200);
  });
});
