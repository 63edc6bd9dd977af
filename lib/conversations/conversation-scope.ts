import { eq, inArray, or, sql, type SQL } from 'drizzle-orm';
import { conversations } from '@/db/schema';
import type { StaffActor } from '@/lib/auth/actor';
import { clientScopeWhere } from '@/lib/auth/permissions';

/**
 * Which support episodes an actor may see, as a SQL condition over `conversations` joined to
 * its `clients` row (undefined: all). An episode is seen with its client — admins all,
 * supervisors their departments' clients, operators their own clients and their departments'
 * queue (clientScopeWhere) — and also by whoever did the work: a supervisor sees the episodes
 * handled in their departments (a department's history stays when a client moves on), an
 * operator the episodes they handled (their own response times and ratings) even after the
 * client went to someone else. Those are the episode rows only: the client and its messages
 * follow the client's own rule.
 */
export function conversationScopeWhere(actor: StaffActor): SQL | undefined {
  if (actor.role === 'admin') return undefined;
  const ofVisibleClient = clientScopeWhere(actor);
  if (actor.role === 'supervisor') {
    const handledHere =
      actor.departmentIds.length > 0 ? inArray(conversations.departmentId, actor.departmentIds) : sql`false`;
    return or(handledHere, ofVisibleClient);
  }
  if (actor.kind === 'operator') return or(eq(conversations.operatorId, actor.operatorId), ofVisibleClient);
  return ofVisibleClient;
}
