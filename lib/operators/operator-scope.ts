import { eq, inArray, or, sql, type SQL } from 'drizzle-orm';
import { operatorDepartments, operators } from '@/db/schema';
import type { StaffActor } from '@/lib/auth/actor';

/**
 * Which operators an actor may see, as a SQL condition on `operators` (undefined: all). Admins
 * see everyone. Everyone else sees the members of their departments — supervisors the people
 * they supervise, operators their colleagues (who is online and how loaded, before handing a
 * client over) — and a signed-in person always sees themself. Tokens see their departments'
 * members. Seeing is not changing: see the domain functions for who may change what.
 */
export function operatorScopeWhere(actor: StaffActor): SQL | undefined {
  if (actor.role === 'admin') return undefined;
  const colleagues =
    actor.departmentIds.length > 0
      ? sql`exists (select 1 from ${operatorDepartments}
          where ${operatorDepartments.operatorId} = ${operators.id}
            and ${inArray(operatorDepartments.departmentId, actor.departmentIds)})`
      : sql`false`;
  return actor.kind === 'operator' ? or(eq(operators.id, actor.operatorId), colleagues) : colleagues;
}
