import { and, asc, eq, inArray } from 'drizzle-orm';
import { z } from 'zod';
import type { DbOrTx } from '@/db/client';
import { departments, operatorDepartments, operatorRole, operators } from '@/db/schema';
import { recordAudit } from '@/lib/audit/record-audit';
import type { Actor } from '@/lib/auth/actor';
import { hashPassword } from '@/lib/auth/password';
import { requireRole } from '@/lib/auth/permissions';
import { lockAssignment } from '@/lib/clients/pick-operator';
import { releaseOperatorClients } from '@/lib/clients/release-operator-clients';
import { AppError } from '@/lib/errors';
import { getOperatorOrThrow } from './get-operator-or-throw';

export const operatorNameSchema = z.string().trim().min(1).max(200);
export const operatorCapacitySchema = z.number().int().min(1).max(500);
export const operatorPasswordSchema = z.string().min(8, 'Passwords need at least 8 characters.').max(200);

export const updateOperatorInput = z
  .object({
    operatorId: z.uuid(),
    name: operatorNameSchema.optional(),
    role: z.enum(operatorRole.enumValues).optional(),
    isActive: z.boolean().optional(),
    password: operatorPasswordSchema.optional(),
    capacity: operatorCapacitySchema.optional(),
    /** The operator's departments: the whole set, replacing the current one. */
    departmentIds: z.array(z.uuid()).max(100).optional(),
  })
  .strict()
  .refine((v) => Object.entries(v).some(([key, value]) => key !== 'operatorId' && value !== undefined), {
    message: 'Nothing to change.',
  });

export type UpdatedOperator = {
  id: string;
  role: string;
  isActive: boolean;
  sessionVersion: number;
  /**
   * Departments whose queues may move now (more capacity, a new department, reactivation, or
   * the clients a deactivation returned to the queue): drain them after commit.
   */
  drainDepartmentIds: string[];
};

/**
 * Admins change an operator's name, role, capacity, departments (the whole set), password, or
 * enable or disable them. A role change, a new password or disabling ends the operator's
 * sessions (the operators trigger of migration 0005 raises session_version in the same UPDATE).
 * Disabling also sets them offline and returns their open clients to their departments' queues
 * (under the assignment lock, so none is handed to them meanwhile); a department they leave
 * sends them no new clients, but the clients they have stay with them. Admins cannot demote or
 * disable themselves, and the desk keeps at least one active admin. One audit row
 * (`operator.updated`) lists what changed. Errors: `not_found` (also for an operator a
 * non-admin may not see), `forbidden` (not an admin), `conflict` (own account, last admin),
 * `unprocessable_entity` (an unknown department), ZodError for bad input.
 */
