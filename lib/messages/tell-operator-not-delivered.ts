import { eq } from 'drizzle-orm';
import type { Db } from '@/db/client';
import { clients, type Message } from '@/db/schema';
import { callBotApi, TelegramApiError } from '@/lib/telegram/bot-api';

/**
 * Tells an operator, in their Telegram chat and as a reply to what they wrote, that their reply
 * to a client did not arrive (`failed`) or may not have (`unknown`), with the reason: an operator
 * working from Telegram never sees the dashboard's red badge. Best effort: a failure is logged.
 */
export async function tellOperatorNotDelivered(
  db: Db,
  message: Message,
  outcome: { status: 'failed' | 'unknown'; error: string },
): Promise<void> {
  if (!message.operatorTelegramChatId) return;
  const [client] = await db
    .select({ name: clients.displayName })
    .from(clients)
    .where(eq(clients.id, message.clientId));
  const verdict = outcome.status === 'failed' ? 'was not delivered' : 'may not have been delivered';
  const text = `⚠️ Your reply to ${client?.name ?? 'the client'} ${verdict}.\n${outcome.error}`;
  try {
    await callBotApi('sendMessage', {
      chat_id: message.operatorTelegramChatId,
      text,
      link_preview_options: { is_disabled: true },
      ...(message.operatorTelegramMessageId
        ? {
            reply_parameters: {
              message_id: message.operatorTelegramMessageId,
              allow_sending_without_reply: true,
            },
          }
        : {}),
    });
  } catch (error) {
    const detail =
      error instanceof TelegramApiError || error instanceof Error ? error.message : String(error);
    console.warn(`could not tell the operator that message ${message.id} was not delivered: ${detail}`);
  }
}
