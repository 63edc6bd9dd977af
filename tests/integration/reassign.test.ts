// Queue rules and reassign-by-load: the answer clock (clients.answer_due_at, kept by a trigger)
// on every path, overdue clients passed to a free colleague, offline and over-capacity
// operators' awaiting clients passed on or queued — set-based, audited, live, with notices to
// both operators in Telegram — and the job's dry run, with the clock controlled.
import { and, eq, sql } from 'drizzle-orm';
import { beforeEach, describe, expect, it } from 'vitest';
import type { Db } from '@/db/client';
import { rowsOf } from '@/db/rows';
import { clients, conversations, operatorLogs, operators } from '@/db/schema';
import { systemActor } from '@/lib/auth/actor';
import { settleBackgroundWork } from '@/lib/background';
import { reassignClients } from '@/lib/clients/reassign-clients';
import { reassignByLoadJob } from '@/lib/jobs/reassign-by-load';
import { runJob } from '@/lib/jobs/run-job';
import { drainOutbox } from '@/lib/outbox/outbox-worker';
import { sendOperatorMessage } from '@/lib/messages/send-operator-message';
import { setOperatorStatus } from '@/lib/operators/set-operator-status';
import { actorFor, makeDepartment, makeOperator, textUpdate } from '../factories';
import { getTestDb, resetDb } from '../support/db';
import { telegram } from '../support/setup-integration';
import { postUpdate } from '../support/webhook';

let db: Db;

beforeEach(async () => {
  await settleBackgroundWork();
  db = await getTestDb();
  await resetDb(db);
  telegram().reset();
});

const system = systemActor('reassign-by-load');
const minutesFrom = (at: Date, minutes: number) => new Date(at.getTime() + minutes * 60_000);

async function clientOf(telegramUserId: number) {
  const [row] = await db.select().from(clients).where(eq(clients.telegramUserId, telegramUserId));
  if (!row) throw new Error(`no client ${telegramUserId}`);
  return row;
}

async function write(telegramUserId: number, text: string) {
  const response = await postUpdate(
    textUpdate({ id: telegramUserId, first_name: `Client ${telegramUserId}` }, text),
  );
  expect(response.status).toBe(200);
  await settleBackgroundWork();
  return clientOf(telegramUserId);
}

async function team(limitSec = 300) {
  const department = await makeDepartment(db, { isDefault: true, responseTimeLimitSec: limitSec });
  const anna = await makeOperator(db, { departmentIds: [department.id], name: 'Anna', capacity: 5 });
  return { department, anna };
}

describe('the answer clock (answer_due_at)', () => {
  it('starts at assignment with the department’s limit, survives more messages, stops at the answer, restarts when the client writes again', async () => {
    const { anna } = await team(120);
    const first = await write(700_001, 'hello');
    expect(first.assignedOperatorId).toBe(anna.id);
    expect(first.status).toBe('new');
    const due = first.answerDueAt;
    expect(due).not.toBeNull();
    expect(Math.round(((due?.getTime() ?? 0) - (first.assignedAt?.getTime() ?? 0)) / 1000)).toBe(120);

    const again = await write(700_001, 'anyone?');
    expect(again.answerDueAt?.toISOString()).toBe(due?.toISOString());

    await sendOperatorMessage({ db, actor: actorFor(anna, []), input: { clientId: first.id, text: 'Hi!' } });
    const answered = await clientOf(700_001);
    expect(answered.status).toBe('in_progress');
    expect(answered.answerDueAt).toBeNull();

    const waiting = await write(700_001, 'one more thing');
    expect(waiting.status).toBe('waiting');
    expect(waiting.answerDueAt).not.toBeNull();
  });

  it('is not set for a queued client, and starts when the queue hands them out', async () => {
    const { anna } = await team();
    await setOperatorStatus({
      db,
      actor: actorFor(anna, []),
      input: { operatorId: anna.id, status: 'offline' },
    });
    const queued = await write(700_002, 'hello');
    expect(queued.assignedOperatorId).toBeNull();
    expect(queued.answerDueAt).toBeNull();
    await setOperatorStatus({
      db,
      actor: actorFor(anna, []),
      input: { operatorId: anna.id, status: 'online' },
    });
    const handed = await clientOf(700_002);
    expect(handed.assignedOperatorId).toBe(anna.id);
    expect(handed.answerDueAt).not.toBeNull();
  });
});

