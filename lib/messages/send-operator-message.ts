import { and, eq, isNull, sql } from 'drizzle-orm';
import { z } from 'zod';
import type { Db } from '@/db/client';
import { clients, conversations, messages } from '@/db/schema';
import { recordAudit } from '@/lib/audit/record-audit';
import type { Actor } from '@/lib/auth/actor';
import { canReplyToClient, requireStaff } from '@/lib/auth/permissions';
import { getClientOrThrow } from '@/lib/clients/get-client-or-throw';
import { AppError } from '@/lib/errors';
import { notifyDesk } from '@/lib/events/notify-desk';
import type { QueuedMessage } from '@/lib/jobs/dispatch-outbound';

export const sendOperatorMessageInput = z.object({
  clientId: z.uuid(),
  text: z
    .string()
    .trim()
    .min(1, 'Write a message first.')
    .max(20_000, 'That message is too long (20,000 characters at most).'),
});

/**
 * Stores an operator's reply as `queued` (with the audit row, in one transaction) and returns it
 * for dispatch. An operator answering a queued client takes the client.
 */
export async function sendOperatorMessage({
  db,
  actor,
  input,
}: {
  db: Db;
  actor: Actor;
  input: z.input<typeof sendOperatorMessageInput>;
}): Promise<QueuedMessage & { clientId: string }> {
  const staff = requireStaff(actor);
  const { clientId, text } = sendOperatorMessageInput.parse(input);
  return db.transaction(async (tx) => {
    const client = await getClientOrThrow({ db: tx, actor, clientId });
    if (!canReplyToClient(actor, client)) throw new AppError('forbidden', 'You cannot reply to this client.');
    if (client.status === 'blocked') {
      throw new AppError(
        'conflict',
        'This client has blocked the bot; Telegram will not deliver messages to them.',
      );
    }
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
        contentKind: 'text',
        text,
        telegramChatId: client.chatId,
        deliveryStatus: 'queued',
      })
      .returning({ id: messages.id });
    if (!message) throw new Error('message insert returned no row');
    await recordAudit(tx, actor, {
      action: 'message.sent',
      targetType: 'client',
      targetId: clientId,
      details: { messageId: message.id, length: text.length },
    });
    await notifyDesk(tx, {
      type: 'message.created',
      clientId,
      messageId: message.id,
      departmentId: client.departmentId,
      operatorId: state?.operatorId ?? null,
    });
    return { messageId: message.id, chatId: client.chatId, clientId };
  });
}
