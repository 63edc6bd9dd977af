import { and, eq, isNull } from 'drizzle-orm';
import type { DbOrTx } from '@/db/client';
import { clients } from '@/db/schema';
import type { Actor } from '@/lib/auth/actor';
import { claimOperator, lockAssignment } from './pick-operator';

export type AssignResult = {
  operatorId: string | null;
  queued: boolean;
  /** True the first time this client enters the queue (so the auto-reply is sent once). */
  newlyQueued: boolean;
  /** The chosen operator has linked Telegram (and is notified there). */
  operatorInTelegram: boolean;
};

async function enqueue(tx: DbOrTx, clientId: string, now: Date): Promise<AssignResult> {
  const rows = await tx
    .update(clients)
    .set({ queuedAt: now, updatedAt: now })
    .where(and(eq(clients.id, clientId), isNull(clients.queuedAt), isNull(clients.assignedOperatorId)))
    .returning({ id: clients.id });
  return { operatorId: null, queued: true, newlyQueued: rows.length > 0, operatorInTelegram: false };
}

/**
 * Assigns an unassigned client to the best operator of its department, or puts it in the
 * department queue. Runs in the caller's transaction; safe under concurrent arrivals.
 */
export async function assignClient({
  tx,
  actor,
  clientId,
  departmentId,
}: {
  tx: DbOrTx;
  actor: Actor;
  clientId: string;
  departmentId: string | null;
}): Promise<AssignResult> {
  const now = new Date();
  if (!departmentId) return enqueue(tx, clientId, now);
  // Sent together (pipelined): the claim statement queues behind the lock on the same
  // connection and starts — taking its snapshot — only once the lock is held, so holders wait
  // on Postgres alone, not on a round trip through this process between the two. The claim
  // also writes the `client.assigned` audit row and the live-view notification.
  const [, picked] = await Promise.all([
    lockAssignment(tx),
    claimOperator(tx, actor, clientId, departmentId),
  ]);
  if (!picked) return enqueue(tx, clientId, now);
  return { operatorId: picked.id, queued: false, newlyQueued: false, operatorInTelegram: picked.inTelegram };
}
