import { and, eq } from 'drizzle-orm';
import type { Tx } from '@/db/client';
import { attachments, clients, messageEdits, messages, operators } from '@/db/schema';
import { getOperatorActor } from '@/lib/operators/get-operator-actor';
import { notifyDesk } from '@/lib/events/notify-desk';
import { emptyEffects } from '../effects';
import { parseContent } from '../parse-content';
import type { TelegramMessage } from '../update-schema';
import { handleOperatorEdit } from './operator-edit';
import type { HandlerOutcome } from './types';

/**
 * An operator's edit in their own chat goes to handleOperatorEdit. A client edited a message: the stored text (or an album item's caption) changes, the previous
 * version is kept in message_edits, and the chat shows "edited".
 */
export async function handleEditedMessage(tx: Tx, message: TelegramMessage): Promise<HandlerOutcome> {
  const effects = emptyEffects();
  if (message.from) {
    const [operator] = await tx
      .select({ id: operators.id })
      .from(operators)
      .where(and(eq(operators.telegramUserId, message.from.id), eq(operators.isActive, true)));
    const actor = operator ? await getOperatorActor({ db: tx, operatorId: operator.id }) : null;
    if (actor) return handleOperatorEdit(tx, actor, message);
  }
  const chatId = message.chat.id;
  const content = parseContent(message);
  const editedAt = new Date((message.edit_date ?? message.date) * 1000);

  let [stored] = await tx
    .select()
    .from(messages)
    .where(and(eq(messages.telegramChatId, chatId), eq(messages.telegramMessageId, message.message_id)));
  let albumItem: { id: string } | undefined;
  if (!stored) {
    // A later item of an album: its caption lives on the attachment.
    const [row] = await tx
      .select({ message: messages, attachmentId: attachments.id })
      .from(attachments)
      .innerJoin(messages, eq(messages.id, attachments.messageId))
      .where(and(eq(attachments.telegramMessageId, message.message_id), eq(messages.telegramChatId, chatId)));
    stored = row?.message;
    albumItem = row ? { id: row.attachmentId } : undefined;
  }
  if (!stored || stored.direction !== 'inbound') {
    return { status: 'ignored', reason: 'edit of a message we do not have', effects };
  }

  await tx
    .insert(messageEdits)
    .values({ messageId: stored.id, text: stored.text, entities: stored.entities, editedAt });
  if (content.attachments.length > 0 || albumItem) {
    await tx
      .update(attachments)
      .set({ caption: content.text, captionEntities: content.entities })
      .where(
        albumItem
          ? eq(attachments.id, albumItem.id)
          : and(eq(attachments.messageId, stored.id), eq(attachments.telegramMessageId, message.message_id)),
      );
  }
  const text =
    stored.contentKind === 'album'
      ? (
          await tx
            .select({ caption: attachments.caption })
            .from(attachments)
            .where(eq(attachments.messageId, stored.id))
            .orderBy(attachments.position)
        )
          .map((a) => a.caption)
          .filter(Boolean)
          .join('\n') || null
      : content.text;
  await tx
    .update(messages)
    .set({ text, entities: stored.contentKind === 'album' ? null : content.entities, editedAt })
    .where(eq(messages.id, stored.id));
  const [client] = await tx
    .select({ departmentId: clients.departmentId, operatorId: clients.assignedOperatorId })
    .from(clients)
    .where(eq(clients.id, stored.clientId));
  await notifyDesk(tx, {
    type: 'message.updated',
    clientId: stored.clientId,
    messageId: stored.id,
    departmentId: client?.departmentId ?? null,
    operatorId: client?.operatorId ?? null,
  });
  return { status: 'stored', clientId: stored.clientId, messageId: stored.id, effects };
}
