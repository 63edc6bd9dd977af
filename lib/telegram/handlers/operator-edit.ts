import { and, eq } from 'drizzle-orm';
import type { Tx } from '@/db/client';
import { attachments, clients, messageEdits, messages } from '@/db/schema';
import { recordAudit } from '@/lib/audit/record-audit';
import type { OperatorActor } from '@/lib/auth/actor';
import { notifyDesk } from '@/lib/events/notify-desk';
import { emptyEffects, type Effects } from '../effects';
import { parseContent } from '../parse-content';
import type { TelegramMessage } from '../update-schema';
import type { HandlerOutcome } from './types';

function say(effects: Effects, message: TelegramMessage, text: string) {
  effects.botCalls.push({
    method: 'sendMessage',
    payload: {
      chat_id: message.chat.id,
      text,
      reply_parameters: { message_id: message.message_id, allow_sending_without_reply: true },
    },
  });
}

/**
 * An operator edited, in Telegram, a message in their chat with the bot. An edit of a reply
 * that was relayed to a client is relayed too (editMessageText / editMessageCaption on the
 * client's copy, with the entities, after commit — see relayOperatorEdit) and kept with its
 * history; a reply not sent yet is changed before it goes. Whatever cannot be carried out (an
 * edit of something that was never sent to a client, a replaced file, a reply being sent right
 * now or not delivered) is answered to the operator, never dropped.
 */
export async function handleOperatorEdit(
  tx: Tx,
  actor: OperatorActor,
  message: TelegramMessage,
): Promise<HandlerOutcome> {
  const effects = emptyEffects();
  const [stored] = await tx
    .select()
    .from(messages)
    .where(
      and(
        eq(messages.operatorTelegramChatId, message.chat.id),
        eq(messages.operatorTelegramMessageId, message.message_id),
      ),
    );
  if (!stored) {
    say(effects, message, '✏️ This edit was not passed on: that message was not sent to a client.');
    return { status: 'handled', reason: 'edit of a message that was not relayed', effects };
  }
  const content = parseContent(message);
  const files = await tx
    .select({ uniqueId: attachments.telegramFileUniqueId })
    .from(attachments)
    .where(eq(attachments.messageId, stored.id));
  const fileChanged =
    content.attachments.length !== files.length ||
    content.attachments.some((a, i) => a.telegramFileUniqueId !== files[i]?.uniqueId);
  if (fileChanged) {
    say(
      effects,
      message,
      '✏️ Replacing a file is not passed on to the client: send the new file as a new reply.',
    );
    return { status: 'handled', reason: 'operator replaced a file', clientId: stored.clientId, effects };
  }
  if (stored.deletedAt) {
    say(effects, message, '✏️ This reply was deleted from the client’s chat, so the edit is not passed on.');
    return { status: 'handled', reason: 'edit of a deleted reply', clientId: stored.clientId, effects };
  }
  if (!content.text) {
    say(
      effects,
      message,
      '✏️ Removing the whole text is not passed on: delete the reply from the dashboard instead.',
    );
    return { status: 'handled', reason: 'edit removed the text', clientId: stored.clientId, effects };
  }
  switch (stored.deliveryStatus) {
    case 'sent':
      effects.relayEdits.push({
        messageId: stored.id,
        operatorId: actor.operatorId,
        text: content.text,
        entities: content.entities ?? [],
        operatorChatId: message.chat.id,
        operatorMessageId: message.message_id,
      });
      return { status: 'handled', clientId: stored.clientId, messageId: stored.id, effects };
    case 'sending':
      say(
        effects,
        message,
        '✏️ This reply is being delivered right now: edit it once more in a moment to pass the change on.',
      );
      return { status: 'handled', reason: 'edit while sending', clientId: stored.clientId, effects };
    default: {
      // Not delivered (yet): the stored reply changes; its copy, when it goes, carries the new text.
      const editedAt = new Date((message.edit_date ?? message.date) * 1000);
      await tx
        .insert(messageEdits)
        .values({ messageId: stored.id, text: stored.text, entities: stored.entities, editedAt });
      await tx
        .update(messages)
        .set({
          text: content.text,
          entities: content.entities,
          telegramPayload: message,
          editedAt,
        })
        .where(eq(messages.id, stored.id));
      await recordAudit(tx, actor, {
        action: 'message.edited',
        targetType: 'message',
        targetId: stored.id,
        details: { clientId: stored.clientId, via: 'telegram', deliveryStatus: stored.deliveryStatus },
      });
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
      if (stored.deliveryStatus === 'failed' || stored.deliveryStatus === 'unknown') {
        say(
          effects,
          message,
          '✏️ This reply was not delivered, so the edit only changes the stored text. Resend it from the dashboard.',
        );
      }
      return { status: 'stored', clientId: stored.clientId, messageId: stored.id, effects };
    }
  }
}
