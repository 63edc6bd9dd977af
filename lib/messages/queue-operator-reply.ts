import { and, eq, isNull, sql } from 'drizzle-orm';
import type { DbOrTx } from '@/db/client';
import { clients, conversations, messages } from '@/db/schema';
import { recordAudit } from '@/lib/audit/record-audit';
import type { Actor } from '@/lib/auth/actor';
import { canReplyToClient, requireStaff } from '@/lib/auth/permissions';
import { getClientOrThrow, type ClientDto } from '@/lib/clients/get-client-or-throw';
import { AppError } from '@/lib/errors';
import { notifyDesk } from '@/lib/events/notify-desk';
import type { QueuedMessage } from '@/lib/jobs/dispatch-outbound';

export type QueuedReply = QueuedMessage & { clientId: string };

/**
 * The client a staff actor may reply to, or an AppError: `not_found` for clients they cannot
 * see, `forbidden` where viewing is allowed but replying is not, `conflict` when the client
 * has blocked the bot.
 */
export async function getReplyableClientOrThrow({
  db,
  actor,
  clientId,
}: {
  db: DbOrTx;
  actor: Actor;
  clientId: string;
}): Promise<ClientDto> {
  requireStaff(actor);
  const client = await getClientOrThrow({ db, actor, clientId });
  if (!canReplyToClient(actor, client)) throw new AppError('forbidden', 'You cannot reply to this client.');
  if (client.status === 'blocked') {
    throw new AppError(
      'conflict',
      'This client has blocked the bot; Telegram will not deliver messages to them.',
    );
  }
  return client;
}

/**
 * The part every dashboard reply shares, inside the caller's transaction: check the actor may
 * reply, let an operator answering a queued client take it, move the client to `in_progress`,
 * record the first response, insert the outbound message as `queued`, write the
 * `message.sent` audit row and notify live views. Callers add their own rows (attachments) in
 * the same transaction and dispatch after commit.
 */
export async function queueOperatorReply(
  tx: DbOrTx,
  actor: Actor,
  input: {
    clientId: string;
    contentKind: 'text' | 'photo' | 'document';
    text: string | null;
    auditDetails?: Record<string, unknown>;
  },
): Promise<QueuedReply> {
  const staff = requireStaff(actor);
  const { clientId } = input;
  const client = await getReplyableClientOrThrow({ db: tx, actor, clientId });
  const now = new Date();
  const operatorId = staff.kind === 'operator' ? staff.operatorId : null;

  if (operatorId && client.assignedOperatorId === null) {
    await tx
      .update(clients)
      .set({ assignedOperatorId: operatorId, assignedAt: now, queuedAt: null })
      .where(and(eq(clients.id, clientId), isNull(clients.assignedOperatorId)));
    await recordAudit(tx, actor, { action: 'client.claimed', targetType: 'client', targetId: clientId });
  }
  const [state] = await tx
    .update(clients)
    .set({
      status: sql`case when ${clients.status} in ('new', 'resolved') then 'in_progress'::client_status else ${clients.status} end`,
      unreadCount: 0,
      lastMessageAt: now,
      updatedAt: now,
    })
    .where(eq(clients.id, clientId))
    .returning({ conversationId: clients.currentConversationId, operatorId: clients.assignedOperatorId });
  const conversationId = state?.conversationId ?? null;
  if (conversationId) {
    await tx
      .update(conversations)
      .set({ firstResponseAt: sql`coalesce(${conversations.firstResponseAt}, now())` })
      .where(eq(conversations.id, conversationId));
  }
  const [message] = await tx
    .insert(messages)
    .values({
      clientId,
      conversationId,
      direction: 'outbound',
      senderKind: staff.kind === 'operator' ? 'operator' : 'system',
      operatorId,
      contentKind: input.contentKind,
      text: input.text,
      telegramChatId: client.chatId,
      deliveryStatus: 'queued',
    })
    .returning({ id: messages.id });
  if (!message) throw new Error('message insert returned no row');
  await recordAudit(tx, actor, {
    action: 'message.sent',
    targetType: 'client',
    targetId: clientId,
    details: { messageId: message.id, length: input.text?.length ?? 0, ...input.auditDetails },
  });
  await notifyDesk(tx, {
    type: 'message.created',
    clientId,
    messageId: message.id,
    departmentId: client.departmentId,
    operatorId: state?.operatorId ?? null,
  });
  return { messageId: message.id, chatId: client.chatId, clientId };
}
