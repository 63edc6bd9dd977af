import { z } from 'zod';
import type { Db } from '@/db/client';
import { operatorDepartments, operatorRole, operators, operatorStatus } from '@/db/schema';
import { recordAudit } from '@/lib/audit/record-audit';
import type { Actor } from '@/lib/auth/actor';
import { hashPassword } from '@/lib/auth/password';
import { requireRole } from '@/lib/auth/permissions';
import { AppError } from '@/lib/errors';

export const createOperatorInput = z.object({
  email: z.string().trim().toLowerCase().email().max(320),
  name: z.string().trim().min(1).max(200),
  password: z.string().min(8, 'Passwords need at least 8 characters.').max(200),
  role: z.enum(operatorRole.enumValues).default('operator'),
  status: z.enum(operatorStatus.enumValues).default('offline'),
  capacity: z.number().int().min(1).max(500).default(10),
  departmentIds: z.array(z.uuid()).default([]),
});

export type CreatedOperator = { id: string; email: string; name: string; role: string };

/** Admins create operators (the system actor too, for seeding and the first admin). */
export async function createOperator({
  db,
  actor,
  input,
}: {
  db: Db;
  actor: Actor;
  input: z.input<typeof createOperatorInput>;
}): Promise<CreatedOperator> {
  if (actor.kind !== 'system') requireRole(actor, ['admin']);
  const data = createOperatorInput.parse(input);
  const passwordHash = await hashPassword(data.password);
  return db.transaction(async (tx) => {
    const [row] = await tx
      .insert(operators)
      .values({
        email: data.email,
        name: data.name,
        passwordHash,
        role: data.role,
        status: data.status,
        capacity: data.capacity,
      })
      .onConflictDoNothing()
      .returning({ id: operators.id, email: operators.email, name: operators.name, role: operators.role });
    if (!row) throw new AppError('conflict', `An operator with email ${data.email} already exists.`);
    if (data.departmentIds.length > 0) {
      await tx
        .insert(operatorDepartments)
        .values(data.departmentIds.map((departmentId) => ({ operatorId: row.id, departmentId })));
    }
    await recordAudit(tx, actor, {
      action: 'operator.created',
      targetType: 'operator',
      targetId: row.id,
      details: { email: row.email, role: row.role, departmentIds: data.departmentIds },
    });
    return row;
  });
}
