import { and, eq, ne, sql } from 'drizzle-orm';
import { z } from 'zod';
import type { DbOrTx } from '@/db/client';
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
  idleMinutesSchema,
  idleOrder,
  responseTimeLimitSchema,
  sortOrderSchema,
  workingHoursSchema,
} from './department-fields';
import { getDepartmentOrThrow } from './get-department-or-throw';
import { takeDefaultFlag } from './take-default-flag';

export const updateDepartmentInput = z
  .object({
    departmentId: z.uuid(),
    name: departmentNameSchema.optional(),
    description: departmentDescriptionSchema.nullable().optional(),
    isDefault: z.boolean().optional(),
    isActive: z.boolean().optional(),
    sortOrder: sortOrderSchema.optional(),
    defaultCapacity: defaultCapacitySchema.optional(),
    responseTimeLimitSec: responseTimeLimitSchema.optional(),
    awayAfterMinutes: idleMinutesSchema.optional(),
    offlineAfterMinutes: idleMinutesSchema.optional(),
    workingHours: workingHoursSchema.nullable().optional(),
    greeting: localisedTextsSchema.nullable().optional(),
    autoReplyQueued: localisedTextsSchema.nullable().optional(),
    autoReplyOffHours: localisedTextsSchema.nullable().optional(),
  })
  .strict();

type Changes = Omit<z.output<typeof updateDepartmentInput>, 'departmentId'>;
const TEXT_FIELDS = [
  'greeting',
  'autoReplyQueued',
  'autoReplyOffHours',
  'workingHours',
  'description',
] as const;

/**
 * Admins change a department's settings. Only the fields given change. The default flag moves,
 * never disappears: `isDefault: true` takes it from the former default in the same transaction,
 * Away must come before offline (`unprocessable_entity` otherwise).
 * `isDefault: false` on the default is refused (make another department the default instead),
 * and the default must stay active. `isActive: false` is deactivateDepartment's rule. One audit
 * row with every changed field (`{ from, to }`; texts and hours: just that they changed).
 * Errors: `forbidden` (not an admin), `not_found`, `conflict` (name taken, or a rule of the
 * default flag), ZodError for bad input.
 */
export async function updateDepartment({
  db,
  actor,
  input,
}: {
  db: DbOrTx;
  actor: Actor;
  input: z.input<typeof updateDepartmentInput>;
}): Promise<{ id: string; changed: string[] }> {
  const { departmentId, ...changes } = updateDepartmentInput.parse(input);
  if (actor.kind !== 'system') {
    // Every department is visible to staff: an unknown one is 404, a known one 403 for non-admins.
    await getDepartmentOrThrow({ db, actor, departmentId });
    requireRole(actor, ['admin']);
  }
  return db.transaction(async (tx) => {
    if (changes.isDefault === true) await takeDefaultFlag(tx, actor, departmentId);
    const [before] = await tx
      .select()
      .from(departments)
      .where(eq(departments.id, departmentId))
      .for('update');
    if (!before) throw new AppError('not_found', 'Department not found.');
    const willBeDefault = changes.isDefault ?? before.isDefault;
    const willBeActive = changes.isActive ?? before.isActive;
    if (before.isDefault && changes.isDefault === false) {
      throw new AppError(
        'conflict',
        'The default department stays the default until another department is made the default.',
      );
    }
    if (willBeDefault && !willBeActive) {
      throw new AppError(
        'conflict',
        'The default department cannot be deactivated; make another department the default first.',
      );
    }
    const idle = {
      awayAfterMinutes:
        changes.awayAfterMinutes === undefined ? before.awayAfterMinutes : changes.awayAfterMinutes,
      offlineAfterMinutes:
        changes.offlineAfterMinutes === undefined ? before.offlineAfterMinutes : changes.offlineAfterMinutes,
    };
    if (!idleOrder.check(idle)) throw new AppError('unprocessable_entity', idleOrder.message.message);
    if (changes.name !== undefined) {
      const [taken] = await tx
        .select({ id: departments.id })
        .from(departments)
        .where(
          and(sql`lower(${departments.name}) = lower(${changes.name})`, ne(departments.id, departmentId)),
        );
      if (taken) throw new AppError('conflict', `A department named ${changes.name} already exists.`);
    }
    const details = describeChanges(before, changes);
    if (Object.keys(details).length > 0) {
      await tx
        .update(departments)
        .set({ ...changes, updatedAt: new Date() })
        .where(eq(departments.id, departmentId));
      await recordAudit(tx, actor, {
        action:
          changes.isActive === false && before.isActive ? 'department.deactivated' : 'department.updated',
        targetType: 'department',
        targetId: departmentId,
        details,
      });
    }
    return { id: departmentId, changed: Object.keys(details) };
  });
}

/** The audit details of a change: the fields whose value differs, with `{ from, to }` for scalars. */
function describeChanges(before: typeof departments.$inferSelect, changes: Changes) {
  const details: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(changes) as [keyof Changes, unknown][]) {
    if (value === undefined) continue;
    const previous: unknown = before[key];
    if (JSON.stringify(previous ?? null) === JSON.stringify(value ?? null)) continue;
    details[key] = (TEXT_FIELDS as readonly string[]).includes(key)
      ? { changed: true }
      : { from: previous, to: value };
  }
  return details;
}
