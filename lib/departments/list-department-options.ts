import { asc, eq } from 'drizzle-orm';
import type { DbOrTx } from '@/db/client';
import { departments } from '@/db/schema';
import type { Actor } from '@/lib/auth/actor';
import { requireStaff } from '@/lib/auth/permissions';

export type DepartmentOption = { id: string; name: string };

/**
 * Active departments as choices for filters and transfers (every staff member may name them:
 * transferring a client to another department is part of the job), in their display order.
 */
export async function listDepartmentOptions({
  db,
  actor,
}: {
  db: DbOrTx;
  actor: Actor;
}): Promise<DepartmentOption[]> {
  requireStaff(actor);
  return db
    .select({ id: departments.id, name: departments.name })
    .from(departments)
    .where(eq(departments.isActive, true))
    .orderBy(asc(departments.sortOrder), asc(departments.name));
}
