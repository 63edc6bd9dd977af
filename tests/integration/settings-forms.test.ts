// The dashboard's form functions behind the thin server actions: Settings → API tokens
// (FormData, the expiry day read in the admin's time zone) and the Operators page's dialogs
// (zod-checked objects, queues drained after a change that makes room).
import { eq } from 'drizzle-orm';
import { ZodError } from 'zod';
import { beforeEach, describe, expect, it } from 'vitest';
import type { Db } from '@/db/client';
import { apiTokens, clients, operatorLogs, operators } from '@/db/schema';
import { createApiTokenFromForm } from '@/lib/api-tokens/create-api-token-from-form';
import { revokeApiTokenFromForm } from '@/lib/api-tokens/revoke-api-token-from-form';
import { settleBackgroundWork } from '@/lib/background';
import { AppError } from '@/lib/errors';
import { createOperatorFromForm } from '@/lib/operators/create-operator-from-form';
import { updateOperatorFromForm } from '@/lib/operators/update-operator-from-form';
import { actorFor, makeDepartment, makeOperator, textUpdate } from '../factories';
import { getTestDb, resetDb } from '../support/db';
import { postUpdate } from '../support/webhook';

let db: Db;

beforeEach(async () => {
  await settleBackgroundWork();
  db = await getTestDb();
  await resetDb(db);
});

async function admin() {
  return actorFor(await makeOperator(db, { role: 'admin', name: 'Ada Admin' }), []);
}

function form(fields: Record<string, string | string[]>): FormData {
  const data = new FormData();
  for (const [key, value] of Object.entries(fields)) {
    for (const one of Array.isArray(value) ? value : [value]) data.append(key, one);
  }
  return data;
}

async function auditActions(targetId: string) {
  const rows = await db.select().from(operatorLogs).where(eq(operatorLogs.targetId, targetId));
  return rows.map((r) => r.action);
}

describe('createApiTokenFromForm / revokeApiTokenFromForm', () => {
  it('creates a scoped token that expires at the end of the chosen day in the admin’s zone, then revokes it', async () => {
    const actor = await admin();
    const billing = await makeDepartment(db, { name: 'Billing' });
    const created = await createApiTokenFromForm({
      db,
      actor,
      timeZone: 'Asia/Tokyo',
      now: new Date('2030-03-01T00:00:00Z'),
      form: form({
        name: '  CRM sync ',
        role: 'supervisor',
        departmentIds: [billing.id],
        expiresOn: '2030-03-31',
      }),
    });
    expect(created).toMatchObject({
      name: 'CRM sync',
      prefix: created.token.slice(0, created.prefix.length),
    });
    const [row] = await db.select().from(apiTokens).where(eq(apiTokens.name, 'CRM sync'));
    // The last day works until midnight after it in Tokyo (UTC+9): 2030-04-01T00:00+09:00.
    expect(row?.expiresAt?.toISOString()).toBe('2030-03-31T15:00:00.000Z');
    expect(row?.role).toBe('supervisor');
    expect(await auditActions(row?.id ?? '')).toEqual(['api_token.created']);

    const noExpiry = await createApiTokenFromForm({
      db,
      actor,
      timeZone: 'UTC',
      form: form({ name: 'Admin script', role: 'admin', expiresOn: '' }),
    });
    const [open] = await db.select().from(apiTokens).where(eq(apiTokens.name, noExpiry.name));
    expect(open?.expiresAt).toBeNull();

    const revoked = await revokeApiTokenFromForm({ db, actor, form: form({ id: row?.id ?? '' }) });
    expect(revoked).toEqual({ name: 'CRM sync' });
    const [after] = await db.select().from(apiTokens).where(eq(apiTokens.name, 'CRM sync'));
    expect(after?.revokedAt).not.toBeNull();
    expect(await auditActions(row?.id ?? '')).toEqual(
      expect.arrayContaining(['api_token.created', 'api_token.revoked']),
    );
  });

  it('refuses what is not a form, malformed fields, non-admins and unknown tokens', async () => {
    const actor = await admin();
    const department = await makeDepartment(db);
    const good = { name: 'T', role: 'operator', departmentIds: [department.id], expiresOn: '' };
    for (const body of [null, { ...good }, 'name=T']) {
      await expect(createApiTokenFromForm({ db, actor, timeZone: 'UTC', form: body })).rejects.toMatchObject({
        code: 'bad_request',
        message: 'Malformed request.',
      });
    }
    await expect(
      createApiTokenFromForm({ db, actor, timeZone: 'UTC', form: form({ ...good, role: 'owner' }) }),
    ).rejects.toBeInstanceOf(ZodError);
    await expect(
      createApiTokenFromForm({
        db,
        actor,
        timeZone: 'UTC',
        form: form({ ...good, expiresOn: '31.03.2030' }),
      }),
    ).rejects.toBeInstanceOf(ZodError);
    // The domain's own rules still apply behind the form.
    await expect(
      createApiTokenFromForm({ db, actor, timeZone: 'UTC', form: form({ ...good, departmentIds: [] }) }),
    ).rejects.toMatchObject({ code: 'unprocessable_entity' });
    const supervisor = actorFor(
      await makeOperator(db, { role: 'supervisor', departmentIds: [department.id] }),
      [department.id],
    );
    await expect(
      createApiTokenFromForm({ db, actor: supervisor, timeZone: 'UTC', form: form(good) }),
    ).rejects.toMatchObject({ code: 'forbidden' });
    expect(await db.select().from(apiTokens)).toHaveLength(0);

    await expect(
      revokeApiTokenFromForm({ db, actor, form: form({ id: 'not-a-uuid' }) }),
    ).rejects.toBeInstanceOf(ZodError);
    await expect(
      revokeApiTokenFromForm({ db, actor, form: { id: crypto.randomUUID() } }),
    ).rejects.toBeInstanceOf(AppError);
    await expect(
      revokeApiTokenFromForm({ db, actor, form: form({ id: crypto.randomUUID() }) }),
    ).rejects.toMatchObject({ code: 'not_found' });
  });
});

