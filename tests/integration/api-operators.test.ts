import { and, eq, inArray } from 'drizzle-orm';
import { beforeEach, describe, expect, it } from 'vitest';
import type { Db } from '@/db/client';
import { authTokens, clients, departments, operatorDepartments, operatorLogs, operators } from '@/db/schema';
import { settleBackgroundWork } from '@/lib/background';
import { makeOperator, textUpdate } from '../factories';
import { linkOperatorTelegram } from '../factories/auth';
import { api, expectProblem, makeApiDesk, results } from '../support/api-desk';
import { sessionCookie } from '../support/api-server';
import { getTestDb, resetDb } from '../support/db';
import { postUpdate } from '../support/webhook';

let db: Db;

beforeEach(async () => {
  await settleBackgroundWork();
  db = await getTestDb();
  await resetDb(db);
});

async function auditOf(targetId: string) {
  return db.select().from(operatorLogs).where(eq(operatorLogs.targetId, targetId));
}

/** Only `online` are online (everyone else offline), each with `capacity`. */
async function onlyOnline(ids: string[], capacity = 10) {
  await db.update(operators).set({ status: 'offline' });
  await db.update(operators).set({ status: 'online', capacity }).where(inArray(operators.id, ids));
}

async function clientOf(telegramUserId: number) {
  const [row] = await db.select().from(clients).where(eq(clients.telegramUserId, telegramUserId));
  if (!row) throw new Error('no client');
  return row;
}

type OperatorJson = { id: string; name: string } & Record<string, unknown>;

