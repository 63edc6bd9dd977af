import { and, asc, inArray, isNotNull, isNull } from 'drizzle-orm';
import type { DbOrTx } from '@/db/client';
import { clients } from '@/db/schema';
import type { Actor } from '@/lib/auth/actor';
import { ACTIVE_CLIENT_STATUSES } from './client-status';
import { claimOperator, lockAssignment } from './pick-operator';

/**
 * Assigns queued clients of the given departments, oldest first, while someone can take them.
 * Called when an operator comes online or gains capacity. Returns how many were assigned.
 */
export async function drainQueue({
  tx,
  actor,
  departmentIds,
  limit = 200,
}: {
  tx: DbOrTx;
  actor: Actor;
  departmentIds: string[];
  limit?: number;
}): Promise<number> {
  if (departmentIds.length === 0) return 0;
  await lockAssignment(tx);
  const open = new Set(departmentIds);
  let assigned = 0;
  while (open.size > 0 && assigned < limit) {
    const [next] = await tx
      .select({ id: clients.id, departmentId: clients.departmentId })
      .from(clients)
      .where(
        and(
          inArray(clients.departmentId, [...open]),
          isNull(clients.assignedOperatorId),
          isNotNull(clients.queuedAt),
          inArray(clients.status, [...ACTIVE_CLIENT_STATUSES]),
        ),
      )
      .orderBy(asc(clients.queuedAt), asc(clients.id))
      .limit(1)
      // A queued client whose message is being stored right now is locked by that transaction,
      // which assigns it itself once it gets the assignment lock held here: skip it rather than
      // wait for it (it waits for us: a deadlock).
      .for('update', { skipLocked: true });
    if (!next?.departmentId) break;
    const claim = await claimOperator(tx, actor, next.id, next.departmentId);
    if (claim) assigned += 1;
    else open.delete(next.departmentId);
  }
  return assigned;
}
