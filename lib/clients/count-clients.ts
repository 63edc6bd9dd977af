import { and, inArray, sql } from 'drizzle-orm';
import type { DbOrTx } from '@/db/client';
import { clients } from '@/db/schema';
import type { Actor } from '@/lib/auth/actor';
import { clientScopeWhere, requireStaff } from '@/lib/auth/permissions';
import { ACTIVE_CLIENT_STATUSES } from './client-status';

export type ClientCounts = {
  /** Open clients assigned to the actor (operators; 0 for tokens). */
  mine: number;
  /** Clients waiting in the queues the actor sees. */
  queue: number;
  /** Unread messages that are the actor's to read: their own clients' and their queue's. */
  unread: number;
};

/**
 * The counts beside the dashboard's navigation, in one statement over the open clients the
 * actor sees: my clients, the queue, and the unread messages to read — an operator's own and
 * their queue's; for supervisors and admins, every unread message they oversee.
 */
export async function countClients({ db, actor }: { db: DbOrTx; actor: Actor }): Promise<ClientCounts> {
  const staff = requireStaff(actor);
  const me = staff.kind === 'operator' ? staff.operatorId : null;
  const mine = me ? sql`${clients.assignedOperatorId} = ${me}` : sql`false`;
  const queued = sql`${clients.assignedOperatorId} is null and ${clients.queuedAt} is not null`;
  const unreadScope = staff.role === 'operator' ? sql`(${mine} or ${queued})` : sql`true`;
  const [row] = await db
    .select({
      mine: sql<number>`count(*) filter (where ${mine})`,
      queue: sql<number>`count(*) filter (where ${queued})`,
      unread: sql<number>`coalesce(sum(${clients.unreadCount}) filter (where ${unreadScope}), 0)`,
    })
    .from(clients)
    .where(and(clientScopeWhere(staff), inArray(clients.status, [...ACTIVE_CLIENT_STATUSES])));
  return { mine: Number(row?.mine ?? 0), queue: Number(row?.queue ?? 0), unread: Number(row?.unread ?? 0) };
}
