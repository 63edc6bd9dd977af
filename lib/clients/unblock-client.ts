import type { DbOrTx } from '@/db/client';
import type { ClientStatus } from '@/db/schema';
import { recordAudit } from '@/lib/audit/record-audit';
import type { Actor } from '@/lib/auth/actor';
import { notifyDesk } from '@/lib/events/notify-desk';
import { applyClientEvent, lockClient } from './apply-client-event';

/**
 * The client unblocked the bot (Telegram's `my_chat_member` with status `member`): the status
 * they had before the block comes back, however the block was detected. Unblocking a client who
 * is not blocked changes nothing. System flows only: no permission check.
 */
export async function unblockClient({
  tx,
  actor,
  clientId,
}: {
  tx: DbOrTx;
  actor: Actor;
  clientId: string;
}): Promise<{ changed: boolean; status: ClientStatus | null }> {
  const client = await lockClient(tx, clientId);
  if (!client) return { changed: false, status: null };
  const applied = await applyClientEvent(tx, client, { type: 'unblocked' });
  if (applied.unchanged) return { changed: false, status: applied.status };
  await recordAudit(tx, actor, {
    action: 'client.unblocked',
    targetType: 'client',
    targetId: clientId,
    details: { via: 'my_chat_member', restored: applied.status },
  });
  await notifyDesk(tx, {
    type: 'client.updated',
    clientId,
    departmentId: client.departmentId,
    operatorId: client.assignedOperatorId,
  });
  return { changed: true, status: applied.status };
}
