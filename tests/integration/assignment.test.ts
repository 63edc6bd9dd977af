import { and, count, eq, inArray, sql } from 'drizzle-orm';
import { beforeEach, describe, expect, it } from 'vitest';
import type { Db } from '@/db/client';
import { clients, operatorLogs, operators } from '@/db/schema';
import { settleBackgroundWork } from '@/lib/background';
import { sqlState } from '@/db/sql-state';
import {
  assignmentLockIfSomeoneCanTakeSql,
  claimOperatorSql,
  lockAssignment,
  outcomeFromRows,
} from '@/lib/clients/pick-operator';
import { rowsOf } from '@/db/rows';
import { systemActor } from '@/lib/auth/actor';
import { makeClient } from '../factories/messages';
import { setOperatorStatus } from '@/lib/operators/set-operator-status';
import { actorFor, makeDepartment, makeOperator, textUpdate } from '../factories';
import { getTestDb, resetDb, testDbKind } from '../support/db';
import { postUpdate } from '../support/webhook';

let db: Db;

beforeEach(async () => {
  await settleBackgroundWork();
  db = await getTestDb();
  await resetDb(db);
});

async function loads(operatorIds: string[]) {
  const rows = await db
    .select({ operatorId: clients.assignedOperatorId, n: count() })
    .from(clients)
    .where(inArray(clients.assignedOperatorId, operatorIds))
    .groupBy(clients.assignedOperatorId);
  return operatorIds.map((id) => rows.find((r) => r.operatorId === id)?.n ?? 0);
}