describe('reassign-by-load', () => {
  it('passes an overdue client to the least-loaded free colleague, audited, live, with a notice to both', async () => {
    const { department, anna } = await team(60);
    const client = await write(700_010, 'help');
    expect(client.assignedOperatorId).toBe(anna.id);
    const boris = await makeOperator(db, { departmentIds: [department.id], name: 'Boris', capacity: 5 });
    const vera = await makeOperator(db, { departmentIds: [department.id], name: 'Vera', capacity: 5 });
    await db
      .update(operators)
      .set({ telegramUserId: 990_001, locale: 'ru' })
      .where(eq(operators.id, anna.id));
    await db.update(operators).set({ telegramUserId: 990_002 }).where(eq(operators.id, boris.id));
    // Vera already has a client she answered: Boris is the least loaded.
    const other = await write(700_011, 'another');
    const holder = other.assignedOperatorId === boris.id ? boris : vera;
    await sendOperatorMessage({
      db,
      actor: actorFor(holder, []),
      input: { clientId: other.id, text: 'Hello' },
    });
    await db.update(clients).set({ assignedOperatorId: vera.id }).where(eq(clients.id, other.id));
    expect((await clientOf(700_011)).answerDueAt).toBeNull();

    // Not yet overdue: nothing moves.
    const before = await runJob({
      db,
      job: reassignByLoadJob,
      trigger: 'cli',
      now: minutesFrom(new Date(), 0),
    });
    expect(before).toMatchObject({ status: 'succeeded', result: { overdue: 0 } });

    // Only the notices of the move below: the desk told Boris about his client's message too,
    // and the replies written above go out first.
    await drainOutbox();
    await settleBackgroundWork();
    telegram().reset();
    const later = minutesFrom(new Date(), 2);
    const outcome = await runJob({
      db,
      job: reassignByLoadJob,
      trigger: 'schedule',
      scheduledFor: later,
      now: later,
    });
    expect(outcome).toMatchObject({
      status: 'succeeded',
      result: { overdue: 1, operatorOffline: 0, overCapacity: 0, toQueue: 0, stayed: 0, notices: 2 },
    });
    const moved = await clientOf(700_010);
    expect(moved.assignedOperatorId).toBe(boris.id);
    expect(moved.assignedAt?.toISOString()).toBe(later.toISOString());
    // Boris's own clock starts now.
    expect((moved.answerDueAt?.getTime() ?? 0) > (client.answerDueAt?.getTime() ?? 0)).toBe(true);
    const [episode] = await db
      .select()
      .from(conversations)
      .where(eq(conversations.id, moved.currentConversationId ?? ''));
    expect(episode?.operatorId).toBe(boris.id);
    const [audit] = await db
      .select()
      .from(operatorLogs)
      .where(and(eq(operatorLogs.action, 'client.reassigned'), eq(operatorLogs.targetId, client.id)));
    expect(audit).toMatchObject({
      actorType: 'system',
      actorLabel: 'reassign-by-load',
      details: {
        operatorId: boris.id,
        previousOperatorId: anna.id,
        reason: 'response_time_limit',
        automatic: true,
      },
    });
    const [loads] = [await db.select({ id: operators.id, load: operators.activeClients }).from(operators)];
    expect(loads.find((o) => o.id === anna.id)?.load).toBe(0);
    expect(loads.find((o) => o.id === boris.id)?.load).toBe(1);
    await settleBackgroundWork(); // the notices go through the outbox after the job's commit
    const notices = telegram()
      .calls.filter((c) => c.method === 'sendMessage')
      .map((c) => [c.payload.chat_id, c.payload.text])
      // Two chats: the worker may send them in either order (only one chat's sends are ordered).
      .sort((a, b) => Number(a[0]) - Number(b[0]));
    expect(notices).toEqual([
      [
        990_001,
        expect.stringMatching(/^1 клиент передан коллегам, так как ответ задержался.*: Client 700010\.$/),
      ],
      [990_002, 'A client was passed to you: Client 700010.'],
    ]);
  });

  it('keeps an overdue client with their operator when nobody is free, and tries again later', async () => {
    await team(60);
    await write(700_020, 'help');
    const later = minutesFrom(new Date(), 2);
    const outcome = await runJob({ db, job: reassignByLoadJob, trigger: 'cli', now: later });
    expect(outcome).toMatchObject({ result: { overdue: 0, stayed: 1, toQueue: 0 } });
    expect((await clientOf(700_020)).assignedOperatorId).not.toBeNull();
    expect(await db.$count(operatorLogs, eq(operatorLogs.action, 'client.reassigned'))).toBe(0);
  });

  it('moves an offline operator’s awaiting clients to a colleague or the queue; answered clients stay', async () => {
    const { department, anna } = await team();
    const a = await write(700_030, 'one');
    const b = await write(700_031, 'two');
    const answered = await write(700_032, 'three');
    await sendOperatorMessage({
      db,
      actor: actorFor(anna, []),
      input: { clientId: answered.id, text: 'Done' },
    });
    const boris = await makeOperator(db, { departmentIds: [department.id], name: 'Boris', capacity: 1 });
    // Anna drops offline without going through the desk (a crashed browser, sync-operator-status).
    await db.update(operators).set({ status: 'offline' }).where(eq(operators.id, anna.id));
    const dry = await reassignClients({ db, actor: system, now: new Date(), dryRun: true });
    expect(dry.moves.map((m) => [m.clientId, m.toOperatorId])).toEqual([
      [a.id, boris.id],
      [b.id, null],
    ]);
    expect((await clientOf(700_030)).assignedOperatorId).toBe(anna.id);

    const result = await reassignClients({ db, actor: system, now: new Date() });
    expect(result.moves.map((m) => [m.reason, m.toOperatorId])).toEqual([
      ['operator_offline', boris.id],
      ['operator_offline', null],
    ]);
    expect((await clientOf(700_030)).assignedOperatorId).toBe(boris.id);
    const queued = await clientOf(700_031);
    expect(queued).toMatchObject({ assignedOperatorId: null, answerDueAt: null });
    expect(queued.queuedAt).not.toBeNull();
    expect((await clientOf(700_032)).assignedOperatorId).toBe(anna.id);
    expect(await db.$count(operatorLogs, eq(operatorLogs.action, 'client.returned_to_queue'))).toBe(1);
  });

  it('keeps every operator’s active_clients exact through a bulk move, and per-row counting resumes in the same transaction', async () => {
    const { department, anna } = await team();
    await write(700_060, 'one');
    await write(700_061, 'two');
    const answered = await write(700_062, 'three');
    await sendOperatorMessage({
      db,
      actor: actorFor(anna, []),
      input: { clientId: answered.id, text: 'Done' },
    });
    await makeOperator(db, { departmentIds: [department.id], name: 'Boris', capacity: 1 });
    await db.update(operators).set({ status: 'offline' }).where(eq(operators.id, anna.id));
    const loadsOff = async () =>
      rowsOf<{ id: string }>(
        await db.execute(sql`
          select o.id from operators o where o.active_clients <> (select count(*) from clients c
            where c.assigned_operator_id = o.id and c.status in ('new', 'in_progress', 'waiting'))`),
      );
    expect(await loadsOff()).toEqual([]);
    let annaAfterResolve: number | undefined;
    const result = await reassignClients({
      db,
      actor: system,
      now: new Date(),
      // After the bulk statement, in its transaction: a per-row change is counted by the trigger.
      onMoved: async (tx) => {
        await tx.update(clients).set({ status: 'resolved' }).where(eq(clients.id, answered.id));
        const [row] = await tx
          .select({ load: operators.activeClients })
          .from(operators)
          .where(eq(operators.id, anna.id));
        annaAfterResolve = row?.load;
      },
    });
    // One to Boris (capacity 1), one back to the queue; Anna keeps only the answered client, then resolves it.
    expect(result.moves.map((m) => m.toOperatorId === null).sort()).toEqual([false, true]);
    expect(annaAfterResolve).toBe(0);
    expect(await loadsOff()).toEqual([]);
    const loads = await db.select({ name: operators.name, load: operators.activeClients }).from(operators);
    expect(Object.fromEntries(loads.map((o) => [o.name, o.load]))).toEqual({ Anna: 0, Boris: 1 });
  });

  it('takes an over-capacity operator down to capacity, newest assignments first', async () => {
    const { department, anna } = await team();
    const first = await write(700_040, 'one');
    const second = await write(700_041, 'two');
    const third = await write(700_042, 'three');
    const boris = await makeOperator(db, { departmentIds: [department.id], name: 'Boris', capacity: 5 });
    // An admin lowers Anna's capacity below her load.
    await db.update(operators).set({ capacity: 1 }).where(eq(operators.id, anna.id));
    const result = await reassignClients({ db, actor: system, now: new Date() });
    expect(result.moves.map((m) => [m.clientId, m.reason, m.toOperatorId]).sort()).toEqual(
      [
        [second.id, 'over_capacity', boris.id],
        [third.id, 'over_capacity', boris.id],
      ].sort(),
    );
    expect((await clientOf(700_040)).assignedOperatorId).toBe(anna.id);
    expect(first.assignedOperatorId).toBe(anna.id);
  });

  it('does not move a client someone answered between the plan and the write', async () => {
    const { department, anna } = await team(60);
    const client = await write(700_050, 'help');
    await makeOperator(db, { departmentIds: [department.id], name: 'Boris', capacity: 5 });
    await sendOperatorMessage({
      db,
      actor: actorFor(anna, []),
      input: { clientId: client.id, text: 'Here' },
    });
    const result = await reassignClients({ db, actor: system, now: minutesFrom(new Date(), 5) });
    expect(result.moves).toEqual([]);
    expect((await clientOf(700_050)).assignedOperatorId).toBe(anna.id);
  });
});
