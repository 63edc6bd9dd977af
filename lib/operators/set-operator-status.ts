import { eq } from 'drizzle-orm';
import { z } from 'zod';
import type { DbOrTx } from '@/db/client';
import { operators, operatorStatus } from '@/db/schema';
import { drainQueue } from '@/lib/clients/drain-queue';
import { lockAssignment } from '@/lib/clients/pick-operator';
import { recordAudit } from '@/lib/audit/record-audit';
import type { Actor } from '@/lib/auth/actor';
import { requireStaff } from '@/lib/auth/permissions';
import { AppError } from '@/lib/errors';
import { notifyDesk } from '@/lib/events/notify-desk';
import { getOperatorActor } from './get-operator-actor';
import { getOperatorOrThrow } from './get-operator-or-throw';

export const setOperatorStatusInput = z.object({
  operatorId: z.uuid(),
  status: z.enum(operatorStatus.enumValues),
});

/**
 * Changes an operator's presence. Operators change their own; admins anyone; supervisors the
 * operators of their departments. Going online drains the queues of the operator's departments
 * in the same transaction. Errors: `not_found` (also for an operator the actor may not see),
 * `forbidden` (may see them, may not change them), `conflict` (a disabled operator).
 */
export async function setOperatorStatus({
  db,
  actor,
  input,
}: {
  db: DbOrTx;
  actor: Actor;
  input: z.input<typeof setOperatorStatusInput>;
}): Promise<{ status: string; assignedFromQueue: number }> {
  const staff = requireStaff(actor);
  const { operatorId, status } = setOperatorStatusInput.parse(input);
  // Someone the actor may not see does not exist for them (404); seeing is not changing (403).
  const visible = await getOperatorOrThrow({ db, actor: staff, operatorId });
  if (!visible.isActive) throw new AppError('conflict', 'This operator is disabled; enable them first.');
  return db.transaction(async (tx) => {
    const target = await getOperatorActor({ db: tx, operatorId });
    if (!target) throw new AppError('not_found', 'Operator not found.');
    const self = staff.kind === 'operator' && staff.operatorId === operatorId;
    const supervises =
      staff.role === 'supervisor' && target.departmentIds.some((d) => staff.departmentIds.includes(d));
    if (!self && staff.role !== 'admin' && !supervises) {
      throw new AppError('forbidden', "You cannot change this operator's status.");
    }
    // Going online drains the queue under the assignment lock. Take it before touching the
    // operator's row: an assignment holds that lock and then updates the operator it picked, so
    // the other order deadlocks with it.
    if (status === 'online') await lockAssignment(tx);
    const now = new Date();
    const [before] = await tx
      .select({ status: operators.status })
      .from(operators)
      .where(eq(operators.id, operatorId));
    await tx
      .update(operators)
      .set({ status, statusAuto: false, statusChangedAt: now, lastSeenAt: now, updatedAt: now })
      .where(eq(operators.id, operatorId));
    await recordAudit(tx, actor, {
      action: 'operator.status_changed',
      targetType: 'operator',
      targetId: operatorId,
      details: { from: before?.status ?? null, to: status },
    });
    await notifyDesk(tx, { type: 'operator.updated', operatorId });
    const assignedFromQueue =
      status === 'online' ? await drainQueue({ tx, actor, departmentIds: target.departmentIds }) : 0;
    return { status, assignedFromQueue };
  });
}
