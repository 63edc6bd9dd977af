import type { DbOrTx } from '@/db/client';
import { messages } from '@/db/schema';

/** An outbound message stored as `queued`: the outbox delivers it after its transaction commits. */
export type QueuedMessage = { messageId: string; chatId: number };

/**
 * Inserts an automatic bot message as `queued`. Its outbox row is written by the database in the
 * same transaction (migration 0017); the caller calls kickOutbox() after commit.
 */
export async function queueBotMessage(
  tx: DbOrTx,
  input: {
    clientId: string;
    conversationId: string | null;
    chatId: number;
    text: string;
    /** Inline keyboard sent with the message (e.g. the department choice). */
    replyMarkup?: Record<string, unknown>;
  },
): Promise<QueuedMessage> {
  const [row] = await tx
    .insert(messages)
    .values({
      clientId: input.clientId,
      conversationId: input.conversationId,
      direction: 'outbound',
      senderKind: 'bot',
      contentKind: 'text',
      text: input.text,
      payload: input.replyMarkup ? { replyMarkup: input.replyMarkup } : null,
      telegramChatId: input.chatId,
      deliveryStatus: 'queued',
      deliveryDueAt: new Date(),
    })
    .returning({ id: messages.id });
  if (!row) throw new Error('message insert returned no row');
  return { messageId: row.id, chatId: input.chatId };
}
