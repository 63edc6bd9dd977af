// API tokens as the settings page and the REST API list them: names for people, never a
// secret, admins only.
import { eq } from 'drizzle-orm';
import { beforeEach, describe, expect, it } from 'vitest';
import type { Db } from '@/db/client';
import { departments } from '@/db/schema';
import { createApiToken } from '@/lib/api-tokens/create-api-token';
import { listApiTokens } from '@/lib/api-tokens/list-api-tokens';
import { revokeApiToken } from '@/lib/api-tokens/revoke-api-token';
import { systemActor } from '@/lib/auth/actor';
import { AppError } from '@/lib/errors';
import { actorFor, makeDepartment, makeOperator } from '../factories';
import { api, results } from '../support/api-desk';
import { getTestDb, resetDb } from '../support/db';

let db: Db;

beforeEach(async () => {
  db = await getTestDb();
  await resetDb(db);
});

async function refusal(fn: () => Promise<unknown>): Promise<string> {
  try {
    await fn();
  } catch (error) {
    if (error instanceof AppError) return error.code;
    throw error;
  }
  return 'allowed';
}

describe('listing API tokens', () => {
  it('gives admins every token newest first, with the creator’s and departments’ names and no secret', async () => {
    const billing = await makeDepartment(db, { name: 'Billing', isDefault: true });
    const delivery = await makeDepartment(db, { name: 'Delivery' });
    const adminRow = await makeOperator(db, { role: 'admin', name: 'Ada Admin' });
    const admin = actorFor(adminRow, []);
    const first = await createApiToken({
      db,
      actor: systemActor('test'),
      input: { name: 'From a script', role: 'admin' },
    });
    const second = await createApiToken({
      db,
      actor: admin,
      input: { name: 'Shop', role: 'supervisor', departmentIds: [delivery.id, billing.id] },
    });
    await revokeApiToken({ db, actor: admin, input: { id: first.id } });
    // A renamed department shows its name of today.
    await db.update(departments).set({ name: 'Shipping' }).where(eq(departments.id, delivery.id));

    const listed = await listApiTokens({ db, actor: admin });
    expect(listed.map((t) => t.id)).toEqual([second.id, first.id]);
    expect(listed[0]).toMatchObject({
      name: 'Shop',
      createdByName: 'Ada Admin',
      departments: [
        { id: delivery.id, name: 'Shipping' },
        { id: billing.id, name: 'Billing' },
      ],
      revokedAt: null,
    });
    expect(listed[1]).toMatchObject({ createdByName: null, departments: [] });
    expect(listed[1]?.revokedAt).not.toBeNull();
    const text = JSON.stringify(listed);
    expect(text).not.toContain(first.token);
    expect(text).not.toContain(second.token);
    expect(text).not.toMatch(/hash/i);
  });

  it('refuses everyone but admins: supervisors, operators and their tokens', async () => {
    const billing = await makeDepartment(db, { name: 'Billing', isDefault: true });
    const supervisor = await makeOperator(db, { role: 'supervisor', departmentIds: [billing.id] });
    const operator = await makeOperator(db, { departmentIds: [billing.id] });
    const supervisorToken = await createApiToken({
      db,
      actor: systemActor('test'),
      input: { name: 'supervisor', role: 'supervisor', departmentIds: [billing.id] },
    });
    expect(await refusal(() => listApiTokens({ db, actor: actorFor(supervisor, [billing.id]) }))).toBe(
      'forbidden',
    );
    expect(await refusal(() => listApiTokens({ db, actor: actorFor(operator, [billing.id]) }))).toBe(
      'forbidden',
    );
    expect(
      await refusal(() =>
        createApiToken({
          db,
          actor: actorFor(supervisor, [billing.id]),
          input: { name: 'x', role: 'admin' },
        }),
      ),
    ).toBe('forbidden');
    expect(
      await refusal(() =>
        revokeApiToken({ db, actor: actorFor(supervisor, [billing.id]), input: { id: supervisorToken.id } }),
      ),
    ).toBe('forbidden');
    const answer = await api('/api-tokens', { token: supervisorToken.token });
    expect(answer.status).toBe(403);
  });

  it('answers the REST list with the documented fields only (the page’s names stay in the dashboard)', async () => {
    const admin = await createApiToken({
      db,
      actor: systemActor('test'),
      input: { name: 'Admin API', role: 'admin' },
    });
    const answer = await api('/api-tokens', { token: admin.token });
    expect(answer.status).toBe(200);
    const [item] = results(answer);
    expect(Object.keys(item ?? {}).sort()).toEqual([
      'created_at',
      'created_by_id',
      'department_ids',
      'expires_at',
      'id',
      'last_used_at',
      'last_used_ip',
      'name',
      'prefix',
      'revoked_at',
      'role',
    ]);
  });
});
