import { and, eq } from 'drizzle-orm';
import { z } from 'zod';
import type { DbOrTx } from '@/db/client';
import { clients, conversations, departments } from '@/db/schema';
import { recordAudit } from '@/lib/audit/record-audit';
import { isStaff, type Actor } from '@/lib/auth/actor';
import { canReplyToClient } from '@/lib/auth/permissions';
import { AppError } from '@/lib/errors';
import { notifyDesk } from '@/lib/events/notify-desk';
import { lockClient } from './apply-client-event';
import { isOperatorInDepartment } from './assign-client';
import { isActiveStatus } from './client-status';
import { getClientOrThrow } from './get-client-or-throw';
import { routeClient, type RouteResult } from './route-client';

export const transferClientInput = z.object({ clientId: z.uuid(), departmentId: z.uuid() });

export type TransferredClient = {
  clientId: string;
  departmentId: string;
  operatorId: string | null;
  /** Set when the client was routed in the new department (assigned or queued). */
  route: RouteResult | null;
  /** The operator who lost the client (their load dropped). */
  freedOperatorId: string | null;
};

/**
 * Moves a client to another (active) department. Their operator keeps them if they work in the
 * new department; otherwise the client is routed there — to its least-loaded online operator or
 * its queue, with the queue auto-reply — provided the client has an open episode (someone who
 * only pressed /start is routed by their first message). The open episode moves with them.
 * Staff need to be able to reply to the client; a Telegram actor may only move themselves
 * (choosing a topic after /start). Errors: `not_found` (client, or no such active department),
 * `forbidden`.
 */
export async function transferClient({
  tx,
  actor,
  input,
}: {
  tx: DbOrTx;
  actor: Actor;
  input: z.input<typeof transferClientInput>;
}): Promise<TransferredClient> {
  const { clientId, departmentId } = transferClientInput.parse(input);
  if (isStaff(actor)) {
    const visible = await getClientOrThrow({ db: tx, actor, clientId });
    if (!canReplyToClient(actor, visible))
      throw new AppError('forbidden', 'You cannot transfer this client.');
  } else if (actor.kind === 'telegram') {
    const [own] = await tx
      .select({ id: clients.id })
      .from(clients)
      .where(and(eq(clients.id, clientId), eq(clients.telegramUserId, actor.telegramUserId)));
    if (!own) throw new AppError('not_found', 'Client not found.');
  }
  const [department] = await tx
    .select({ id: departments.id, name: departments.name })
    .from(departments)
    .where(and(eq(departments.id, departmentId), eq(departments.isActive, true)));
  if (!department) throw new AppError('not_found', 'Department not found.');
  const client = await lockClient(tx, clientId);
  if (!client) throw new AppError('not_found', 'Client not found.');
  if (client.departmentId === departmentId) {
    return {
      clientId,
      departmentId,
      operatorId: client.assignedOperatorId,
      route: null,
      freedOperatorId: null,
    };
  }

  const keepOperator =
    client.assignedOperatorId !== null &&
    (await isOperatorInDepartment(tx, client.assignedOperatorId, departmentId));
  const now = new Date();
  await tx
    .update(clients)
    .set({
      departmentId,
      ...(keepOperator ? {} : { assignedOperatorId: null, assignedAt: null, queuedAt: null }),
      updatedAt: now,
    })
    .where(eq(clients.id, clientId));
  if (client.currentConversationId) {
    await tx
      .update(conversations)
      .set({ departmentId, ...(keepOperator ? {} : { operatorId: null }) })
      .where(and(eq(conversations.id, client.currentConversationId), eq(conversations.status, 'open')));
  }
  await recordAudit(tx, actor, {
    action: actor.kind === 'telegram' ? 'client.department_chosen' : 'client.transferred',
    targetType: 'client',
    targetId: clientId,
    details: { from: client.departmentId, to: departmentId, keptOperator: keepOperator },
  });
  let route: RouteResult | null = null;
  if (!keepOperator && isActiveStatus(client.status) && client.currentConversationId) {
    route = await routeClient({ tx, actor, clientId, departmentId, language: client.language });
  }
  const operatorId = keepOperator ? client.assignedOperatorId : (route?.operatorId ?? null);
  await notifyDesk(tx, { type: 'client.updated', clientId, departmentId, operatorId });
  return {
    clientId,
    departmentId,
    operatorId,
    route,
    freedOperatorId: keepOperator || client.status === 'resolved' ? null : client.assignedOperatorId,
  };
}
