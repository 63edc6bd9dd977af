import { and, eq, isNull } from 'drizzle-orm';
import { z } from 'zod';
import type { DbOrTx } from '@/db/client';
import { clients, conversations } from '@/db/schema';
import { recordAudit } from '@/lib/audit/record-audit';
import type { Actor, OperatorActor } from '@/lib/auth/actor';
import { canReplyToClient, requireStaff } from '@/lib/auth/permissions';
import { AppError } from '@/lib/errors';
import { notifyDesk } from '@/lib/events/notify-desk';
import { lockClient, type LockedClient } from './apply-client-event';
import { isActiveStatus } from './client-status';
import { getClientOrThrow } from './get-client-or-throw';

export const claimClientInput = z.object({ clientId: z.uuid() });

/**
 * An operator takes an unassigned client from their department's queue (capacity is theirs to
 * judge: a manual claim may exceed it). Errors: `not_found`, `forbidden` (not an operator, or
 * cannot reply), `conflict` (someone has the client already, or it is not open).
 */
export async function claimClient({
  tx,
  actor,
  input,
}: {
  tx: DbOrTx;
  actor: Actor;
  input: z.input<typeof claimClientInput>;
}): Promise<{ clientId: string; operatorId: string }> {
  const staff = requireStaff(actor);
  if (staff.kind !== 'operator') throw new AppError('forbidden', 'Only an operator can take a client.');
  const { clientId } = claimClientInput.parse(input);
  const visible = await getClientOrThrow({ db: tx, actor, clientId });
  if (!canReplyToClient(actor, visible)) throw new AppError('forbidden', 'You cannot take this client.');
  const client = await lockClient(tx, clientId);
  if (!client) throw new AppError('not_found', 'Client not found.');
  if (client.assignedOperatorId === staff.operatorId) return { clientId, operatorId: staff.operatorId };
  if (client.assignedOperatorId) throw new AppError('conflict', 'Another operator has this client already.');
  if (!isActiveStatus(client.status)) throw new AppError('conflict', 'Only an open client can be taken.');
  await takeUnassignedClient(tx, staff, client);
  return { clientId, operatorId: staff.operatorId };
}

/**
 * Gives a locked, unassigned client to the acting operator, with its audit row and live-view
 * event. Shared by claimClient and an operator's first reply to a queued client.
 */
export async function takeUnassignedClient(tx: DbOrTx, actor: OperatorActor, client: LockedClient) {
  const now = new Date();
  await tx
    .update(clients)
    .set({ assignedOperatorId: actor.operatorId, assignedAt: now, queuedAt: null, updatedAt: now })
    .where(and(eq(clients.id, client.id), isNull(clients.assignedOperatorId)));
  if (client.currentConversationId) {
    await tx
      .update(conversations)
      .set({ operatorId: actor.operatorId })
      .where(eq(conversations.id, client.currentConversationId));
  }
  await recordAudit(tx, actor, {
    action: 'client.claimed',
    targetType: 'client',
    targetId: client.id,
    details: { departmentId: client.departmentId },
  });
  await notifyDesk(tx, {
    type: 'client.updated',
    clientId: client.id,
    departmentId: client.departmentId,
    operatorId: actor.operatorId,
  });
  client.assignedOperatorId = actor.operatorId;
}
