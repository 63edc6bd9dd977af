import { eq } from 'drizzle-orm';
import { z } from 'zod';
import type { DbOrTx } from '@/db/client';
import { operatorRole, operators } from '@/db/schema';
import { recordAudit } from '@/lib/audit/record-audit';
import type { Actor } from '@/lib/auth/actor';
import { hashPassword } from '@/lib/auth/password';
import { requireRole } from '@/lib/auth/permissions';
import { AppError } from '@/lib/errors';

export const updateOperatorInput = z
  .object({
    operatorId: z.uuid(),
    role: z.enum(operatorRole.enumValues).optional(),
    isActive: z.boolean().optional(),
    password: z.string().min(8, 'Passwords need at least 8 characters.').max(200).optional(),
  })
  .refine((v) => v.role !== undefined || v.isActive !== undefined || v.password !== undefined, {
    message: 'Nothing to change.',
  });

export type UpdatedOperator = { id: string; role: string; isActive: boolean; sessionVersion: number };

/**
 * Admins change an operator's role, enable or disable them, or set a new password. Any of these
 * ends the operator's existing sessions: the operators trigger of migration 0005 raises their
 * session_version in the same UPDATE. Admins cannot demote or disable themselves (the desk must
 * keep an admin). Errors: `forbidden` (not an admin), `not_found`, `conflict` (own account),
 * ZodError for bad input.
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
  if (actor.kind !== 'system') requireRole(actor, ['admin']);
  const data = updateOperatorInput.parse(input);
  const self = actor.kind === 'operator' && actor.operatorId === data.operatorId;
  if (self && ((data.role !== undefined && data.role !== 'admin') || data.isActive === false)) {
    throw new AppError('conflict', 'You cannot demote or disable your own account.');
  }
  const passwordHash = data.password === undefined ? undefined : await hashPassword(data.password);
  return db.transaction(async (tx) => {
    const [before] = await tx
      .select({ role: operators.role, isActive: operators.isActive })
      .from(operators)
      .where(eq(operators.id, data.operatorId))
      .for('update');
    if (!before) throw new AppError('not_found', 'Operator not found.');
    const [row] = await tx
      .update(operators)
      .set({
        ...(data.role !== undefined ? { role: data.role } : {}),
        ...(data.isActive !== undefined ? { isActive: data.isActive } : {}),
        ...(passwordHash !== undefined ? { passwordHash } : {}),
        updatedAt: new Date(),
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
    if (data.role !== undefined && data.role !== before.role)
      details.role = { from: before.role, to: data.role };
    if (data.isActive !== undefined && data.isActive !== before.isActive) {
      details.isActive = { from: before.isActive, to: data.isActive };
    }
    if (passwordHash !== undefined) details.passwordChanged = true;
    await recordAudit(tx, actor, {
      action: 'operator.updated',
      targetType: 'operator',
      targetId: row.id,
      details,
    });
    return row;
  });
}