describe(`automatic assignment (${testDbKind()})`, () => {
  it('spreads 50 concurrent new clients over 5 online operators of capacity 20 within 1 of each other', async () => {
    const department = await makeDepartment(db, { isDefault: true });
    const team = [];
    for (let i = 0; i < 5; i++)
      team.push(await makeOperator(db, { departmentIds: [department.id], capacity: 20 }));
    const responses = await Promise.all(
      Array.from({ length: 50 }, (_, i) => postUpdate(textUpdate({ id: 500_000 + i }, `hello ${i}`))),
    );
    expect(responses.every((r) => r.status === 200)).toBe(true);
    const perOperator = await loads(team.map((o) => o.id));
    expect(perOperator.reduce((a, b) => a + b, 0)).toBe(50);
    expect(Math.max(...perOperator) - Math.min(...perOperator)).toBeLessThanOrEqual(1);
    const [unassigned] = await db.select({ n: count() }).from(clients).where(eq(clients.status, 'new'));
    expect(unassigned?.n).toBe(50);
  });

  it("keeps each operator's active-client count exact through every kind of change", async () => {
    const department = await makeDepartment(db, { isDefault: true });
    const a = await makeOperator(db, { departmentIds: [department.id], capacity: 50 });
    const b = await makeOperator(db, { departmentIds: [department.id], capacity: 50 });
    const c = await makeOperator(db, { departmentIds: [department.id], capacity: 50 });
    const exact = async () => {
      const rows = await db
        .select({
          id: operators.id,
          stored: operators.activeClients,
          actual: sql<number>`(select count(*)::int from clients c where c.assigned_operator_id = operators.id
            and c.status in ('new', 'in_progress', 'waiting'))`,
        })
        .from(operators);
      return rows.map((r) => ({ id: r.id, stored: r.stored, actual: Number(r.actual) }));
    };
    const expectExact = async () => {
      for (const row of await exact()) expect(row.stored, row.id).toBe(row.actual);
    };

    // Assignment through both ingest paths, concurrently.
    await Promise.all(
      Array.from({ length: 12 }, (_, i) => postUpdate(textUpdate({ id: 640_000 + i }, 'hi'))),
    );
    await postUpdate(textUpdate({ id: 640_000 }, 'again', { update_id: 641_000, message_id: 2 }));
    await expectExact();
    expect((await exact()).reduce((n, r) => n + r.stored, 0)).toBe(12);

    const all = await db.select().from(clients).orderBy(clients.telegramUserId);
    const [c0, c1, c2, c3, c4] = all;
    if (!c0 || !c1 || !c2 || !c3 || !c4) throw new Error('expected 12 clients');
    // Status changes out of and between active statuses, a reassignment, a block.
    await db.update(clients).set({ status: 'resolved' }).where(eq(clients.id, c0.id));
    await db.update(clients).set({ status: 'waiting' }).where(eq(clients.id, c1.id));
    await db.update(clients).set({ assignedOperatorId: c.id }).where(eq(clients.id, c2.id));
    await db.update(clients).set({ status: 'blocked' }).where(eq(clients.id, c3.id));
    await expectExact();
    // A resolved client writes again: reopened and assigned afresh.
    await postUpdate(textUpdate({ id: c0.telegramUserId }, 'back', { update_id: 642_000, message_id: 9 }));
    // A deleted client, and a deleted operator (ON DELETE SET NULL on the client).
    await db.delete(clients).where(eq(clients.id, c4.id));
    await db.delete(operators).where(eq(operators.id, b.id));
    await expectExact();
    const remaining = await db
      .select({ n: count() })
      .from(clients)
      .where(
        and(
          inArray(clients.status, ['new', 'in_progress', 'waiting']),
          inArray(clients.assignedOperatorId, [a.id, c.id]),
        ),
      );
    expect((await exact()).reduce((n, r) => n + r.stored, 0)).toBe(remaining[0]?.n);
  });

  it('never exceeds capacity under concurrency and queues the rest', async () => {
    const department = await makeDepartment(db, { isDefault: true });
    const a = await makeOperator(db, { departmentIds: [department.id], capacity: 3 });
    const b = await makeOperator(db, { departmentIds: [department.id], capacity: 2 });
    await Promise.all(Array.from({ length: 9 }, (_, i) => postUpdate(textUpdate({ id: 600_000 + i }, 'hi'))));
    expect(await loads([a.id, b.id])).toEqual([3, 2]);
    const queued = await db.select().from(clients).where(eq(clients.status, 'new'));
    expect(queued.filter((c) => c.assignedOperatorId === null && c.queuedAt !== null)).toHaveLength(4);
  });

  it('skips offline, away, inactive and other-department operators', async () => {
    const department = await makeDepartment(db, { isDefault: true });
    const other = await makeDepartment(db);
    await makeOperator(db, { departmentIds: [department.id], status: 'offline' });
    await makeOperator(db, { departmentIds: [department.id], status: 'away' });
    await makeOperator(db, { departmentIds: [department.id], isActive: false });
    await makeOperator(db, { departmentIds: [other.id] });
    const right = await makeOperator(db, { departmentIds: [department.id] });
    await postUpdate(textUpdate({ id: 610_001 }, 'hi'));
    const [client] = await db.select().from(clients);
    expect(client?.assignedOperatorId).toBe(right.id);
  });

  it('prefers the least loaded, then the least recently assigned', async () => {
    const department = await makeDepartment(db, { isDefault: true });
    const busy = await makeOperator(db, { departmentIds: [department.id] });
    const idle = await makeOperator(db, { departmentIds: [department.id] });
    await db.update(operators).set({ status: 'offline' }).where(eq(operators.id, idle.id));
    await postUpdate(textUpdate({ id: 620_001 }, 'first'));
    await db.update(operators).set({ status: 'online' }).where(eq(operators.id, idle.id));
    await postUpdate(textUpdate({ id: 620_002 }, 'second'));
    expect(await loads([busy.id, idle.id])).toEqual([1, 1]);
    // Equal load now: the third goes to whoever was assigned longest ago (busy, first).
    await postUpdate(textUpdate({ id: 620_003 }, 'third'));
    const [third] = await db.select().from(clients).where(eq(clients.telegramUserId, 620_003));
    expect(third?.assignedOperatorId).toBe(busy.id);
  });

  it.skipIf(testDbKind() === 'pglite')(
    "draining the queue does not deadlock with a queued client's message being stored",
    async () => {
      const department = await makeDepartment(db, { isDefault: true });
      const operator = await makeOperator(db, { departmentIds: [department.id], status: 'offline' });
      await postUpdate(textUpdate({ id: 650_001 }, 'queued'));
      const [queued] = await db.select().from(clients).where(eq(clients.telegramUserId, 650_001));
      expect(queued?.queuedAt).not.toBeNull();
      let locked!: () => void;
      const rowLocked = new Promise<void>((resolve) => (locked = resolve));
      let release!: () => void;
      const released = new Promise<void>((resolve) => (release = resolve));
      // The full path storing the queued client's next message: client row first, then the
      // assignment lock.
      const storing = db.transaction(async (tx) => {
        await tx
          .update(clients)
          .set({ unreadCount: sql`${clients.unreadCount} + 1` })
          .where(eq(clients.id, queued?.id ?? ''));
        locked();
        await released;
        await lockAssignment(tx);
      });
      await rowLocked;
      const goingOnline = setOperatorStatus({
        db,
        actor: actorFor(operator, [department.id]),
        input: { operatorId: operator.id, status: 'online' },
      });
      await new Promise((resolve) => setTimeout(resolve, 300));
      release();
      const outcomes = await Promise.allSettled([storing, goingOnline]);
      expect(outcomes.map((o) => (o.status === 'rejected' ? sqlState(o.reason) : 'ok'))).toEqual([
        'ok',
        'ok',
      ]);
    },
  );

  it.skipIf(testDbKind() === 'pglite')(
    'going online does not deadlock with an assignment in progress (lock order: assignment lock, then operator row)',
    async () => {
      const department = await makeDepartment(db, { isDefault: true });
      const operator = await makeOperator(db, { departmentIds: [department.id], status: 'online' });
      let claimed!: () => void;
      const lockHeld = new Promise<void>((resolve) => (claimed = resolve));
      let release!: () => void;
      const released = new Promise<void>((resolve) => (release = resolve));
      // An assignment in progress: holds the assignment lock, then touches the operator's row.
      const assignment = db.transaction(async (tx) => {
        await lockAssignment(tx);
        claimed();
        await released;
        await tx.update(operators).set({ lastAssignedAt: new Date() }).where(eq(operators.id, operator.id));
      });
      await lockHeld;
      const statusChange = setOperatorStatus({
        db,
        actor: actorFor(operator, [department.id]),
        input: { operatorId: operator.id, status: 'online' },
      });
      // Give the status change time to reach its first lock wait, then let the assignment go on.
      await new Promise((resolve) => setTimeout(resolve, 300));
      release();
      const outcomes = await Promise.allSettled([assignment, statusChange]);
      expect(outcomes.map((o) => (o.status === 'rejected' ? sqlState(o.reason) : 'ok'))).toEqual([
        'ok',
        'ok',
      ]);
    },
  );

  it('queues a stranger without the assignment lock when nobody can take them, and claims only under it', async () => {
    const department = await makeDepartment(db, { isDefault: true });
    // Nobody online: the first message is queued with its auto-reply, no lock taken.
    const response = await postUpdate(textUpdate({ id: 610_001 }, 'anyone there?'));
    expect(response.status).toBe(200);
    const [queued] = await db.select().from(clients).where(eq(clients.telegramUserId, 610_001));
    expect(queued).toMatchObject({ assignedOperatorId: null });
    expect(queued?.queuedAt).not.toBeNull();
    // With someone free, a claim that must run under the lock claims nothing without it…
    const operator = await makeOperator(db, { departmentIds: [department.id] });
    const client = await makeClient(db, { departmentId: department.id, status: 'new' });
    const actor = systemActor('test');
    const unlocked = await db.transaction(async (tx) =>
      outcomeFromRows(
        rowsOf(await tx.execute(claimOperatorSql(actor, client.id, department.id, { onlyUnderLock: true }))),
      ),
    );
    expect(unlocked.claim).toBeNull();
    // …and claims once the lock is held.
    const locked = await db.transaction(async (tx) => {
      await tx.execute(assignmentLockIfSomeoneCanTakeSql(sql`${department.id}::uuid`));
      return outcomeFromRows(
        rowsOf(await tx.execute(claimOperatorSql(actor, client.id, department.id, { onlyUnderLock: true }))),
      );
    });
    expect(locked.claim?.id).toBe(operator.id);
  });

  it('drains the queue oldest-first when an operator comes online, and audits it', async () => {
    const department = await makeDepartment(db, { isDefault: true });
    const operator = await makeOperator(db, {
      departmentIds: [department.id],
      status: 'offline',
      capacity: 2,
    });
    for (const id of [630_001, 630_002, 630_003]) await postUpdate(textUpdate({ id }, 'waiting'));
    const result = await setOperatorStatus({
      db,
      actor: actorFor(operator, [department.id]),
      input: { operatorId: operator.id, status: 'online' },
    });
    expect(result.assignedFromQueue).toBe(2);
    const assigned = await db
      .select({ telegramUserId: clients.telegramUserId })
      .from(clients)
      .where(eq(clients.assignedOperatorId, operator.id));
    expect(assigned.map((c) => c.telegramUserId).sort()).toEqual([630_001, 630_002]);
    const [log] = await db
      .select()
      .from(operatorLogs)
      .where(
        and(eq(operatorLogs.action, 'operator.status_changed'), eq(operatorLogs.operatorId, operator.id)),
      );
    expect(log).toMatchObject({
      actorType: 'operator',
      ip: '203.0.113.7',
      userAgent: 'vitest',
      details: { from: 'offline', to: 'online' },
    });
  });
});
