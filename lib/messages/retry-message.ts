import { and, eq, inArray } from 'drizzle-orm';
import { z } from 'zod';
import type { Db } from '@/db/client';
import { messages } from '@/db/schema';
import { recordAudit } from '@/lib/audit/record-audit';
import type { Actor } from '@/lib/auth/actor';
import { requireStaff } from '@/lib/auth/permissions';
import { lockClient } from '@/lib/clients/apply-client-event';
import { takeUnassignedClient } from '@/lib/clients/claim-client';
import { AppError } from '@/lib/errors';
import type { QueuedMessage } from '@/lib/messages/queue-bot-message';
import { canChangeOperatorMessage } from './get-changeable-message-or-throw';
import { getReplyableClientOrThrow } from './queue-operator-reply';

export const retryMessageInput = z.object({
  messageId: z.uuid(),
  /** Send a message whose delivery is `unknown` again although it may have arrived. */
  confirmUnknown: z.boolean().default(false),
});

/**
 * Puts a `failed` message back in the queue — or an `unknown` one, only with `confirmUnknown`
 * (it may have reached the client already; the operator decides knowingly). Parts already
 * delivered are not resent. The same rules as sending: the actor must be able to reply to the
 * client now; an operator's message may be retried by its author, by admins and by the
 * department's supervisors (bot messages by anyone who may reply); an operator retrying for a
 * client nobody has takes it. Errors: `not_found`, `forbidden`, `conflict` (not failed/unknown,
 * unknown without confirmation, client blocked).
 */
export async function retryMessage({
  db,
  actor,
  input,
}: {
  db: Db;
  actor: Actor;
  input: z.input<typeof retryMessageInput>;
}): Promise<QueuedMessage> {
  const staff = requireStaff(actor);
  const { messageId, confirmUnknown } = retryMessageInput.parse(input);
  return db.transaction(async (tx) => {
    const [message] = await tx.select().from(messages).where(eq(messages.id, messageId));
    if (!message || message.direction !== 'outbound') throw new AppError('not_found', 'Message not found.');
    const client = await getReplyableClientOrThrow({ db: tx, actor, clientId: message.clientId });
    if (message.senderKind === 'operator' && !canChangeOperatorMessage(actor, message, client)) {
      throw new AppError(
        'forbidden',
        'Only its author, an admin or the department’s supervisor can resend this message.',
      );
    }
    if (message.deliveryStatus === 'unknown' && !confirmUnknown) {
      throw new AppError(
        'conflict',
        'This message may already have reached the client; confirm to send it again anyway.',
      );
    }
    if (message.deliveryStatus !== 'failed' && message.deliveryStatus !== 'unknown') {
      throw new AppError(
        'conflict',
        'Only a failed message, or one whose delivery is unknown, can be sent again.',
      );
    }
    if (staff.kind === 'operator' && client.assignedOperatorId === null) {
      const locked = await lockClient(tx, client.id);
      if (locked && locked.assignedOperatorId === null) await takeUnassignedClient(tx, staff, locked);
    }
    const [requeued] = await tx
      .update(messages)
      .set({
        deliveryStatus: 'queued',
        deliveryErrorCode: null,
        deliveryError: null,
        deliveryDueAt: new Date(),
      })
      .where(and(eq(messages.id, messageId), inArray(messages.deliveryStatus, ['failed', 'unknown'])))
      .returning({ id: messages.id });
    if (!requeued) throw new AppError('conflict', 'This message is being sent already.');
    await recordAudit(tx, actor, {
      action: 'message.retried',
      targetType: 'message',
      targetId: messageId,
      details: { clientId: client.id, from: message.deliveryStatus },
    });
    return { messageId, chatId: message.telegramChatId };
  });
}
