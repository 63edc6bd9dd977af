import { and, eq, ne, sql } from 'drizzle-orm';
import type { DbOrTx } from '@/db/client';
import { departments } from '@/db/schema';
import { recordAudit } from '@/lib/audit/record-audit';
import type { Actor } from '@/lib/auth/actor';

// One key for pg_advisory_xact_lock: moves of the default flag are serialised, so two admins
// making two departments the default at once end with the later one as the default, never with
// a unique-index error (departments_default_key) or with none.
const DEFAULT_FLAG_LOCK_KEY = 727_002;

/**
 * Clears the default flag of every department but `departmentId`, in the caller's transaction
 * (which then sets it on `departmentId`), and records the change of the former default. Takes
 * the default-flag lock until the transaction ends.
 */
export async function takeDefaultFlag(tx: DbOrTx, actor: Actor, departmentId: string): Promise<void> {
  await tx.execute(sql`select pg_advisory_xact_lock(${DEFAULT_FLAG_LOCK_KEY})`);
  const cleared = await tx
    .update(departments)
    .set({ isDefault: false, updatedAt: new Date() })
    .where(and(eq(departments.isDefault, true), ne(departments.id, departmentId)))
    .returning({ id: departments.id });
  for (const former of cleared) {
    await recordAudit(tx, actor, {
      action: 'department.updated',
      targetType: 'department',
      targetId: former.id,
      details: { isDefault: { from: true, to: false }, newDefaultId: departmentId },
    });
  }
}
