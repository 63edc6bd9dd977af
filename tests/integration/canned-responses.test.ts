// Canned responses per department against a real database: who manages them, who uses them,
// unique titles, and the audit trail.
import { eq } from 'drizzle-orm';
import { beforeEach, describe, expect, it } from 'vitest';
import type { Db } from '@/db/client';
import { operatorLogs } from '@/db/schema';
import { deleteCannedResponse } from '@/lib/canned-responses/delete-canned-response';
import { listCannedResponses } from '@/lib/canned-responses/list-canned-responses';
import { saveCannedResponse } from '@/lib/canned-responses/save-canned-response';
import { actorFor, makeDepartment, makeOperator } from '../factories';
import { getTestDb, resetDb } from '../support/db';

let db: Db;

beforeEach(async () => {
  db = await getTestDb();
  await resetDb(db);
});

async function desk() {
  const billing = await makeDepartment(db, { name: 'Billing' });
  const delivery = await makeDepartment(db, { name: 'Delivery' });
  const admin = actorFor(await makeOperator(db, { role: 'admin' }), []);
  const supervisor = actorFor(await makeOperator(db, { role: 'supervisor', departmentIds: [billing.id] }), [
    billing.id,
  ]);
  const operator = actorFor(await makeOperator(db, { departmentIds: [billing.id] }), [billing.id]);
  return { billing, delivery, admin, supervisor, operator };
}

describe('canned responses', () => {
  it('are managed by admins anywhere and by supervisors in their departments, used by their operators', async () => {
    const { billing, delivery, admin, supervisor, operator } = await desk();
    const refund = await saveCannedResponse({
      db,
      actor: supervisor,
      input: { departmentId: billing.id, title: 'refund', body: 'Your refund is on its way.' },
    });
    await saveCannedResponse({
      db,
      actor: admin,
      input: { departmentId: delivery.id, title: 'late', body: 'The courier is late today.' },
    });
    await expect(
      saveCannedResponse({
        db,
        actor: supervisor,
        input: { departmentId: delivery.id, title: 'mine', body: 'not my department' },
      }),
    ).rejects.toMatchObject({ code: 'forbidden' });
    await expect(
      saveCannedResponse({
        db,
        actor: operator,
        input: { departmentId: billing.id, title: 'hi', body: 'Hello!' },
      }),
    ).rejects.toMatchObject({ code: 'forbidden' });
    // Moving Billing's response to Delivery needs Delivery too.
    await expect(
      saveCannedResponse({
        db,
        actor: supervisor,
        input: { id: refund.id, departmentId: delivery.id, title: 'refund', body: 'x' },
      }),
    ).rejects.toMatchObject({ code: 'forbidden' });

    // Each sees what they may use.
    const titles = async (actor: typeof admin) =>
      (await listCannedResponses({ db, actor })).map((r) => `${r.departmentName}/${r.title}`);
    expect(await titles(operator)).toEqual(['Billing/refund']);
    expect((await titles(admin)).sort()).toEqual(['Billing/refund', 'Delivery/late']);
    expect(await listCannedResponses({ db, actor: operator, input: { departmentId: delivery.id } })).toEqual(
      [],
    );
  });

  it('keep titles unique in a department whatever their case, and audit every change', async () => {
    const { billing, delivery, supervisor, admin } = await desk();
    const saved = await saveCannedResponse({
      db,
      actor: supervisor,
      input: { departmentId: billing.id, title: 'Refund', body: 'Your refund is on its way.' },
    });
    await expect(
      saveCannedResponse({
        db,
        actor: supervisor,
        input: { departmentId: billing.id, title: 'REFUND', body: 'again' },
      }),
    ).rejects.toMatchObject({ code: 'conflict' });
    // Another department may use the same title.
    await saveCannedResponse({
      db,
      actor: admin,
      input: { departmentId: delivery.id, title: 'refund', body: 'Returns are refunded on arrival.' },
    });
    await expect(
      saveCannedResponse({
        db,
        actor: supervisor,
        input: { departmentId: billing.id, title: '/x', body: 'y' },
      }),
    ).rejects.toThrow('A title starts with a letter or digit');

    await saveCannedResponse({
      db,
      actor: supervisor,
      input: { id: saved.id, departmentId: billing.id, title: 'refund-sent', body: 'Refund sent today.' },
    });
    const [changed] = await listCannedResponses({ db, actor: supervisor });
    expect(changed).toMatchObject({ id: saved.id, title: 'refund-sent', body: 'Refund sent today.' });

    await deleteCannedResponse({ db, actor: supervisor, input: { id: saved.id } });
    expect(await listCannedResponses({ db, actor: supervisor })).toEqual([]);
    await expect(
      deleteCannedResponse({ db, actor: supervisor, input: { id: saved.id } }),
    ).rejects.toMatchObject({
      code: 'not_found',
    });

    const audit = await db
      .select({ action: operatorLogs.action, details: operatorLogs.details })
      .from(operatorLogs)
      .where(eq(operatorLogs.targetId, saved.id))
      .orderBy(operatorLogs.id);
    expect(audit).toEqual([
      { action: 'canned_response.created', details: { title: 'Refund', departmentId: billing.id } },
      {
        action: 'canned_response.updated',
        details: {
          title: 'refund-sent',
          departmentId: billing.id,
          previousTitle: 'Refund',
          bodyChanged: true,
        },
      },
      {
        action: 'canned_response.deleted',
        details: { title: 'refund-sent', departmentId: billing.id, body: 'Refund sent today.' },
      },
    ]);
  });
});
