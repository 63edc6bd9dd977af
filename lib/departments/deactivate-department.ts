import { z } from 'zod';
import type { DbOrTx } from '@/db/client';
import type { Actor } from '@/lib/auth/actor';
import { updateDepartment } from './update-department';

export const deactivateDepartmentInput = z.object({ departmentId: z.uuid() }).strict();

/**
 * Admins deactivate a department: it takes no new clients from then on — it leaves the /start
 * menu, transfers to it are refused, and a client of it who comes back after a resolution
 * starts the new episode in the default department (receiveClientMessage). Clients it has now
 * stay where they are: their operators finish with them, its queue still drains to its
 * operators, and supervisors may transfer them. The default department cannot be deactivated.
 * Deactivating an inactive department changes nothing (and records nothing). Audit:
 * `department.deactivated`. Errors: `forbidden`, `not_found`, `conflict` (the default).
 */
export async function deactivateDepartment({
  db,
  actor,
  input,
}: {
  db: DbOrTx;
  actor: Actor;
  input: z.input<typeof deactivateDepartmentInput>;
}): Promise<{ id: string; changed: string[] }> {
  const { departmentId } = deactivateDepartmentInput.parse(input);
  return updateDepartment({ db, actor, input: { departmentId, isActive: false } });
}