describe('REST API: operators', () => {
  it('shows admins everyone, others their departments’ members and themselves; never secrets', async () => {
    const desk = await makeApiDesk(db);
    await linkOperatorTelegram(db, desk.operatorA.id, 5_550_101);
    const names = async (caller: { token?: string; cookie?: string }) =>
      results<OperatorJson>(await api('/operators', caller))
        .map((o) => o.name)
        .sort();
    expect(await names(desk.admin)).toEqual(['Ada Admin', 'Boris B', 'Carl A', 'Olga A', 'Sam B', 'Sue A']);
    expect(await names(desk.adminToken)).toHaveLength(6);
    expect(await names(desk.supervisorA)).toEqual(['Carl A', 'Olga A', 'Sue A']);
    expect(await names(desk.supervisorB)).toEqual(['Boris B', 'Sam B']);
    expect(await names(desk.operatorA)).toEqual(['Carl A', 'Olga A', 'Sue A']);
    expect(await names(desk.operatorTokenA)).toEqual(['Carl A', 'Olga A', 'Sue A']);
    // An admin in no department sees everyone, and others see them nowhere.
    expect(await names(desk.operatorB)).not.toContain('Ada Admin');

    const asAdmin = await api(`/operators/${desk.operatorA.id}`, desk.admin);
    expect(asAdmin.body).toMatchObject({
      id: desk.operatorA.id,
      role: 'operator',
      status: 'online',
      is_active: true,
      capacity: 10,
      active_clients: 0,
      load: 0,
      telegram_linked: true,
      telegram_user_id: 5_550_101,
      department_ids: [desk.departmentA.id],
    });
    expect(asAdmin.body?.telegram_linked_at).toEqual(expect.any(String));
    const asColleague = await api(`/operators/${desk.operatorA.id}`, desk.colleagueA);
    expect(asColleague.body).toMatchObject({ telegram_linked: true });
    expect(asColleague.body).not.toHaveProperty('telegram_user_id');
    for (const answer of [asAdmin, asColleague, await api('/operators', desk.admin)]) {
      expect(answer.text).not.toMatch(/password|session_version|sessionVersion|hash/i);
    }
    // Someone outside the caller's departments does not exist for them.
    expectProblem(await api(`/operators/${desk.operatorA.id}`, desk.supervisorB), 404);
    expectProblem(await api(`/operators/${desk.operatorA.id}`, desk.operatorB), 404);
    expectProblem(await api(`/operators/${desk.admin.id}`, desk.operatorTokenA), 404);
    expect((await api(`/operators/${desk.operatorB.id}`, desk.operatorB)).status).toBe(200);
  });

  it('filters, searches and orders operators', async () => {
    const desk = await makeApiDesk(db);
    await db
      .update(operators)
      .set({ status: 'away', isActive: false })
      .where(eq(operators.id, desk.colleagueA.id));
    await db.update(operators).set({ activeClients: 3 }).where(eq(operators.id, desk.operatorB.id));
    const q = async (query: string) =>
      results<OperatorJson>(await api(`/operators?${query}`, desk.admin)).map((o) => o.name);
    expect(await q('role=supervisor,admin&ordering=name')).toEqual(['Ada Admin', 'Sam B', 'Sue A']);
    expect(await q('status=away')).toEqual(['Carl A']);
    expect(await q('is_active=false')).toEqual(['Carl A']);
    expect(await q(`department_id=${desk.departmentB.id}`)).toEqual(['Boris B', 'Sam B']);
    expect(await q(`search=${encodeURIComponent(desk.operatorA.email.toUpperCase())}`)).toEqual(['Olga A']);
    expect(await q('search=a%20a')).toEqual(['Ada Admin', 'Olga A']);
    expect((await q('ordering=-active_clients'))[0]).toBe('Boris B');
    expect((await api('/operators?page_size=4', desk.admin)).body).toMatchObject({ count: 6 });
    expectProblem(await api('/operators?ordering=password_hash', desk.admin), 400);
    expectProblem(await api('/operators?status=busy', desk.admin), 400);
  });

  it('lets admins create operators (capacity from the department), audited; others get 403', async () => {
    const desk = await makeApiDesk(db);
    // The smaller default capacity of the two departments.
    await db.update(departments).set({ defaultCapacity: 4 }).where(eq(departments.id, desk.departmentB.id));
    const created = await api('/operators', desk.adminToken, {
      json: {
        email: 'new.person@example.test',
        name: 'New Person',
        password: 'correct horse battery',
        role: 'supervisor',
        department_ids: [desk.departmentA.id, desk.departmentB.id],
      },
    });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({
      name: 'New Person',
      role: 'supervisor',
      status: 'offline',
      capacity: 4,
      department_ids: [desk.departmentA.id, desk.departmentB.id].sort(),
    });
    expect(await auditOf(String(created.body?.id))).toMatchObject([
      { action: 'operator.created', actorType: 'api_token' },
    ]);
    const duplicate = await api('/operators', desk.admin, {
      json: { email: 'NEW.person@example.test', name: 'Again', password: 'correct horse battery' },
    });
    expectProblem(duplicate, 409);
    expectProblem(
      await api('/operators', desk.admin, {
        json: {
          email: 'x@example.test',
          name: 'X',
          password: 'correct horse battery',
          department_ids: ['00000000-0000-4000-8000-000000000000'],
        },
      }),
      422,
    );
    expectProblem(
      await api('/operators', desk.admin, {
        json: { email: 'x@example.test', name: 'X', password: 'short' },
      }),
      422,
    );
    for (const caller of [desk.supervisorA, desk.operatorA, desk.operatorTokenA]) {
      expectProblem(
        await api('/operators', caller, {
          json: { email: 'y@example.test', name: 'Y', password: 'correct horse battery' },
        }),
        403,
      );
    }
  });

  it('updates name, role, capacity and departments; more room hands queued clients out', async () => {
    const desk = await makeApiDesk(db);
    await onlyOnline([desk.operatorA.id], 1);
    await postUpdate(textUpdate({ id: 741_001 }, 'first'));
    await postUpdate(textUpdate({ id: 741_002 }, 'second'));
    expect((await clientOf(741_001)).assignedOperatorId).toBe(desk.operatorA.id);
    expect((await clientOf(741_002)).assignedOperatorId).toBeNull();

    const updated = await api(`/operators/${desk.operatorA.id}`, desk.admin, {
      method: 'PATCH',
      json: { name: 'Olga Senior', capacity: 2 },
    });
    expect(updated.status).toBe(200);
    expect(updated.body).toMatchObject({ name: 'Olga Senior', capacity: 2, active_clients: 2, load: 1 });
    expect((await clientOf(741_002)).assignedOperatorId).toBe(desk.operatorA.id);

    // Operator B joins department A: A's queue moves to them.
    await postUpdate(textUpdate({ id: 741_003 }, 'third'));
    await db.update(operators).set({ status: 'online' }).where(eq(operators.id, desk.operatorB.id));
    const joined = await api(`/operators/${desk.operatorB.id}`, desk.adminToken, {
      method: 'PATCH',
      json: { department_ids: [desk.departmentA.id, desk.departmentB.id], role: 'supervisor' },
    });
    expect(joined.body).toMatchObject({ role: 'supervisor', active_clients: 1 });
    expect((await clientOf(741_003)).assignedOperatorId).toBe(desk.operatorB.id);
    const memberships = await db
      .select()
      .from(operatorDepartments)
      .where(eq(operatorDepartments.operatorId, desk.operatorB.id));
    expect(memberships).toHaveLength(2);

    const audit = (await auditOf(desk.operatorA.id)).filter((a) => a.action === 'operator.updated');
    expect(audit[0]?.details).toEqual({
      name: { from: 'Olga A', to: 'Olga Senior' },
      capacity: { from: 1, to: 2 },
    });
    const auditB = (await auditOf(desk.operatorB.id)).filter((a) => a.action === 'operator.updated');
    expect(auditB[0]?.details).toMatchObject({
      role: { from: 'operator', to: 'supervisor' },
      departmentIds: { added: [desk.departmentA.id], removed: [] },
    });
    expect(auditB[0]).toMatchObject({ actorType: 'api_token' });

    // Leaving a department: no new clients from it, the current ones stay.
    const left = await api(`/operators/${desk.operatorB.id}`, desk.admin, {
      method: 'PATCH',
      json: { department_ids: [desk.departmentB.id] },
    });
    expect(left.body).toMatchObject({ department_ids: [desk.departmentB.id], active_clients: 1 });
    expectProblem(
      await api(`/operators/${desk.operatorB.id}`, desk.admin, {
        method: 'PATCH',
        json: { department_ids: ['00000000-0000-4000-8000-000000000000'] },
      }),
      422,
    );
    expectProblem(
      await api(`/operators/${desk.operatorB.id}`, desk.admin, { method: 'PATCH', json: {} }),
      422,
    );
  });

  it('disabling an operator sets them offline and gives their clients to others', async () => {
    const desk = await makeApiDesk(db);
    await onlyOnline([desk.operatorA.id]);
    await postUpdate(textUpdate({ id: 742_001 }, 'one'));
    await postUpdate(textUpdate({ id: 742_002 }, 'two'));
    await db.update(operators).set({ status: 'online' }).where(eq(operators.id, desk.colleagueA.id));

    const disabled = await api(`/operators/${desk.operatorA.id}`, desk.admin, {
      method: 'PATCH',
      json: { is_active: false },
    });
    expect(disabled.body).toMatchObject({ is_active: false, status: 'offline', active_clients: 0 });
    for (const id of [742_001, 742_002]) {
      expect((await clientOf(id)).assignedOperatorId).toBe(desk.colleagueA.id);
      const actions = (await auditOf((await clientOf(id)).id)).map((a) => a.action);
      expect(actions).toEqual(expect.arrayContaining(['client.returned_to_queue', 'client.assigned']));
    }
    const audit = (await auditOf(desk.operatorA.id)).filter((a) => a.action === 'operator.updated');
    expect(audit[0]?.details).toMatchObject({
      isActive: { from: true, to: false },
      clientsReturnedToQueue: 2,
    });
    // Their session ends with it.
    expectProblem(await api('/operators', desk.operatorA), 401);
  });

  it('keeps an admin on the desk and leaves other people’s operators alone', async () => {
    const desk = await makeApiDesk(db);
    const self = await api(`/operators/${desk.admin.id}`, desk.admin, {
      method: 'PATCH',
      json: { role: 'operator' },
    });
    expectProblem(self, 409);
    expectProblem(
      await api(`/operators/${desk.admin.id}`, desk.admin, { method: 'PATCH', json: { is_active: false } }),
      409,
    );
    // A token may not remove the last active admin either.
    expectProblem(
      await api(`/operators/${desk.admin.id}`, desk.adminToken, {
        method: 'PATCH',
        json: { role: 'supervisor' },
      }),
      409,
    );
    // Two admins demoting each other at once: one of them stays an admin.
    const second = await makeOperator(db, { role: 'admin', name: 'Bea Admin' });
    const secondCaller = { cookie: await sessionCookie(second) };
    const answers = await Promise.all([
      api(`/operators/${second.id}`, desk.admin, { method: 'PATCH', json: { role: 'operator' } }),
      api(`/operators/${desk.admin.id}`, secondCaller, { method: 'PATCH', json: { role: 'operator' } }),
    ]);
    // The loser is refused (409), or already signed out by the winner's change (401).
    const [won, lost] = answers.map((a) => a.status).sort();
    expect(won).toBe(200);
    expect([401, 409]).toContain(lost);
    const admins = await db
      .select()
      .from(operators)
      .where(and(eq(operators.role, 'admin'), eq(operators.isActive, true)));
    expect(admins).toHaveLength(1);

    // Visible but not theirs to change: 403; invisible: 404.
    expectProblem(
      await api(`/operators/${desk.operatorA.id}`, desk.supervisorA, {
        method: 'PATCH',
        json: { capacity: 50 },
      }),
      403,
    );
    expectProblem(
      await api(`/operators/${desk.operatorA.id}`, desk.operatorA, {
        method: 'PATCH',
        json: { capacity: 50 },
      }),
      403,
    );
    expectProblem(
      await api(`/operators/${desk.operatorA.id}`, desk.supervisorB, {
        method: 'PATCH',
        json: { capacity: 50 },
      }),
      404,
    );
    expectProblem(
      await api(`/operators/${desk.operatorA.id}`, desk.operatorTokenA, {
        method: 'PATCH',
        json: { capacity: 50 },
      }),
      403,
    );
    expect((await db.select().from(operators).where(eq(operators.id, desk.operatorA.id)))[0]?.capacity).toBe(
      10,
    );
    expect((await auditOf(desk.operatorA.id)).filter((a) => a.action === 'operator.updated')).toHaveLength(0);
  });

  it('sets presence: self, the supervisor of their department, admins; online drains the queue', async () => {
    const desk = await makeApiDesk(db);
    await onlyOnline([]);
    await postUpdate(textUpdate({ id: 743_001 }, 'anyone there?'));
    expect((await clientOf(743_001)).queuedAt).not.toBeNull();

    const online = await api(`/operators/${desk.operatorA.id}/status`, desk.supervisorA, {
      json: { status: 'online' },
    });
    expect(online.status).toBe(200);
    expect(online.body).toMatchObject({ status: 'online', assigned_from_queue: 1, active_clients: 1 });
    expect((await clientOf(743_001)).assignedOperatorId).toBe(desk.operatorA.id);

    expect(
      (await api(`/operators/${desk.operatorA.id}/status`, desk.operatorA, { json: { status: 'away' } }))
        .body,
    ).toMatchObject({ status: 'away', assigned_from_queue: 0 });
    expect(
      (await api(`/operators/${desk.operatorA.id}/status`, desk.adminToken, { json: { status: 'offline' } }))
        .status,
    ).toBe(200);
    const audit = (await auditOf(desk.operatorA.id)).filter((a) => a.action === 'operator.status_changed');
    expect(audit.map((a) => [a.actorType, a.details])).toEqual([
      ['operator', { from: 'offline', to: 'online' }],
      ['operator', { from: 'online', to: 'away' }],
      ['api_token', { from: 'away', to: 'offline' }],
    ]);

    const colleague = `/operators/${desk.colleagueA.id}/status`;
    expectProblem(await api(colleague, desk.operatorA, { json: { status: 'online' } }), 403);
    expectProblem(await api(colleague, desk.operatorTokenA, { json: { status: 'online' } }), 403);
    expectProblem(await api(colleague, desk.supervisorB, { json: { status: 'online' } }), 404);
    expectProblem(await api(colleague, desk.operatorA, { json: { status: 'busy' } }), 422);
  });

  it('creates Telegram invite links for admins only', async () => {
    const desk = await makeApiDesk(db);
    const invite = await api(`/operators/${desk.operatorA.id}/invite`, desk.admin, { method: 'POST' });
    expect(invite.status).toBe(201);
    expect(String(invite.body?.url)).toMatch(/^https:\/\/t\.me\/desk_test_bot\?start=op_[A-Za-z0-9_-]+$/);
    expect(Date.parse(String(invite.body?.expires_at))).toBeGreaterThan(Date.now() + 71 * 3600_000);
    expect(
      await db
        .select()
        .from(authTokens)
        .where(and(eq(authTokens.operatorId, desk.operatorA.id))),
    ).toHaveLength(1);
    expect((await auditOf(desk.operatorA.id)).map((a) => a.action)).toEqual(['operator.invite_created']);
    expectProblem(
      await api(`/operators/${desk.operatorA.id}/invite`, desk.supervisorA, { method: 'POST' }),
      403,
    );
    expectProblem(
      await api(`/operators/${desk.operatorA.id}/invite`, desk.operatorA, { method: 'POST' }),
      403,
    );
    expectProblem(
      await api(`/operators/${desk.operatorA.id}/invite`, desk.supervisorB, { method: 'POST' }),
      404,
    );
    expectProblem(
      await api('/operators/00000000-0000-4000-8000-000000000000/invite', desk.admin, { method: 'POST' }),
      404,
    );
    await db.update(operators).set({ isActive: false }).where(eq(operators.id, desk.operatorB.id));
    expectProblem(await api(`/operators/${desk.operatorB.id}/invite`, desk.admin, { method: 'POST' }), 409);
  });
});
