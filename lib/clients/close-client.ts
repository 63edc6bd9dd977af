import { and, eq } from 'drizzle-orm';
import { z } from 'zod';
import type { DbOrTx } from '@/db/client';
import { clients, conversations } from '@/db/schema';
import { recordAudit } from '@/lib/audit/record-audit';
import type { Actor } from '@/lib/auth/actor';
import { canReplyToClient, requireStaff } from '@/lib/auth/permissions';
import { AppError } from '@/lib/errors';
import { notifyDesk } from '@/lib/events/notify-desk';
import { getClientOrThrow } from './get-client-or-throw';

export const closeClientInput = z.object({ clientId: z.uuid() });

/**
 * Resolves a client: the support episode ends (resolution time recorded) and the client leaves
 * the operator's load. Their next message opens a new episode. Runs in the caller's transaction.
 */
export async function closeClient({
  tx,
  actor,
  input,
}: {
  tx: DbOrTx;
  actor: Actor;
  input: z.input<typeof closeClientInput>;
}): Promise<{ clientId: string; status: 'resolved' }> {
  const staff = requireStaff(actor);
  const { clientId } = closeClientInput.parse(input);
  const client = await getClientOrThrow({ db: tx, actor, clientId });
  if (!canReplyToClient(actor, client)) throw new AppError('forbidden', 'You cannot close this client.');
  if (client.status === 'resolved') return { clientId, status: 'resolved' };
  if (client.status === 'blocked') throw new AppError('conflict', 'This client has blocked the bot.');
  const now = new Date();
  const [row] = await tx
    .update(clients)
    .set({ status: 'resolved', queuedAt: null, unreadCount: 0, updatedAt: now })
    .where(eq(clients.id, clientId))
    .returning({ conversationId: clients.currentConversationId });
  if (row?.conversationId) {
    await tx
      .update(conversations)
      .set({
        status: 'resolved',
        resolvedAt: now,
        resolvedById: staff.kind === 'operator' ? staff.operatorId : null,
      })
      .where(and(eq(conversations.id, row.conversationId), eq(conversations.status, 'open')));
  }
  await recordAudit(tx, actor, {
    action: 'client.resolved',
    targetType: 'client',
    targetId: clientId,
    details: { conversationId: row?.conversationId ?? null },
  });
  await notifyDesk(tx, {
    type: 'client.updated',
    clientId,
    departmentId: client.departmentId,
    operatorId: client.assignedOperatorId,
  });
  return { clientId, status: 'resolved' };
}
