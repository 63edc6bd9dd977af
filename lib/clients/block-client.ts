import type { DbOrTx } from '@/db/client';
import { recordAudit } from '@/lib/audit/record-audit';
import type { Actor } from '@/lib/auth/actor';
import { notifyDesk } from '@/lib/events/notify-desk';
import { applyClientEvent, lockClient } from './apply-client-event';

/** How the desk learnt that the client blocked the bot. */
export type BlockSource =
  /** Telegram's `my_chat_member` update with status `kicked` (Bot API, Update). */
  | 'my_chat_member'
  /** A send answered 403 "bot was blocked by the user" (Bot API error codes). */
  | 'send_refused';

/**
 * The client blocked the bot: nothing can be sent to them until they unblock it. The status
 * they had is kept in `status_before_block` whichever way the block was detected, so unblocking
 * restores it; the client leaves their operator's load. Blocking a blocked client changes
 * nothing. System flows only (Telegram told us): no permission check. Returns whether anything
 * changed and the operator whose load dropped (null when unchanged or unassigned).
 */
export async function blockClient({
  tx,
  actor,
  clientId,
  source,
  details = {},
}: {
  tx: DbOrTx;
  actor: Actor;
  clientId: string;
  source: BlockSource;
  details?: Record<string, unknown>;
}): Promise<{ changed: boolean; freedOperatorId: string | null }> {
  const client = await lockClient(tx, clientId);
  if (!client) return { changed: false, freedOperatorId: null };
  const applied = await applyClientEvent(tx, client, { type: 'blocked' });
  if (applied.unchanged) return { changed: false, freedOperatorId: null };
  await recordAudit(tx, actor, {
    action: 'client.blocked',
    targetType: 'client',
    targetId: clientId,
    details: { via: source, statusBefore: client.status, ...details },
  });
  await notifyDesk(tx, {
    type: 'client.updated',
    clientId,
    departmentId: client.departmentId,
    operatorId: client.assignedOperatorId,
  });
  const counted = client.status !== 'resolved';
  return { changed: true, freedOperatorId: counted ? client.assignedOperatorId : null };
}
