import { z } from 'zod';
import type { Db } from '@/db/client';
import { departments } from '@/db/schema';
import { recordAudit } from '@/lib/audit/record-audit';
import type { Actor } from '@/lib/auth/actor';
import { requireRole } from '@/lib/auth/permissions';
import { AppError } from '@/lib/errors';

const localised = z.record(z.string().min(2).max(10), z.string().min(1).max(4000));

export const createDepartmentInput = z.object({
  name: z.string().trim().min(1).max(100),
  description: z.string().trim().max(1000).optional(),
  isDefault: z.boolean().default(false),
  defaultCapacity: z.number().int().min(1).max(500).default(10),
  responseTimeLimitSec: z.number().int().min(30).max(86_400).default(300),
  autoReplyQueued: localised.optional(),
  greeting: localised.optional(),
  sortOrder: z.number().int().default(0),
});

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
  return db.transaction(async (tx) => {
    if (data.isDefault) {
      // Only one default department: the new one takes over.
      await tx.update(departments).set({ isDefault: false });
    }
    const [row] = await tx
      .insert(departments)
      .values(data)
      .onConflictDoNothing()
      .returning({ id: departments.id, name: departments.name });
    if (!row) throw new AppError('conflict', `A department named ${data.name} already exists.`);
    await recordAudit(tx, actor, {
      action: 'department.created',
      targetType: 'department',
      targetId: row.id,
      details: { name: row.name },
    });
    return row;
  });
}
