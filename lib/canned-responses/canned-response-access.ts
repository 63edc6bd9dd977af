import { eq } from 'drizzle-orm';
import type { DbOrTx } from '@/db/client';
import { departments } from '@/db/schema';
import type { Actor, StaffActor } from '@/lib/auth/actor';
import { requireRole } from '@/lib/auth/permissions';
import { AppError } from '@/lib/errors';

/**
 * Who manages a department's canned responses: admins for every department, supervisors for
 * their own; operators only use them. Returns the acting staff member. Errors: `not_found` (no
 * such department), `forbidden`.
 */
export async function requireCannedResponseManager(
  db: DbOrTx,
  actor: Actor,
  departmentId: string,
): Promise<StaffActor> {
  const staff = requireRole(actor, ['admin', 'supervisor']);
  const [department] = await db
    .select({ id: departments.id })
    .from(departments)
    .where(eq(departments.id, departmentId));
  if (!department) throw new AppError('not_found', 'Department not found.');
  if (staff.role !== 'admin' && !staff.departmentIds.includes(departmentId)) {
    throw new AppError('forbidden', 'You manage the canned responses of your own departments only.');
  }
  return staff;
}
