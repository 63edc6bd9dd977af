import { eq } from 'drizzle-orm';
import type { DbOrTx } from '@/db/client';
import { operatorDepartments, operators } from '@/db/schema';
import type { OperatorActor, RequestContext } from '@/lib/auth/actor';

/**
 * Builds the actor for a signed-in operator from the database, not from the session token, so a
 * deactivated operator or a changed role takes effect on the next request. With
 * `sessionVersion` (the number signed into the session token) it is also the revocation check:
 * null unless the operator's current session_version is that number — one indexed read serves
 * both. Null for an unknown or inactive operator.
 */
export async function getOperatorActor({
  db,
  operatorId,
  sessionVersion,
  context,
}: {
  db: DbOrTx;
  operatorId: string;
  sessionVersion?: number;
  context?: RequestContext;
}): Promise<OperatorActor | null> {
  const rows = await db
    .select({
      id: operators.id,
      name: operators.name,
      role: operators.role,
      isActive: operators.isActive,
      sessionVersion: operators.sessionVersion,
      departmentId: operatorDepartments.departmentId,
    })
    .from(operators)
    .leftJoin(operatorDepartments, eq(operatorDepartments.operatorId, operators.id))
    .where(eq(operators.id, operatorId));
  const first = rows[0];
  if (!first || !first.isActive) return null;
  if (sessionVersion !== undefined && first.sessionVersion !== sessionVersion) return null;
  return {
    kind: 'operator',
    operatorId: first.id,
    name: first.name,
    role: first.role,
    departmentIds: rows.flatMap((r) => (r.departmentId ? [r.departmentId] : [])),
    context,
  };
}
