import { eq } from 'drizzle-orm';
import { getDb, type Db } from '@/db/client';
import { clients, departments, messages, operatorNotifications, operators } from '@/db/schema';
import { callBotApi, sentMessageSchema, TelegramApiError } from './bot-api';
import { escapeHtml, splitText, TEXT_LIMIT } from './format';
import { z } from 'zod';

export type NotifyOutcome = { status: 'sent' | 'skipped' | 'failed'; reason?: string };

const copied = z.looseObject({ message_id: z.number().int() });

/**
 * Sends an operator, in their own Telegram chat, a client's new message: a header (client,
 * department) with the text, and media copied from the client's chat. Each sent message is
 * remembered, so the operator answers the client by replying to any of them.
 */
export async function notifyOperator({
  messageId,
  albumItemTelegramMessageId,
  db: given,
}: {
  messageId: string;
  albumItemTelegramMessageId?: number;
  db?: Db;
}): Promise<NotifyOutcome> {
  const db = given ?? (await getDb());
  const [row] = await db
    .select({
      message: messages,
      clientName: clients.displayName,
      clientId: clients.id,
      departmentName: departments.name,
      operatorId: operators.id,
      operatorChat: operators.telegramUserId,
      operatorActive: operators.isActive,
    })
    .from(messages)
    .innerJoin(clients, eq(clients.id, messages.clientId))
    .leftJoin(departments, eq(departments.id, clients.departmentId))
    .leftJoin(operators, eq(operators.id, clients.assignedOperatorId))
    .where(eq(messages.id, messageId));
  if (!row?.operatorId || !row.operatorChat || !row.operatorActive)
    return { status: 'skipped', reason: 'no linked operator' };
  const { message } = row;
  const operatorId = row.operatorId;
  const chatId = row.operatorChat;
  const header = `💬 <b>${escapeHtml(row.clientName)}</b>${row.departmentName ? ` · ${escapeHtml(row.departmentName)}` : ''}`;
  const sentIds: number[] = [];
  try {
    if (albumItemTelegramMessageId) {
      // A later item of an album the operator was already told about: copy just the item.
      const result = await callBotApi('copyMessage', {
        chat_id: chatId,
        from_chat_id: message.telegramChatId,
        message_id: albumItemTelegramMessageId,
      });
      sentIds.push(copied.parse(result).message_id);
    } else if (message.contentKind === 'text' || !message.telegramMessageId) {
      // Telegram's 4096 limit counts the text after HTML parsing: split the raw text, then escape.
      const raw = message.text ?? (message.contentKind === 'text' ? '' : `[${message.contentKind}]`);
      const headerLength = row.clientName.length + (row.departmentName?.length ?? 0) + 8;
      const parts = raw ? splitText(raw, Math.max(1000, TEXT_LIMIT - headerLength)) : [];
      const texts = [
        `${header}${parts[0] ? `\n\n${escapeHtml(parts[0])}` : ''}`,
        ...parts.slice(1).map(escapeHtml),
      ];
      for (const text of texts) {
        const result = await callBotApi('sendMessage', {
          chat_id: chatId,
          text,
          parse_mode: 'HTML',
          link_preview_options: { is_disabled: true },
        });
        sentIds.push(sentMessageSchema.parse(result).message_id);
      }
    } else {
      const result = await callBotApi('sendMessage', { chat_id: chatId, text: header, parse_mode: 'HTML' });
      sentIds.push(sentMessageSchema.parse(result).message_id);
    }
    if (!albumItemTelegramMessageId && message.contentKind !== 'text' && message.telegramMessageId) {
      // Media reach the operator without a download/upload round trip.
      const result = await callBotApi('copyMessage', {
        chat_id: chatId,
        from_chat_id: message.telegramChatId,
        message_id: message.telegramMessageId,
      });
      sentIds.push(copied.parse(result).message_id);
    }
  } catch (error) {
    if (!(error instanceof TelegramApiError)) throw error;
    console.warn(`operator notification for message ${messageId} failed: ${error.message}`);
    if (sentIds.length === 0) return { status: 'failed', reason: error.message };
  }
  await db
    .insert(operatorNotifications)
    .values(
      sentIds.map((id) => ({
        operatorId,
        clientId: row.clientId,
        messageId,
        telegramChatId: chatId,
        telegramMessageId: id,
      })),
    )
    .onConflictDoNothing();
  return { status: 'sent' };
}
