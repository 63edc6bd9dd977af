import { z } from 'zod';
import type { DbOrTx } from '@/db/client';
import { recordAudit } from '@/lib/audit/record-audit';
import type { Actor } from '@/lib/auth/actor';
import { canReplyToClient, requireStaff } from '@/lib/auth/permissions';
import { AppError } from '@/lib/errors';
import { notifyDesk } from '@/lib/events/notify-desk';
import { queueRatingRequest } from '@/lib/conversations/rating';
import type { QueuedMessage } from '@/lib/messages/queue-bot-message';
import { applyClientEvent, lockClient } from './apply-client-event';
import { getClientOrThrow } from './get-client-or-throw';

export const resolveClientInput = z.object({ clientId: z.uuid() });

export type ResolvedClient = {
  clientId: string;
  status: 'resolved' | 'blocked';
  /** The operator whose load dropped: their departments' queues can be drained after commit. */
  freedOperatorId: string | null;
  /** The client's rating request (1–5 buttons), queued: dispatch it after commit. */
  ratingRequest: QueuedMessage | null;
};

/**
 * Resolves a client: the support episode ends (resolution time recorded) and the client leaves
 * the operator's load; their next message opens a new episode. A blocked client's episode ends
 * too and they stay blocked (resolved once they unblock). Resolving twice changes nothing.
 * A resolved (not blocked) client is asked to rate the episode: a bot message with 1–5 buttons
 * (lib/conversations/rating.ts), queued here and returned for the caller to dispatch.
 * Runs in the caller's transaction. Errors: `not_found` (cannot see the client), `forbidden`.
 */
export async function resolveClient({
  tx,
  actor,
  input,
}: {
  tx: DbOrTx;
  actor: Actor;
  input: z.input<typeof resolveClientInput>;
}): Promise<ResolvedClient> {
  const staff = requireStaff(actor);
  const { clientId } = resolveClientInput.parse(input);
  const visible = await getClientOrThrow({ db: tx, actor, clientId });
  if (!canReplyToClient(actor, visible)) throw new AppError('forbidden', 'You cannot resolve this client.');
  const client = await lockClient(tx, clientId);
  if (!client) throw new AppError('not_found', 'Client not found.');
  const applied = await applyClientEvent(
    tx,
    client,
    { type: 'resolved' },
    {
      resolvedById: staff.kind === 'operator' ? staff.operatorId : null,
    },
  );
  const status = applied.status === 'blocked' ? 'blocked' : 'resolved';
  if (applied.unchanged) return { clientId, status, freedOperatorId: null, ratingRequest: null };
  await recordAudit(tx, actor, {
    action: 'client.resolved',
    targetType: 'client',
    targetId: clientId,
    details: { conversationId: client.currentConversationId, from: client.status },
  });
  await notifyDesk(tx, {
    type: 'client.updated',
    clientId,
    departmentId: client.departmentId,
    operatorId: client.assignedOperatorId,
  });
  const ratingRequest =
    status === 'resolved' && client.currentConversationId
      ? await queueRatingRequest(tx, client, client.currentConversationId)
      : null;
  return {
    clientId,
    status,
    freedOperatorId: client.status === 'blocked' ? null : client.assignedOperatorId,
    ratingRequest,
  };
}
