import { eq } from 'drizzle-orm';
import { z } from 'zod';
import type { Db } from '@/db/client';
import { departments } from '@/db/schema';
import { recordAudit } from '@/lib/audit/record-audit';
import type { Actor } from '@/lib/auth/actor';
import { requireRole } from '@/lib/auth/permissions';
import { AppError } from '@/lib/errors';
import {
  defaultCapacitySchema,
  departmentDescriptionSchema,
  departmentNameSchema,
  localisedTextsSchema,
  responseTimeLimitSchema,
  idleMinutesSchema,
  idleOrder,
  sortOrderSchema,
  workingHoursSchema,
} from './department-fields';
import { takeDefaultFlag } from './take-default-flag';

export const createDepartmentInput = z
  .object({
    name: departmentNameSchema,
    description: departmentDescriptionSchema.nullable().optional(),
    isDefault: z.boolean().default(false),
    isActive: z.boolean().default(true),
    sortOrder: sortOrderSchema.default(0),
    defaultCapacity: defaultCapacitySchema.default(10),
    responseTimeLimitSec: responseTimeLimitSchema.default(300),
    awayAfterMinutes: idleMinutesSchema.default(15),
    offlineAfterMinutes: idleMinutesSchema.default(60),
    /** Null: always open. */
    workingHours: workingHoursSchema.nullable().optional(),
    greeting: localisedTextsSchema.nullable().optional(),
    autoReplyQueued: localisedTextsSchema.nullable().optional(),
    autoReplyOffHours: localisedTextsSchema.nullable().optional(),
  })
  .strict()
  .refine(idleOrder.check, idleOrder.message);

/**
 * Admins (and scripts, as the system actor) create a department. `isDefault` moves the default
 * flag to it in the same transaction (new clients then start there); a default department must
 * be active. Errors: `forbidden`, `conflict` (the name is taken, case-insensitively),
 * `unprocessable_entity` (an inactive default), ZodError for bad input.
 */
export async function createDepartment({
  db,
  actor,
  input,
}: {
  db: Db;
  actor: Actor;
  input: z.input<typeof createDepartmentInput>;
}): Promise<{ id: string; name: string }> {
  if (actor.kind !== 'system') requireRole(actor, ['admin']);
  const data = createDepartmentInput.parse(input);
  if (data.isDefault && !data.isActive) {
    throw new AppError('unprocessable_entity', 'The default department must be active.');
  }
  return db.transaction(async (tx) => {
    const [row] = await tx
      .insert(departments)
      .values({
        ...data,
        isDefault: false, // taken below, once the former default let go of it
        description: data.description ?? null,
        workingHours: data.workingHours ?? null,
        greeting: data.greeting ?? null,
        autoReplyQueued: data.autoReplyQueued ?? null,
        autoReplyOffHours: data.autoReplyOffHours ?? null,
      })
      .onConflictDoNothing()
      .returning({ id: departments.id, name: departments.name });
    if (!row) throw new AppError('conflict', `A department named ${data.name} already exists.`);
    if (data.isDefault) {
      await takeDefaultFlag(tx, actor, row.id);
      await tx.update(departments).set({ isDefault: true }).where(eq(departments.id, row.id));
    }
    await recordAudit(tx, actor, {
      action: 'department.created',
      targetType: 'department',
      targetId: row.id,
      details: { name: row.name, isDefault: data.isDefault, isActive: data.isActive },
    });
    return row;
  });
}