export async function updateOperator({
  db,
  actor,
  input,
}: {
  db: DbOrTx;
  actor: Actor;
  input: z.input<typeof updateOperatorInput>;
}): Promise<UpdatedOperator> {
  const data = updateOperatorInput.parse(input);
  if (actor.kind !== 'system') {
    if (actor.kind === 'operator' || actor.kind === 'api_token') {
      await getOperatorOrThrow({ db, actor, operatorId: data.operatorId });
    }
    requireRole(actor, ['admin']);
  }
  const self = actor.kind === 'operator' && actor.operatorId === data.operatorId;
  const demotes = data.role !== undefined && data.role !== 'admin';
  if (self && (demotes || data.isActive === false)) {
    throw new AppError('conflict', 'You cannot demote or disable your own account.');
  }
  const passwordHash = data.password === undefined ? undefined : await hashPassword(data.password);
  const departmentIds = data.departmentIds === undefined ? undefined : [...new Set(data.departmentIds)];
  return db.transaction(async (tx) => {
    const [current] = await tx
      .select({ isActive: operators.isActive, role: operators.role })
      .from(operators)
      .where(eq(operators.id, data.operatorId));
    if (!current) throw new AppError('not_found', 'Operator not found.');
    const disabling = data.isActive === false && current.isActive;
    // The lock order of every assignment: the assignment lock, the clients, then the operator.
    let released = { clientIds: [] as string[], departmentIds: [] as string[] };
    if (disabling) {
      await lockAssignment(tx);
      released = await releaseOperatorClients({
        tx,
        actor,
        operatorId: data.operatorId,
        reason: 'operator_disabled',
      });
    }
    if (current.role === 'admin' && current.isActive && (demotes || data.isActive === false)) {
      // The active admins, locked in one order: two admins demoting each other at once cannot
      // both pass (the second sees the first's change) nor deadlock.
      const admins = await tx
        .select({ id: operators.id })
        .from(operators)
        .where(and(eq(operators.role, 'admin'), eq(operators.isActive, true)))
        .orderBy(asc(operators.id))
        .for('update');
      if (!admins.some((a) => a.id !== data.operatorId)) {
        throw new AppError('conflict', 'The desk needs at least one active admin.');
      }
    }
    const [before] = await tx
      .select({
        name: operators.name,
        role: operators.role,
        isActive: operators.isActive,
        capacity: operators.capacity,
      })
      .from(operators)
      .where(eq(operators.id, data.operatorId))
      .for('update');
    if (!before) throw new AppError('not_found', 'Operator not found.');

    const beforeDepartments = (
      await tx
        .select({ id: operatorDepartments.departmentId })
        .from(operatorDepartments)
        .where(eq(operatorDepartments.operatorId, data.operatorId))
    ).map((r) => r.id);
    const added = departmentIds?.filter((d) => !beforeDepartments.includes(d)) ?? [];
    const removed = departmentIds ? beforeDepartments.filter((d) => !departmentIds.includes(d)) : [];
    if (added.length > 0) {
      const known = await tx
        .select({ id: departments.id })
        .from(departments)
        .where(inArray(departments.id, added));
      if (known.length !== added.length) throw new AppError('unprocessable_entity', 'Unknown department.');
      await tx
        .insert(operatorDepartments)
        .values(added.map((departmentId) => ({ operatorId: data.operatorId, departmentId })))
        .onConflictDoNothing();
    }
    if (removed.length > 0) {
      await tx
        .delete(operatorDepartments)
        .where(
          and(
            eq(operatorDepartments.operatorId, data.operatorId),
            inArray(operatorDepartments.departmentId, removed),
          ),
        );
    }

    const now = new Date();
    const [row] = await tx
      .update(operators)
      .set({
        ...(data.name !== undefined ? { name: data.name } : {}),
        ...(data.role !== undefined ? { role: data.role } : {}),
        ...(data.isActive !== undefined ? { isActive: data.isActive } : {}),
        ...(disabling ? { status: 'offline' as const, statusChangedAt: now } : {}),
        ...(data.capacity !== undefined ? { capacity: data.capacity } : {}),
        ...(passwordHash !== undefined ? { passwordHash } : {}),
        updatedAt: now,
      })
      .where(eq(operators.id, data.operatorId))
      .returning({
        id: operators.id,
        role: operators.role,
        isActive: operators.isActive,
        sessionVersion: operators.sessionVersion,
      });
    if (!row) throw new AppError('not_found', 'Operator not found.');

    const details: Record<string, unknown> = {};
    for (const key of ['name', 'role', 'isActive', 'capacity'] as const) {
      if (data[key] !== undefined && data[key] !== before[key])
        details[key] = { from: before[key], to: data[key] };
    }
    if (added.length > 0 || removed.length > 0) details.departmentIds = { added, removed };
    if (passwordHash !== undefined) details.passwordChanged = true;
    if (disabling) details.clientsReturnedToQueue = released.clientIds.length;
    await recordAudit(tx, actor, {
      action: 'operator.updated',
      targetType: 'operator',
      targetId: row.id,
      details,
    });

    const afterDepartments = departmentIds ?? beforeDepartments;
    const roomGrew =
      added.length > 0 ||
      (data.capacity !== undefined && data.capacity > before.capacity) ||
      (data.isActive === true && !before.isActive);
    const drainDepartmentIds = [
      ...new Set([...released.departmentIds, ...(roomGrew && row.isActive ? afterDepartments : [])]),
    ];
    return { ...row, drainDepartmentIds };
  });
}
