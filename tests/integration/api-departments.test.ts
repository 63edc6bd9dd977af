import { and, eq, sql } from 'drizzle-orm';
import { beforeEach, describe, expect, it } from 'vitest';
import type { Db } from '@/db/client';
import { clients, conversations, departments, operatorLogs } from '@/db/schema';
import { settleBackgroundWork } from '@/lib/background';
import { makeDepartment, textUpdate } from '../factories';
import { api, expectProblem, makeApiDesk, results } from '../support/api-desk';
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

const hours = { time_zone: 'Europe/Berlin', days: [{ day: 1, from: '09:00', to: '18:00' }] };

describe('REST API: departments', () => {
  it('lists every department to every staff member, with filters, search and ordering', async () => {
    const desk = await makeApiDesk(db);
    await makeDepartment(db, { name: 'Closed desk', isActive: false, sortOrder: 9 });
    await db.update(departments).set({ sortOrder: 5 }).where(eq(departments.id, desk.departmentA.id));
    for (const caller of [desk.admin, desk.supervisorB, desk.operatorB, desk.operatorTokenA]) {
      const all = await api('/departments', caller);
      expect(all.status).toBe(200);
      expect(all.body).toMatchObject({ count: 3, next: null, previous: null });
    }
    // Default ordering: sort_order, then name.
    const ordered = results<{ name: string }>(await api('/departments', desk.operatorB));
    expect(ordered.map((d) => d.name)).toEqual([desk.departmentB.name, desk.departmentA.name, 'Closed desk']);
    const active = await api('/departments?is_active=true&ordering=-name', desk.operatorB);
    expect(results<{ name: string }>(active).map((d) => d.name)).toEqual([
      desk.departmentB.name,
      desk.departmentA.name,
    ]);
    const searched = await api('/departments?search=CLOSED', desk.supervisorA);
    expect(results(searched)).toMatchObject([{ name: 'Closed desk', is_active: false, is_open_now: true }]);
    const page = await api('/departments?page_size=2&ordering=created_at', desk.admin);
    expect(page.body).toMatchObject({ count: 3, previous: null });
    expect(String(page.body?.next)).toContain('page=2');
    expectProblem(await api('/departments?ordering=secret', desk.admin), 400);
    expectProblem(await api('/departments?is_active=maybe', desk.admin), 400);
    expectProblem(await api('/departments', {}), 401);
  });

  it('retrieves a department with its settings; unknown and malformed ids are 404', async () => {
    const desk = await makeApiDesk(db);
    const got = await api(`/departments/${desk.departmentB.id}`, desk.operatorA);
    expect(got.status).toBe(200);
    expect(got.body).toMatchObject({
      id: desk.departmentB.id,
      is_default: false,
      is_active: true,
      default_capacity: 10,
      response_time_limit_sec: 300,
      working_hours: null,
      greeting: null,
    });
    expectProblem(await api('/departments/00000000-0000-4000-8000-000000000000', desk.admin), 404);
    expectProblem(await api('/departments/not-a-uuid', desk.admin), 404);
  });

  it('lets admins create departments with validated hours and texts, audited', async () => {
    const desk = await makeApiDesk(db);
    const created = await api('/departments', desk.adminToken, {
      json: {
        name: 'Returns',
        description: 'Parcels coming back',
        sort_order: 3,
        default_capacity: 4,
        response_time_limit_sec: 120,
        working_hours: hours,
        greeting: { default: 'Hi!', ru: 'Привет!' },
        auto_reply_queued: { en: 'Please wait.' },
        auto_reply_off_hours: { default: 'We are closed.' },
      },
    });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({
      name: 'Returns',
      is_default: false,
      default_capacity: 4,
      working_hours: hours,
      greeting: { default: 'Hi!', ru: 'Привет!' },
      auto_reply_off_hours: { default: 'We are closed.' },
    });
    const id = String(created.body?.id);
    const [row] = await db.select().from(departments).where(eq(departments.id, id));
    expect(row?.workingHours).toEqual({ timeZone: 'Europe/Berlin', days: hours.days });
    const audit = await auditOf(id);
    expect(audit).toMatchObject([{ action: 'department.created', actorType: 'api_token', departmentId: id }]);

    for (const [body, path] of [
      [
        { name: 'X', working_hours: { time_zone: 'Mars/Olympus', days: hours.days } },
        'working_hours.time_zone',
      ],
      [{ name: 'X', working_hours: { time_zone: '+01:00', days: hours.days } }, 'working_hours.time_zone'],
      [
        {
          name: 'X',
          working_hours: {
            time_zone: 'UTC',
            days: [
              { day: 1, from: '09:00', to: '13:00' },
              { day: 1, from: '12:00', to: '18:00' },
            ],
          },
        },
        'working_hours.days',
      ],
      [
        { name: 'X', working_hours: { time_zone: 'UTC', days: [{ day: 7, from: '09:00', to: '10:00' }] } },
        'working_hours.days.0.day',
      ],
      [
        { name: 'X', working_hours: { time_zone: 'UTC', days: [{ day: 1, from: '18:00', to: '09:00' }] } },
        'working_hours.days.0',
      ],
      [{ name: 'X', greeting: { english: 'Hi' } }, 'greeting.english'],
      [{ name: 'X', greeting: { en: '' } }, 'greeting.en'],
      [{ name: 'X', default_capacity: 0 }, 'default_capacity'],
      [{ name: '' }, 'name'],
      [{ name: 'X', colour: 'red' }, ''],
    ] as const) {
      const refused = await api('/departments', desk.admin, { json: body });
      expectProblem(refused, 422);
      if (path) {
        expect(
          (refused.body?.errors as { issues: { path: string }[] }).issues.map((i) => i.path),
          JSON.stringify(body),
        ).toContain(path);
      }
    }
    expectProblem(await api('/departments', desk.admin, { json: { name: 'returns' } }), 409);
    for (const caller of [desk.supervisorA, desk.operatorA, desk.operatorTokenA]) {
      expectProblem(await api('/departments', caller, { json: { name: 'Mine' } }), 403);
    }
    expect(await db.select().from(departments)).toHaveLength(3);
  });

  it('updates only the fields sent, audits them, and lets only admins do it', async () => {
    const desk = await makeApiDesk(db);
    const path = `/departments/${desk.departmentB.id}`;
    const changed = await api(path, desk.admin, {
      method: 'PATCH',
      json: { name: 'Billing', default_capacity: 7, working_hours: hours, greeting: { default: 'Hello' } },
    });
    expect(changed.status).toBe(200);
    expect(changed.body).toMatchObject({
      name: 'Billing',
      default_capacity: 7,
      response_time_limit_sec: 300,
      working_hours: hours,
      greeting: { default: 'Hello' },
    });
    const cleared = await api(path, desk.admin, { method: 'PATCH', json: { working_hours: null } });
    expect(cleared.body).toMatchObject({ name: 'Billing', working_hours: null, is_open_now: true });
    const audit = await auditOf(desk.departmentB.id);
    expect(audit.map((a) => a.action)).toEqual(['department.updated', 'department.updated']);
    expect(audit[0]?.details).toMatchObject({
      name: { from: desk.departmentB.name, to: 'Billing' },
      defaultCapacity: { from: 10, to: 7 },
      workingHours: { changed: true },
    });
    expect(audit[0]).toMatchObject({ actorType: 'operator', operatorId: desk.admin.id });

    // The department's own supervisor may read it but not change it; unknown ids are 404.
    expectProblem(await api(path, desk.supervisorB, { method: 'PATCH', json: { name: 'Mine' } }), 403);
    expectProblem(await api(path, desk.supervisorA, { method: 'PATCH', json: { name: 'Mine' } }), 403);
    expectProblem(await api(path, desk.operatorTokenA, { method: 'PATCH', json: { name: 'Mine' } }), 403);
    expectProblem(
      await api('/departments/00000000-0000-4000-8000-000000000000', desk.admin, {
        method: 'PATCH',
        json: { name: 'Ghost' },
      }),
      404,
    );
    expectProblem(
      await api(path, desk.admin, { method: 'PATCH', json: { name: desk.departmentA.name } }),
      409,
    );
    expect(await auditOf(desk.departmentB.id)).toHaveLength(2);
  });

  it('moves the default flag in one transaction and never leaves the desk without one', async () => {
    const desk = await makeApiDesk(db);
    const moved = await api(`/departments/${desk.departmentB.id}`, desk.admin, {
      method: 'PATCH',
      json: { is_default: true },
    });
    expect(moved.body).toMatchObject({ is_default: true });
    const defaults = await db.select().from(departments).where(eq(departments.isDefault, true));
    expect(defaults.map((d) => d.id)).toEqual([desk.departmentB.id]);
    // Both changes are in the trail.
    expect((await auditOf(desk.departmentA.id))[0]?.details).toMatchObject({
      isDefault: { from: true, to: false },
      newDefaultId: desk.departmentB.id,
    });
    expect((await auditOf(desk.departmentB.id))[0]?.details).toMatchObject({
      isDefault: { from: false, to: true },
    });

    const removed = await api(`/departments/${desk.departmentB.id}`, desk.admin, {
      method: 'PATCH',
      json: { is_default: false },
    });
    expectProblem(removed, 409);

    // Two admins making two departments the default at once: one wins, never two or none.
    const c = await makeDepartment(db);
    const answers = await Promise.all(
      [desk.departmentA.id, c.id].map((id) =>
        api(`/departments/${id}`, desk.admin, { method: 'PATCH', json: { is_default: true } }),
      ),
    );
    expect(answers.map((a) => a.status)).toEqual([200, 200]);
    expect(await db.select().from(departments).where(eq(departments.isDefault, true))).toHaveLength(1);

    // A new default department takes the flag too.
    const created = await api('/departments', desk.admin, { json: { name: 'Front desk', is_default: true } });
    expect(created.body).toMatchObject({ is_default: true });
    expect(await db.select().from(departments).where(eq(departments.isDefault, true))).toHaveLength(1);
    const handedOver = await db
      .select()
      .from(operatorLogs)
      .where(
        and(eq(operatorLogs.action, 'department.updated'), sql`${operatorLogs.details} ? 'newDefaultId'`),
      )
      .orderBy(operatorLogs.id);
    expect(handedOver.at(-1)?.details).toMatchObject({ newDefaultId: created.body?.id });
    expectProblem(
      await api('/departments', desk.admin, { json: { name: 'Asleep', is_default: true, is_active: false } }),
      422,
    );
  });

  it('deactivates a department (not the default): no new clients go there, audited', async () => {
    const desk = await makeApiDesk(db);
    expectProblem(
      await api(`/departments/${desk.departmentA.id}/deactivate`, desk.admin, { method: 'POST' }),
      409,
    );
    expectProblem(
      await api(`/departments/${desk.departmentA.id}`, desk.admin, {
        method: 'PATCH',
        json: { is_active: false },
      }),
      409,
    );
    expectProblem(
      await api(`/departments/${desk.departmentB.id}/deactivate`, desk.supervisorB, { method: 'POST' }),
      403,
    );

    // A client of B comes, is answered and resolved; then B is deactivated.
    await postUpdate(textUpdate({ id: 740_001 }, 'hello'));
    const [client] = await db.select().from(clients).where(eq(clients.telegramUserId, 740_001));
    const clientId = client?.id ?? '';
    expect(
      (
        await api(`/clients/${clientId}/transfer`, desk.admin, {
          json: { department_id: desk.departmentB.id },
        })
      ).status,
    ).toBe(200);
    expect((await api(`/clients/${clientId}/resolve`, desk.admin, { method: 'POST' })).status).toBe(200);

    const deactivated = await api(`/departments/${desk.departmentB.id}/deactivate`, desk.adminToken, {
      method: 'POST',
    });
    expect(deactivated.status).toBe(200);
    expect(deactivated.body).toMatchObject({ is_active: false });
    const again = await api(`/departments/${desk.departmentB.id}/deactivate`, desk.adminToken, {
      method: 'POST',
    });
    expect(again.status).toBe(200);
    expect(
      (await auditOf(desk.departmentB.id)).filter((a) => a.action === 'department.deactivated'),
    ).toHaveLength(1);

    // Transfers to it are refused; the client's next episode starts in the default department.
    await postUpdate(textUpdate({ id: 740_002 }, 'hi'));
    const [other] = await db.select().from(clients).where(eq(clients.telegramUserId, 740_002));
    expectProblem(
      await api(`/clients/${other?.id}/transfer`, desk.admin, {
        json: { department_id: desk.departmentB.id },
      }),
      404,
    );
    await postUpdate(textUpdate({ id: 740_001 }, 'me again'));
    const [back] = await db.select().from(clients).where(eq(clients.id, clientId));
    expect(back).toMatchObject({ departmentId: desk.departmentA.id, status: 'new' });
    const [episode] = await db
      .select()
      .from(conversations)
      .where(and(eq(conversations.clientId, clientId), eq(conversations.status, 'open')));
    expect(episode?.departmentId).toBe(desk.departmentA.id);
    const moves = (await auditOf(clientId)).filter((a) => a.action === 'client.transferred');
    expect(moves.at(-1)?.details).toMatchObject({
      from: desk.departmentB.id,
      to: desk.departmentA.id,
      reason: 'department_inactive',
    });

    // Reactivated through PATCH.
    const reactivated = await api(`/departments/${desk.departmentB.id}`, desk.admin, {
      method: 'PATCH',
      json: { is_active: true },
    });
    expect(reactivated.body).toMatchObject({ is_active: true });
  });
});
