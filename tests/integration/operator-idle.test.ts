// sync-operator-status: idle operators go away, then offline, by their departments' minutes
// (the most lenient of several); their next activity brings them back online and drains the
// queue; a status they chose stays; the settings are validated — with the clock controlled.
import { and, eq } from 'drizzle-orm';
import { beforeEach, describe, expect, it } from 'vitest';
import type { Db } from '@/db/client';
import { clients, operatorLogs, operators } from '@/db/schema';
import { settleBackgroundWork } from '@/lib/background';
import { updateDepartment } from '@/lib/departments/update-department';
import { runJob } from '@/lib/jobs/run-job';
import { syncOperatorStatusJob } from '@/lib/jobs/sync-operator-status';
import { recordOperatorActivity } from '@/lib/operators/record-operator-activity';
import { setOperatorStatus } from '@/lib/operators/set-operator-status';
import { actorFor, makeDepartment, makeOperator, textUpdate } from '../factories';
import { getTestDb, resetDb } from '../support/db';
import { postUpdate } from '../support/webhook';

let db: Db;

beforeEach(async () => {
  await settleBackgroundWork();
  db = await getTestDb();
  await resetDb(db);
});

const T0 = new Date('2026-11-30T09:00:00Z');
const at = (minutes: number) => new Date(T0.getTime() + minutes * 60_000);

async function statusOf(operatorId: string) {
  const [row] = await db
    .select({ status: operators.status, auto: operators.statusAuto, lastSeenAt: operators.lastSeenAt })
    .from(operators)
    .where(eq(operators.id, operatorId));
  return row;
}

async function sync(minutes: number) {
  const outcome = await runJob({ db, job: syncOperatorStatusJob, trigger: 'cli', now: at(minutes) });
  if (outcome.status !== 'succeeded') throw new Error(`sync failed: ${JSON.stringify(outcome)}`);
  return outcome.result;
}

