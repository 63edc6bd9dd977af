import { and, eq, isNull } from 'drizzle-orm';
import { z } from 'zod';
import type { Db } from '@/db/client';
import { attachments, messages } from '@/db/schema';
import { recordAudit } from '@/lib/audit/record-audit';
import type { Actor } from '@/lib/auth/actor';
import { requireStaff } from '@/lib/auth/permissions';
import { AppError } from '@/lib/errors';
import { notifyDesk } from '@/lib/events/notify-desk';
import { callBotApi, TelegramApiError } from '@/lib/telegram/bot-api';
import { getChangeableMessageOrThrow, telegramErrorToAppError } from './get-changeable-message-or-throw';

export const deleteOperatorMessageInput = z.object({ messageId: z.uuid() });

export type DeletedMessage = { messageId: string; deletedAt: string };

/**
 * Deletes every Telegram message an operator's message became (split parts, files, follow-up
 * text), then marks it deleted. The row and its text stay for the audit trail; the chat shows
 * "message deleted". Nothing changes in the database unless Telegram accepted the deletes.
 */
export async function deleteOperatorMessage({
  db,
  actor,
  input,
}: {
  db: Db;
  actor: Actor;
  input: z.input<typeof deleteOperatorMessageInput>;
}): Promise<DeletedMessage> {
  requireStaff(actor);
  const { messageId } = deleteOperatorMessageInput.parse(input);
  const { message, client } = await getChangeableMessageOrThrow({ db, actor, messageId, verb: 'delete' });
  const files = await db
    .select({ telegramMessageId: attachments.telegramMessageId })
    .from(attachments)
    .where(eq(attachments.messageId, messageId));
  const telegramIds = [
    ...new Set(
      [
        message.telegramMessageId,
        ...(message.telegramExtraMessageIds ?? []),
        ...files.map((f) => f.telegramMessageId),
      ].filter((id): id is number => typeof id === 'number'),
    ),
  ];

  for (const id of telegramIds) {
    try {
      await callBotApi('deleteMessage', { chat_id: message.telegramChatId, message_id: id });
    } catch (error) {
      // Already gone (the client deleted it for both sides, or an earlier attempt got this far).
      if (error instanceof TelegramApiError && /message to delete not found/i.test(error.message)) continue;
      throw telegramErrorToAppError(error, 'delete the message');
    }
  }

  const now = new Date();
  return db.transaction(async (tx) => {
    const [row] = await tx
      .update(messages)
      .set({ deletedAt: now })
      .where(and(eq(messages.id, messageId), isNull(messages.deletedAt)))
      .returning({ id: messages.id });
    if (!row) throw new AppError('conflict', 'This message has already been deleted.');
    await recordAudit(tx, actor, {
      action: 'message.deleted',
      targetType: 'message',
      targetId: messageId,
      details: { clientId: client.id, telegramMessageIds: telegramIds },
    });
    await notifyDesk(tx, {
      type: 'message.updated',
      clientId: client.id,
      messageId,
      departmentId: client.departmentId,
      operatorId: client.assignedOperatorId,
    });
    return { messageId, deletedAt: now.toISOString() };
  });
}
