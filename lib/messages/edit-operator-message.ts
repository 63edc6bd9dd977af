import { eq } from 'drizzle-orm';
import { z } from 'zod';
import type { Db } from '@/db/client';
import { messageEdits, messages } from '@/db/schema';
import { recordAudit } from '@/lib/audit/record-audit';
import type { Actor } from '@/lib/auth/actor';
import { requireStaff } from '@/lib/auth/permissions';
import { AppError } from '@/lib/errors';
import { notifyDesk } from '@/lib/events/notify-desk';
import { callBotApi, TelegramApiError } from '@/lib/telegram/bot-api';
import { CAPTION_LIMIT, escapeHtml, TEXT_LIMIT } from '@/lib/telegram/format';
import { getChangeableMessageOrThrow, telegramErrorToAppError } from './get-changeable-message-or-throw';

const entitySchema = z.looseObject({ type: z.string(), offset: z.number().int(), length: z.number().int() });

export const editOperatorMessageInput = z.object({
  messageId: z.uuid(),
  text: z.string().trim().min(1, 'Write the new text first.').max(20_000, 'That text is too long.'),
  /**
   * Telegram formatting entities of `text` (UTF-16 offsets), for an edit an operator made in
   * Telegram: sent as they are, without parse_mode. Absent: the text is plain and sent as HTML.
   */
  entities: z.array(entitySchema).max(1000).optional(),
});

export type EditedMessage = { messageId: string; text: string; editedAt: string | null };

/**
 * Changes the text (or a file's caption) of an operator's sent message in Telegram, then —
 * only if Telegram accepted it — stores the new text, keeps the previous one in
 * `message_edits` and writes the audit row, in one transaction.
 */
export async function editOperatorMessage({
  db,
  actor,
  input,
}: {
  db: Db;
  actor: Actor;
  input: z.input<typeof editOperatorMessageInput>;
}): Promise<EditedMessage> {
  requireStaff(actor);
  const { messageId, text, entities } = editOperatorMessageInput.parse(input);
  const { message, client } = await getChangeableMessageOrThrow({ db, actor, messageId, verb: 'edit' });
  const telegramMessageId = message.telegramMessageId;
  if (telegramMessageId === null) throw new AppError('conflict', 'This message has no Telegram message id.');

  const parts = 1 + (message.telegramExtraMessageIds?.length ?? 0);
  if (parts > 1) {
    throw new AppError(
      'unprocessable_entity',
      `This message went to Telegram as ${parts} separate messages; only a message sent as one can be edited.`,
    );
  }
  const isCaption = message.contentKind !== 'text';
  const limit = isCaption ? CAPTION_LIMIT : TEXT_LIMIT;
  if (text.length > limit) {
    throw new AppError(
      'unprocessable_entity',
      isCaption
        ? `A file caption can be at most ${CAPTION_LIMIT} characters; this one has ${text.length}.`
        : `An edited message must fit in one Telegram message (${TEXT_LIMIT} characters); this one has ${text.length}.`,
    );
  }
  if (
    text === message.text &&
    JSON.stringify(entities ?? null) === JSON.stringify(message.entities ?? null)
  ) {
    return { messageId, text, editedAt: message.editedAt?.toISOString() ?? null };
  }

  try {
    await editInTelegram(message.telegramChatId, telegramMessageId, text, isCaption, entities);
  } catch (error) {
    throw telegramErrorToAppError(error, 'edit the message');
  }

  const now = new Date();
  return db.transaction(async (tx) => {
    // Lock the row so concurrent edits each keep the version they replaced.
    const [current] = await tx.select().from(messages).where(eq(messages.id, messageId)).for('update');
    if (!current) throw new AppError('not_found', 'Message not found.');
    await tx.insert(messageEdits).values({
      messageId,
      text: current.text,
      entities: current.entities,
      editedAt: now,
    });
    await tx
      .update(messages)
      .set({ text, entities: entities ?? null, editedAt: now })
      .where(eq(messages.id, messageId));
    await recordAudit(tx, actor, {
      action: 'message.edited',
      targetType: 'message',
      targetId: messageId,
      details: { clientId: client.id, previousLength: current.text?.length ?? 0, length: text.length },
    });
    await notifyDesk(tx, {
      type: 'message.updated',
      clientId: client.id,
      messageId,
      departmentId: client.departmentId,
      operatorId: client.assignedOperatorId,
    });
    return { messageId, text, editedAt: now.toISOString() };
  });
}

/**
 * With entities: the text and its entities as they are (Bot API, editMessageText `entities`,
 * editMessageCaption `caption_entities`). Without: HTML first, as sent; plain text if Telegram
 * cannot parse it. "Not modified" counts as done.
 */
async function editInTelegram(
  chatId: number,
  messageId: number,
  text: string,
  isCaption: boolean,
  entities?: unknown[],
) {
  const send = (body: Record<string, unknown>) =>
    isCaption
      ? callBotApi('editMessageCaption', { chat_id: chatId, message_id: messageId, ...body })
      : callBotApi('editMessageText', {
          chat_id: chatId,
          message_id: messageId,
          link_preview_options: { is_disabled: true },
          ...body,
        });
  const field = isCaption ? 'caption' : 'text';
  try {
    if (entities) {
      await send({ [field]: text, [isCaption ? 'caption_entities' : 'entities']: entities });
      return;
    }
    await send({ [field]: escapeHtml(text), parse_mode: 'HTML' });
  } catch (error) {
    if (!(error instanceof TelegramApiError)) throw error;
    if (/message is not modified/i.test(error.message)) return;
    if (!error.isParseError) throw error;
    await send({ [field]: text });
  }
}
