import { and, eq, inArray, or, sql, type SQL } from 'drizzle-orm';
import type { DbOrTx } from '@/db/client';
import { operatorDepartments, operatorLogs } from '@/db/schema';
import type { StaffActor } from '@/lib/auth/actor';

/**
 * Which audit rows an actor may see, as a SQL condition on `operator_logs` (undefined: all).
 *
 * - admins: every row;
 * - supervisors: their own actions, the rows about their departments — rows whose
 *   `department_id` (the department of the target client, message or department when the row
 *   was written, see migration 0009) is one of theirs — and the rows about the operators who
 *   are members of their departments now (sign-ins, status changes, changes by admins);
 * - operators: their own actions only.
 *
 * "Own" is the signed-in person's operator id, or for a token its token id. Each branch is one
 * indexed condition (operator id, department id, target id), so the list can combine them with
 * a bitmap instead of reading the table. The members are read first (a few rows), which is why
 * this is async.
 */
export async function operatorLogScopeWhere(db: DbOrTx, actor: StaffActor): Promise<SQL | undefined> {
  if (actor.role === 'admin') return undefined;
  const own =
    actor.kind === 'operator'
      ? eq(operatorLogs.operatorId, actor.operatorId)
      : eq(operatorLogs.apiTokenId, actor.tokenId);
  if (actor.role === 'operator' || actor.departmentIds.length === 0) return own;
  const members = await db
    .selectDistinct({ id: operatorDepartments.operatorId })
    .from(operatorDepartments)
    .where(inArray(operatorDepartments.departmentId, actor.departmentIds));
  return or(
    own,
    inArray(operatorLogs.departmentId, actor.departmentIds),
    members.length > 0
      ? and(
          eq(operatorLogs.targetType, 'operator'),
          inArray(
            operatorLogs.targetId,
            members.map((m) => m.id),
          ),
        )
      : sql`false`,
  );
}
