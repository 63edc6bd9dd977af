import { eq } from 'drizzle-orm';
import { beforeEach, describe, expect, it } from 'vitest';
import type { Db } from '@/db/client';
import { clients, operatorLogs, operators } from '@/db/schema';
import { settleBackgroundWork } from '@/lib/background';
import { GET as health } from '@/app/api/health/route';
import { systemActor } from '@/lib/auth/actor';
import { listClients } from '@/lib/clients/list-clients';
import { getClientOrThrow } from '@/lib/clients/get-client-or-throw';
import { createOperator } from '@/lib/operators/create-operator';
import { authenticateOperator } from '@/lib/operators/authenticate-operator';
import { getOperatorActor } from '@/lib/operators/get-operator-actor';
import { callBotApi } from '@/lib/telegram/bot-api';
import { actorFor, makeDepartment, makeOperator, textUpdate } from '../factories';
import { getTestDb, resetDb } from '../support/db';
import { postUpdate } from '../support/webhook';

let db: Db;

beforeEach(async () => {
  await settleBackgroundWork();
  db = await getTestDb();
  await resetDb(db);
});

describe('sign-in', () => {
  it('accepts the right password, rejects a wrong one and disabled accounts, never returns the hash', async () => {
    const created = await createOperator({
      db,
      actor: systemActor('test'),
      input: { email: 'Kate@Example.test', name: 'Kate', password: 'long enough pw', role: 'supervisor' },
    });
    const ok = await authenticateOperator({
      db,
      email: 'kate@example.test ',
      password: 'long enough pw',
      context: { ip: '198.51.100.4', userAgent: 'browser' },
    });
    expect(ok).toEqual({
      id: created.id,
      name: 'Kate',
      email: 'kate@example.test',
      role: 'supervisor',
      sessionVersion: 1,
    });
    const [signIn] = await db.select().from(operatorLogs).where(eq(operatorLogs.action, 'auth.signed_in'));
    expect(signIn).toMatchObject({ operatorId: created.id, ip: '198.51.100.4', userAgent: 'browser' });
    expect(
      await authenticateOperator({ db, email: 'kate@example.test', password: 'wrong password' }),
    ).toBeNull();
    expect(
      await authenticateOperator({ db, email: 'nobody@example.test', password: 'long enough pw' }),
    ).toBeNull();
    await db.update(operators).set({ isActive: false }).where(eq(operators.id, created.id));
    expect(
      await authenticateOperator({ db, email: 'kate@example.test', password: 'long enough pw' }),
    ).toBeNull();
    expect(await getOperatorActor({ db, operatorId: created.id })).toBeNull();
    const [audit] = await db.select().from(operatorLogs).where(eq(operatorLogs.action, 'operator.created'));
    expect(audit).toMatchObject({ actorType: 'system', targetId: created.id });
  });

  it('refuses duplicate emails and short passwords with clear errors', async () => {
    await createOperator({
      db,
      actor: systemActor(),
      input: { email: 'a@example.test', name: 'A', password: '12345678' },
    });
    await expect(
      createOperator({
        db,
        actor: systemActor(),
        input: { email: 'A@example.test', name: 'A2', password: '12345678' },
      }),
    ).rejects.toMatchObject({
      code: 'conflict',
    });
    await expect(
      createOperator({
        db,
        actor: systemActor(),
        input: { email: 'b@example.test', name: 'B', password: 'short' },
      }),
    ).rejects.toThrow('at least 8 characters');
  });

  it('creates an operator without a password who cannot sign in with one, and says so in the audit row', async () => {
    const department = await makeDepartment(db);
    const admin = await makeOperator(db, { role: 'admin' });
    const created = await createOperator({
      db,
      actor: actorFor(admin, []),
      input: { email: 'tg-only@example.test', name: 'Telegram Only', departmentIds: [department.id] },
    });
    const [row] = await db.select().from(operators).where(eq(operators.id, created.id));
    expect(row?.passwordHash).toBeNull();
    for (const password of ['', 'long enough pw', 'undefined', 'null']) {
      expect(await authenticateOperator({ db, email: 'tg-only@example.test', password })).toBeNull();
    }
    const [audit] = await db.select().from(operatorLogs).where(eq(operatorLogs.targetId, created.id));
    expect(audit).toMatchObject({
      action: 'operator.created',
      operatorId: admin.id,
      details: {
        email: 'tg-only@example.test',
        role: 'operator',
        departmentIds: [department.id],
        password: false,
      },
    });
    const withPassword = await createOperator({
      db,
      actor: actorFor(admin, []),
      input: { email: 'pw@example.test', name: 'With Password', password: 'long enough pw' },
    });
    const [second] = await db.select().from(operatorLogs).where(eq(operatorLogs.targetId, withPassword.id));
    expect(second?.details).toMatchObject({ password: true });
  });

  it('does not let an operator create operators', async () => {
    const department = await makeDepartment(db);
    const operator = await makeOperator(db, { departmentIds: [department.id] });
    await expect(
      createOperator({
        db,
        actor: actorFor(operator, [department.id]),
        input: { email: 'c@example.test', name: 'C', password: '12345678' },
      }),
    ).rejects.toMatchObject({ code: 'forbidden' });
  });
});

