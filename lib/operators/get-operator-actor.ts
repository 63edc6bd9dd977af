import { eq } from 'drizzle-orm';
import type { DbOrTx } from '@/db/client';
import { operatorDepartments, operators } from '@/db/schema';
import type { OperatorActor, RequestContext } from '@/lib/auth/actor';

/**
 * Builds the actor for a signed-in operator from the database, not from the session token, so a
 * deactivated operator or a changed role takes effect on the next request.
 */
export async function getOperatorActor({
  db,
  operatorId,
  context,
}: {
  db: DbOrTx;
  operatorId: string;
  context?: RequestContext;
}): Promise<OperatorActor | null> {
  const rows = await db
    .select({
      id: operators.id,
      name: operators.name,
      role: operators.role,
      isActive: operators.isActive,
      departmentId: operatorDepartments.departmentId,
    })
    .from(operators)
    .leftJoin(operatorDepartments, eq(operatorDepartments.operatorId, operators.id))
    .where(eq(operators.id, operatorId));
  const first = rows[0];
  if (!first || !first.isActive) return null;
  return {
    kind: 'operator',
    operatorId: first.id,
    name: first.name,
    role: first.role,
    departmentIds: rows.flatMap((r) => (r.departmentId ? [r.departmentId] : [])),
    context,
  };
}
