import { inArray } from 'drizzle-orm';
import { z } from 'zod';
import type { Db } from '@/db/client';
import { departments, operatorDepartments, operatorRole, operators, operatorStatus } from '@/db/schema';
import { recordAudit } from '@/lib/audit/record-audit';
import type { Actor } from '@/lib/auth/actor';
import { hashPassword } from '@/lib/auth/password';
import { requireRole } from '@/lib/auth/permissions';
import { AppError } from '@/lib/errors';
import { operatorCapacitySchema, operatorNameSchema, operatorPasswordSchema } from './update-operator';

/** Capacity of an operator created with neither a capacity nor a department. */
const FALLBACK_CAPACITY = 10;

export const createOperatorInput = z.object({
  email: z.string().trim().toLowerCase().email().max(320),
  name: operatorNameSchema,
  /**
   * Omitted: no password — they sign in through Telegram only (an invite links their account,
   * then /login or the Login Widget), and nobody ever knew a password that could leak.
   */
  password: operatorPasswordSchema.optional(),
  role: z.enum(operatorRole.enumValues).default('operator'),
  status: z.enum(operatorStatus.enumValues).default('offline'),
  /** Omitted: the smallest default capacity of their departments (10 without any). */
  capacity: operatorCapacitySchema.optional(),
  departmentIds: z.array(z.uuid()).max(100).default([]),
});

export type CreatedOperator = { id: string; email: string; name: string; role: string };

/**
 * Admins create operators (the system actor too, for seeding and the first admin). Without a
 * capacity of their own, an operator gets their departments' default capacity — the smallest,
 * when they join several: a newcomer is better under-loaded than over. Without a password they
 * can sign in only through Telegram. Errors: `forbidden`,
 * `conflict` (the email is taken), `unprocessable_entity` (an unknown department), ZodError.
 */
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
  const departmentIds = [...new Set(data.departmentIds)];
  const passwordHash = data.password === undefined ? null : await hashPassword(data.password);
  return db.transaction(async (tx) => {
    let capacity = data.capacity ?? FALLBACK_CAPACITY;
    if (departmentIds.length > 0) {
      const known = await tx
        .select({ id: departments.id, defaultCapacity: departments.defaultCapacity })
        .from(departments)
        .where(inArray(departments.id, departmentIds));
      if (known.length !== departmentIds.length)
        throw new AppError('unprocessable_entity', 'Unknown department.');
      capacity = data.capacity ?? Math.min(...known.map((d) => d.defaultCapacity));
    }
    const [row] = await tx
      .insert(operators)
      .values({
        email: data.email,
        name: data.name,
        passwordHash,
        role: data.role,
        status: data.status,
        capacity,
      })
      .onConflictDoNothing()
      .returning({ id: operators.id, email: operators.email, name: operators.name, role: operators.role });
    if (!row) throw new AppError('conflict', `An operator with email ${data.email} already exists.`);
    if (departmentIds.length > 0) {
      await tx
        .insert(operatorDepartments)
        .values(departmentIds.map((departmentId) => ({ operatorId: row.id, departmentId })));
    }
    await recordAudit(tx, actor, {
      action: 'operator.created',
      targetType: 'operator',
      targetId: row.id,
      details: { email: row.email, role: row.role, capacity, departmentIds, password: passwordHash !== null },
    });
    return row;
  });
}
