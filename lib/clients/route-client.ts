import type { DbOrTx } from '@/db/client';
import { rowsOf } from '@/db/rows';
import type { Actor } from '@/lib/auth/actor';
import { claimOperatorSql, lockAssignment, outcomeFromRows } from './pick-operator';

export type RouteResult = {
  operatorId: string | null;
  queued: boolean;
  /** True the first time this client enters the queue (so the auto-reply is sent once). */
  newlyQueued: boolean;
  /** The chosen operator has linked Telegram (and is notified there). */
  operatorInTelegram: boolean;
  /** The queue auto-reply stored `queued` when the client entered the queue; dispatch after commit. */
  autoReply: { messageId: string; chatId: number } | null;
};

/**
 * Automatic assignment: gives an unassigned client to the best operator of its department
 * (least loaded online operator under capacity, see claimOperatorSql), or puts it in the
 * department queue with the department's auto-reply in the client's `language` (a client
 * without a department — none is the default — waits in the queue with the built-in text). Runs in the
 * caller's transaction; safe under concurrent arrivals (the assignment lock).
 */
export async function routeClient({
  tx,
  actor,
  clientId,
  departmentId,
  language = null,
}: {
  tx: DbOrTx;
  actor: Actor;
  clientId: string;
  departmentId: string | null;
  language?: string | null;
}): Promise<RouteResult> {
  // Sent together (pipelined): the claim statement queues behind the lock on the same
  // connection and starts — taking its snapshot — only once the lock is held, so holders wait
  // on Postgres alone, not on a round trip through this process between the two.
  const [, result] = await Promise.all([
    lockAssignment(tx),
    tx.execute(claimOperatorSql(actor, clientId, departmentId, { ifNobody: 'enqueue', language })),
  ]);
  const outcome = outcomeFromRows(rowsOf(result));
  if (outcome.claim) {
    return {
      operatorId: outcome.claim.id,
      queued: false,
      newlyQueued: false,
      operatorInTelegram: outcome.claim.inTelegram,
      autoReply: null,
    };
  }
  return {
    operatorId: null,
    queued: true,
    newlyQueued: outcome.newlyQueued,
    operatorInTelegram: false,
    autoReply: outcome.autoReply,
  };
}
