import { and, asc, eq, inArray } from 'drizzle-orm';
import type { DbOrTx } from '@/db/client';
import { operatorDepartments, operators } from '@/db/schema';
import type { Actor } from '@/lib/auth/actor';
import { requireStaff } from '@/lib/auth/permissions';

export type OperatorOption = {
  id: string;
  name: string;
  status: 'online' | 'away' | 'offline';
  departmentIds: string[];
};

/**
 * Active operators as choices for filters and assignment: all of them for admins, those of the
 * actor's departments for everyone else, with their departments (to offer only who can take a
 * client of a given department).
 */
export async function listOperatorOptions({
  db,
  actor,
}: {
  db: DbOrTx;
  actor: Actor;
}): Promise<OperatorOption[]> {
  const staff = requireStaff(actor);
  const rows = await db
    .select({
      id: operators.id,
      name: operators.name,
      status: operators.status,
      departmentId: operatorDepartments.departmentId,
    })
    .from(operators)
    .leftJoin(operatorDepartments, eq(operatorDepartments.operatorId, operators.id))
    .where(
      and(
        eq(operators.isActive, true),
        staff.role === 'admin'
          ? undefined
          : inArray(
              operatorDepartments.departmentId,
              staff.departmentIds.length > 0 ? staff.departmentIds : ['00000000-0000-0000-0000-000000000000'],
            ),
      ),
    )
    .orderBy(asc(operators.name));
  const byId = new Map<string, OperatorOption>();
  for (const row of rows) {
    const option = byId.get(row.id) ?? { id: row.id, name: row.name, status: row.status, departmentIds: [] };
    if (row.departmentId && !option.departmentIds.includes(row.departmentId))
      option.departmentIds.push(row.departmentId);
    byId.set(row.id, option);
  }
  return [...byId.values()];
}
