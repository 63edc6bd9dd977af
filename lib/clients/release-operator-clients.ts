import { and, asc, eq, inArray } from 'drizzle-orm';
import type { DbOrTx } from '@/db/client';
import { clients } from '@/db/schema';
import { recordAudit } from '@/lib/audit/record-audit';
import type { Actor } from '@/lib/auth/actor';
import { notifyDesk } from '@/lib/events/notify-desk';
import { ACTIVE_CLIENT_STATUSES } from './client-status';

export type ReleasedClients = {
  clientIds: string[];
  /** The departments whose queues the clients entered (drain them after commit). */
  departmentIds: string[];
};

/**
 * Returns every open client (new, in progress, waiting) of an operator who is leaving the desk
 * to its department's queue, oldest assignment first, as the `client.returned_to_queue`
 * transition does for one client — each with its audit row (`reason`) and live-view event. The
 * caller holds the assignment lock, so no automatic assignment hands the operator a client
 * meanwhile, and drains the departments' queues after commit. Blocked clients keep their
 * operator (nothing can be sent to them; a supervisor reassigns them if they come back).
 */
export async function releaseOperatorClients({
  tx,
  actor,
  operatorId,
  reason,
}: {
  tx: DbOrTx;
  actor: Actor;
  operatorId: string;
  reason: string;
}): Promise<ReleasedClients> {
  const held = await tx
    .select({ id: clients.id, departmentId: clients.departmentId })
    .from(clients)
    .where(
      and(eq(clients.assignedOperatorId, operatorId), inArray(clients.status, [...ACTIVE_CLIENT_STATUSES])),
    )
    .orderBy(asc(clients.assignedAt), asc(clients.id))
    .for('update');
  if (held.length === 0) return { clientIds: [], departmentIds: [] };
  const now = new Date();
  await tx
    .update(clients)
    .set({ assignedOperatorId: null, assignedAt: null, queuedAt: now, updatedAt: now })
    .where(
      inArray(
        clients.id,
        held.map((c) => c.id),
      ),
    );
  for (const client of held) {
    await recordAudit(tx, actor, {
      action: 'client.returned_to_queue',
      targetType: 'client',
      targetId: client.id,
      details: { operatorId: null, previousOperatorId: operatorId, automatic: true, reason },
    });
    await notifyDesk(tx, {
      type: 'client.updated',
      clientId: client.id,
      departmentId: client.departmentId,
      operatorId: null,
    });
  }
  return {
    clientIds: held.map((c) => c.id),
    departmentIds: [...new Set(held.flatMap((c) => (c.departmentId ? [c.departmentId] : [])))],
  };
}
