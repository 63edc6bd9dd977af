import type { DbOrTx } from '@/db/client';
import { messages } from '@/db/schema';
import type { QueuedMessage } from '@/lib/jobs/dispatch-outbound';

/** Inserts an automatic bot message as `queued`; the caller dispatches it after commit. */
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
