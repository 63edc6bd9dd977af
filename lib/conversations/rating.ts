import { and, eq } from 'drizzle-orm';
import type { DbOrTx, Tx } from '@/db/client';
import { clients, conversations } from '@/db/schema';
import { recordAudit } from '@/lib/audit/record-audit';
import type { TelegramActor } from '@/lib/auth/actor';
import { queueBotMessage } from '@/lib/messages/queue-bot-message';
import type { QueuedMessage } from '@/lib/messages/queue-bot-message';
import { pickText } from '@/lib/telegram/texts';

/** Callback data of the rating buttons: `rate:<conversation id>:<1–5>` (≤ 64 bytes, Bot API). */
export const RATING_CALLBACK = 'rate:';
export const RATINGS = [1, 2, 3, 4, 5] as const;

/** The inline keyboard under the rating request: one row of 1–5 (Bot API InlineKeyboardMarkup). */
export function ratingKeyboard(conversationId: string) {
  return {
    inline_keyboard: [
      RATINGS.map((n) => ({ text: `${n} ★`, callback_data: `${RATING_CALLBACK}${conversationId}:${n}` })),
    ],
  };
}

/**
 * After an episode is resolved: queues the client's rating request (text in their language,
 * lib/telegram/texts.ts `ratingRequest`, with the 1–5 keyboard) in the caller's transaction.
 * The caller dispatches the returned message after commit.
 */
export async function queueRatingRequest(
  tx: DbOrTx,
  client: { id: string; chatId: number; language: string | null },
  conversationId: string,
): Promise<QueuedMessage> {
  return queueBotMessage(tx, {
    clientId: client.id,
    conversationId,
    chatId: client.chatId,
    text: pickText(null, client.language, 'ratingRequest'),
    replyMarkup: ratingKeyboard(conversationId),
  });
}

/**
 * A client's tap on a rating button: stores the rating (1–5) on the resolved episode it was
 * asked for, if the tapping user is that episode's client (a forwarded keyboard does nothing
 * for anyone else); tapping again changes it. Audited as `conversation.rated` on the client. Returns the
 * text to show in place of the request, or null when the rating is not theirs to give
 * (unknown episode, another user's, an episode reopened since).
 */
export async function rateConversation(
  tx: Tx,
  actor: TelegramActor,
  input: { conversationId: string; rating: number },
): Promise<{ clientId: string; text: string } | null> {
  const [row] = await tx
    .select({ clientId: conversations.clientId, language: clients.language, status: conversations.status })
    .from(conversations)
    .innerJoin(clients, eq(clients.id, conversations.clientId))
    .where(and(eq(conversations.id, input.conversationId), eq(clients.telegramUserId, actor.telegramUserId)));
  if (!row || row.status !== 'resolved') return null;
  await tx
    .update(conversations)
    .set({ rating: input.rating })
    .where(eq(conversations.id, input.conversationId));
  await recordAudit(tx, actor, {
    action: 'conversation.rated',
    targetType: 'client',
    targetId: row.clientId,
    details: { conversationId: input.conversationId, rating: input.rating },
  });
  const stars = '★'.repeat(input.rating) + '☆'.repeat(5 - input.rating);
  return { clientId: row.clientId, text: pickText(null, row.language, 'ratingThanks', { stars }) };
}