describe('sync-operator-status', () => {
  it('takes an idle operator away after the department’s minutes, then offline, audited', async () => {
    const department = await makeDepartment(db, { awayAfterMinutes: 15, offlineAfterMinutes: 60 });
    const anna = await makeOperator(db, { departmentIds: [department.id] });
    await db.update(operators).set({ lastSeenAt: T0 }).where(eq(operators.id, anna.id));
    expect(await sync(14)).toEqual({ away: 0, offline: 0 });
    expect(await sync(15)).toEqual({ away: 1, offline: 0 });
    expect(await statusOf(anna.id)).toMatchObject({ status: 'away', auto: true });
    // Going away is not activity: offline comes 60 minutes after the last activity, not after away.
    expect(await sync(59)).toEqual({ away: 0, offline: 0 });
    expect(await sync(60)).toEqual({ away: 0, offline: 1 });
    expect(await statusOf(anna.id)).toMatchObject({ status: 'offline', auto: true });
    const audits = await db
      .select({ details: operatorLogs.details, label: operatorLogs.actorLabel })
      .from(operatorLogs)
      .where(and(eq(operatorLogs.action, 'operator.status_changed'), eq(operatorLogs.targetId, anna.id)))
      .orderBy(operatorLogs.id);
    expect(audits).toEqual([
      {
        label: 'sync-operator-status',
        details: { from: 'online', to: 'away', automatic: true, reason: 'idle', idleMinutes: 15 },
      },
      {
        label: 'sync-operator-status',
        details: { from: 'away', to: 'offline', automatic: true, reason: 'idle', idleMinutes: 60 },
      },
    ]);
  });

  it('follows the most lenient of the operator’s departments; never means never', async () => {
    const strict = await makeDepartment(db, { awayAfterMinutes: 5, offlineAfterMinutes: 30 });
    const lenient = await makeDepartment(db, { awayAfterMinutes: null, offlineAfterMinutes: 90 });
    const never = await makeDepartment(db, { awayAfterMinutes: null, offlineAfterMinutes: null });
    const both = await makeOperator(db, { departmentIds: [strict.id, lenient.id] });
    const relaxed = await makeOperator(db, { departmentIds: [strict.id, never.id] });
    await db.update(operators).set({ lastSeenAt: T0 });
    const dry = await runJob({ db, job: syncOperatorStatusJob, trigger: 'cli', dryRun: true, now: at(89) });
    expect(dry).toMatchObject({ result: { away: 0, offline: 0 } });
    expect(await sync(90)).toEqual({ away: 0, offline: 1 });
    expect((await statusOf(both.id))?.status).toBe('offline');
    expect(await sync(10_000)).toEqual({ away: 0, offline: 0 });
    expect((await statusOf(relaxed.id))?.status).toBe('online');
  });

  it('brings an operator it made away back online on their next activity, draining the queue to them', async () => {
    const department = await makeDepartment(db, {
      isDefault: true,
      awayAfterMinutes: 15,
      offlineAfterMinutes: 60,
    });
    const anna = await makeOperator(db, { departmentIds: [department.id] });
    const actor = actorFor(anna, [department.id]);
    await db
      .update(operators)
      .set({ lastSeenAt: new Date(Date.now() - 20 * 60_000) })
      .where(eq(operators.id, anna.id));
    expect(await runJob({ db, job: syncOperatorStatusJob, trigger: 'cli', now: new Date() })).toMatchObject({
      result: { away: 1 },
    });
    await postUpdate(textUpdate({ id: 883_001 }, 'anyone there?'));
    await settleBackgroundWork();
    const [queued] = await db.select().from(clients).where(eq(clients.telegramUserId, 883_001));
    expect(queued?.assignedOperatorId).toBeNull();

    expect(await recordOperatorActivity({ db, actor })).toEqual({ backOnline: true });
    expect(await statusOf(anna.id)).toMatchObject({ status: 'online', auto: false });
    const [handed] = await db.select().from(clients).where(eq(clients.telegramUserId, 883_001));
    expect(handed?.assignedOperatorId).toBe(anna.id);
    // Within a minute, activity is not written again.
    const seen = (await statusOf(anna.id))?.lastSeenAt;
    await recordOperatorActivity({ db, actor, now: new Date((seen?.getTime() ?? 0) + 30_000) });
    expect((await statusOf(anna.id))?.lastSeenAt?.toISOString()).toBe(seen?.toISOString());
  });

  it('leaves a status the operator chose: activity does not make a chosen "away" online', async () => {
    const department = await makeDepartment(db);
    const anna = await makeOperator(db, { departmentIds: [department.id] });
    const actor = actorFor(anna, [department.id]);
    await setOperatorStatus({ db, actor, input: { operatorId: anna.id, status: 'away' } });
    await db
      .update(operators)
      .set({ lastSeenAt: new Date(Date.now() - 5 * 60_000) })
      .where(eq(operators.id, anna.id));
    expect(await recordOperatorActivity({ db, actor })).toEqual({ backOnline: false });
    expect(await statusOf(anna.id)).toMatchObject({ status: 'away', auto: false });
  });

  it('refuses away minutes that are not fewer than offline minutes', async () => {
    const department = await makeDepartment(db);
    const admin = actorFor(await makeOperator(db, { role: 'admin' }), []);
    await expect(
      updateDepartment({ db, actor: admin, input: { departmentId: department.id, awayAfterMinutes: 60 } }),
    ).rejects.toMatchObject({ code: 'unprocessable_entity' });
    await updateDepartment({
      db,
      actor: admin,
      input: { departmentId: department.id, awayAfterMinutes: 60, offlineAfterMinutes: null },
    });
    const [audit] = await db
      .select({ details: operatorLogs.details })
      .from(operatorLogs)
      .where(eq(operatorLogs.action, 'department.updated'));
    expect(audit?.details).toEqual({
      awayAfterMinutes: { from: 15, to: 60 },
      offlineAfterMinutes: { from: 60, to: null },
    });
  });
});
