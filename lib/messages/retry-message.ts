import { and, eq } from 'drizzle-orm';
import { z } from 'zod';
import type { Db } from '@/db/client';
import { messages } from '@/db/schema';
import { recordAudit } from '@/lib/audit/record-audit';
import type { Actor } from '@/lib/auth/actor';
import { requireStaff } from '@/lib/auth/permissions';
import { getClientOrThrow } from '@/lib/clients/get-client-or-throw';
import { AppError } from '@/lib/errors';
import type { QueuedMessage } from '@/lib/jobs/dispatch-outbound';

export const retryMessageInput = z.object({ messageId: z.uuid() });

/** Puts a failed outbound message back in the queue; parts already delivered are not resent. */
export async function retryMessage({
  db,
  actor,
  input,
}: {
  db: Db;
  actor: Actor;
  input: z.input<typeof retryMessageInput>;
}): Promise<QueuedMessage> {
  requireStaff(actor);
  const { messageId } = retryMessageInput.parse(input);
  return db.transaction(async (tx) => {
    const [message] = await tx.select().from(messages).where(eq(messages.id, messageId));
    if (!message) throw new AppError('not_found', 'Message not found.');
    const client = await getClientOrThrow({ db: tx, actor, clientId: message.clientId });
    if (message.deliveryStatus !== 'failed')
      throw new AppError('conflict', 'Only a failed message can be retried.');
    if (client.status === 'blocked') throw new AppError('conflict', 'This client has blocked the bot.');
    await tx
      .update(messages)
      .set({ deliveryStatus: 'queued', deliveryError: null })
      .where(and(eq(messages.id, messageId), eq(messages.deliveryStatus, 'failed')));
    await recordAudit(tx, actor, { action: 'message.retried', targetType: 'message', targetId: messageId });
    return { messageId, chatId: message.telegramChatId };
  });
}