describe('client visibility by role', () => {
  it('scopes lists and single reads the same way', async () => {
    const sales = await makeDepartment(db, { isDefault: true });
    const billing = await makeDepartment(db);
    const me = await makeOperator(db, { departmentIds: [sales.id], capacity: 1 });
    const colleague = await makeOperator(db, { departmentIds: [sales.id], capacity: 1 });
    const supervisor = await makeOperator(db, {
      departmentIds: [billing.id],
      role: 'supervisor',
      status: 'offline',
    });
    const admin = await makeOperator(db, { role: 'admin', status: 'offline' });
    for (const id of [800_001, 800_002, 800_003])
      await postUpdate(textUpdate({ id, first_name: `C${id}` }, 'hi'));
    // 800_001 → one operator, 800_002 → the other, 800_003 → queue (both full). Move one to billing.
    const all = await db.select().from(clients);
    const mine = all.find((c) => c.assignedOperatorId === me.id);
    const theirs = all.find((c) => c.assignedOperatorId === colleague.id);
    const queued = all.find((c) => c.assignedOperatorId === null);
    if (!mine || !theirs || !queued) throw new Error('unexpected assignment');
    await db.update(clients).set({ departmentId: billing.id }).where(eq(clients.id, theirs.id));

    const ids = async (actor: Parameters<typeof listClients>[0]['actor']) =>
      (await listClients({ db, actor, input: {} })).results.map((c) => c.id).sort();
    expect(await ids(actorFor(me, [sales.id]))).toEqual([mine.id, queued.id].sort());
    expect(await ids(actorFor(supervisor, [billing.id]))).toEqual([theirs.id]);
    expect(await ids(actorFor(admin, []))).toHaveLength(3);
    await expect(
      getClientOrThrow({ db, actor: actorFor(me, [sales.id]), clientId: theirs.id }),
    ).rejects.toMatchObject({ code: 'not_found' });

    const page = await listClients({
      db,
      actor: actorFor(admin, []),
      input: { search: `C800002`, ordering: 'displayName', pageSize: 1 },
    });
    expect(page.count).toBe(1);
    expect(page.results[0]?.displayName).toBe('C800002');
    expect(page.results[0]).not.toHaveProperty('passwordHash');
  });
});

describe('health and secrets', () => {
  it('reports the database', async () => {
    const response = await health();
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ status: 'ok', db: 'ok' });
  });

  it('never puts the bot token into an error message', async () => {
    const token = '987654321:SECRET-token-that-must-not-leak-0123';
    const error = await callBotApi(
      'sendMessage',
      { chat_id: 1, text: 'x' },
      { token, apiRoot: 'http://127.0.0.1:9' },
    ).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(Error);
    const text = `${String(error)} ${JSON.stringify(error)} ${(error as Error).stack ?? ''}`;
    expect(text).toContain('Network error calling sendMessage');
    expect(text).not.toContain('SECRET-token');
  });
});
