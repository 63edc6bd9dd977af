import { and, eq, inArray, isNull, sql, type SQL } from 'drizzle-orm';
import { conversations } from '@/db/schema';
import type { StaffActor } from '@/lib/auth/actor';

/**
 * Which support episodes an actor may see, as a SQL condition on `conversations` (undefined:
 * all). Each branch is one indexed condition on the episode itself, so lists and their counts
 * never read the whole table:
 *
 * - admins: every episode;
 * - supervisors (and their tokens): the episodes of their departments — an open episode moves
 *   with its client on a transfer, a closed one stays with the department that handled it, so a
 *   department's history and figures do not change when a client later moves on;
 * - operators: the episodes they were the operator of — the open episode of each client they
 *   have now, and every episode they handled, also of clients since given to someone else
 *   (their own response times and ratings are theirs to see). Earlier episodes of their clients
 *   that colleagues handled are not theirs (the client's messages show that history);
 * - operator tokens, which act for nobody: their departments' episodes that no operator had
 *   (the queue's).
 *
 * These are the episode rows only: a client and its messages follow the client's own rule.
 */
export function conversationScopeWhere(actor: StaffActor): SQL | undefined {
  if (actor.role === 'admin') return undefined;
  const inDepartments =
    actor.departmentIds.length > 0 ? inArray(conversations.departmentId, actor.departmentIds) : sql`false`;
  if (actor.role === 'supervisor') return inDepartments;
  if (actor.kind === 'operator') return eq(conversations.operatorId, actor.operatorId);
  return and(inDepartments, isNull(conversations.operatorId));
}