describe('createOperatorFromForm / updateOperatorFromForm', () => {
  it('creates an operator, audited, and refuses fields the page does not offer', async () => {
    const actor = await admin();
    const department = await makeDepartment(db, { name: 'Support', defaultCapacity: 3 });
    const created = await createOperatorFromForm({
      db,
      actor,
      input: { name: 'Nina', email: 'nina@example.test', role: 'operator', departmentIds: [department.id] },
    });
    expect(created.name).toBe('Nina');
    const [row] = await db.select().from(operators).where(eq(operators.id, created.id));
    expect(row).toMatchObject({ email: 'nina@example.test', role: 'operator', capacity: 3 });
    expect(await auditActions(created.id)).toEqual(['operator.created']);

    for (const input of [
      { name: 'X', email: 'x@example.test', role: 'operator', departmentIds: [], status: 'online' },
      { name: 'X', email: 'not an email', role: 'operator', departmentIds: [] },
      'name=X',
    ]) {
      await expect(createOperatorFromForm({ db, actor, input })).rejects.toBeInstanceOf(ZodError);
    }
    const operator = actorFor(await makeOperator(db), [department.id]);
    await expect(
      createOperatorFromForm({
        db,
        actor: operator,
        input: { name: 'Y', email: 'y@example.test', role: 'operator', departmentIds: [department.id] },
      }),
    ).rejects.toMatchObject({ code: 'forbidden' });
  });

  it('changes an operator and hands queued clients to the room it made; refuses unknown fields', async () => {
    const actor = await admin();
    const department = await makeDepartment(db, { name: 'Support', isDefault: true });
    const olga = await makeOperator(db, { name: 'Olga', capacity: 1, departmentIds: [department.id] });
    await postUpdate(textUpdate({ id: 762_001 }, 'first'));
    await postUpdate(textUpdate({ id: 762_002 }, 'second'));
    const clientOf = async (id: number) =>
      (await db.select().from(clients).where(eq(clients.telegramUserId, id)))[0];
    expect((await clientOf(762_001))?.assignedOperatorId).toBe(olga.id);
    expect((await clientOf(762_002))?.assignedOperatorId).toBeNull();

    const updated = await updateOperatorFromForm({
      db,
      actor,
      input: { operatorId: olga.id, name: 'Olga Senior', capacity: 2 },
    });
    expect(updated).toEqual({ id: olga.id });
    expect((await clientOf(762_002))?.assignedOperatorId).toBe(olga.id);
    const [row] = await db.select().from(operators).where(eq(operators.id, olga.id));
    expect(row).toMatchObject({ name: 'Olga Senior', capacity: 2 });
    expect(await auditActions(olga.id)).toContain('operator.updated');

    for (const input of [
      { operatorId: olga.id, status: 'away' },
      { operatorId: olga.id, capacity: 0 },
      { operatorId: 'olga' },
    ]) {
      await expect(updateOperatorFromForm({ db, actor, input })).rejects.toBeInstanceOf(ZodError);
    }
  });
});
