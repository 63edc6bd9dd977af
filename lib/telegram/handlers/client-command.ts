import { eq } from 'drizzle-orm';
import type { Tx } from '@/db/client';
import { departments } from '@/db/schema';
import { recordClientSource } from '@/lib/clients/record-client-source';
import { upsertTelegramClient } from '@/lib/clients/upsert-telegram-client';
import { listOpenDepartments } from '@/lib/departments/list-open-departments';
import { queueBotMessage } from '@/lib/messages/queue-bot-message';
import { emptyEffects } from '../effects';
import { pickText } from '../texts';
import type { TelegramMessage, TelegramUserPayload } from '../update-schema';
import type { HandlerOutcome } from './types';

export const DEPARTMENT_CALLBACK = 'dept:';

/**
 * /start greets the client in their language and, when several departments are open, offers
 * them as buttons; a deep-link payload (`/start <payload>`) is kept as the client's source.
 * /help explains how the chat works. Both answers are stored as bot messages in the history.
 */
export async function handleClientCommand(
  tx: Tx,
  message: TelegramMessage,
  from: TelegramUserPayload,
  command: { name: 'start' | 'help'; args: string },
): Promise<HandlerOutcome> {
  const effects = emptyEffects();
  const client = await upsertTelegramClient(tx, from, message.chat.id);
  const base = { clientId: client.id, conversationId: client.currentConversationId, chatId: client.chatId };

  if (command.name === 'help') {
    await queueBotMessage(tx, { ...base, text: pickText(null, client.language, 'help') });
    return { status: 'handled', clientId: client.id, effects };
  }

  if (command.args) await recordClientSource(tx, client.id, command.args);
  const open = await listOpenDepartments(tx);
  const [current] = client.departmentId
    ? await tx
        .select({ greeting: departments.greeting })
        .from(departments)
        .where(eq(departments.id, client.departmentId))
    : [];
  const greeting = pickText(current?.greeting, client.language, 'greeting');
  if (open.length > 1) {
    const text = `${greeting}\n\n${pickText(null, client.language, 'chooseDepartment')}`;
    const replyMarkup = {
      inline_keyboard: open.map((d) => [{ text: d.name, callback_data: `${DEPARTMENT_CALLBACK}${d.id}` }]),
    };
    await queueBotMessage(tx, { ...base, text, replyMarkup });
  } else {
    await queueBotMessage(tx, { ...base, text: greeting });
  }
  return { status: 'handled', clientId: client.id, effects };
}
