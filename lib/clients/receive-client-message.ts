import { eq, sql } from 'drizzle-orm';
import type { DbOrTx } from '@/db/client';
import { clients, messages } from '@/db/schema';
import type { TelegramActor } from '@/lib/auth/actor';
import { applyClientEvent, openEpisode } from './apply-client-event';
import { routeClient } from './route-client';
import type { UpsertedClient } from './upsert-telegram-client';

export type ReceivedMessage = {
  conversationId: string;
  operatorId: string | null;
  /** The assigned operator gets notifications in Telegram. */
  operatorInTelegram: boolean;
  /** The queue auto-reply, stored `queued`, when the client entered the queue now. */
  autoReply: { messageId: string; chatId: number } | null;
};

/**
 * A client's message was stored (`messageId`): applies the `message_received` transition to
 * the locked client (a resolved or once-blocked client comes back, starting a new episode and
 * being routed afresh), counts `unread` more unread messages, files the message under the open
 * episode and routes a client nobody has (an operator, or the queue with its auto-reply).
 * `transition: false` for a later item of an album, which changes nothing but its files.
 * Runs in the caller's transaction.
 */
export async function receiveClientMessage(
  tx: DbOrTx,
  actor: TelegramActor,
  client: UpsertedClient,
  { messageId, unread, transition = true }: { messageId: string; unread: number; transition?: boolean },
): Promise<ReceivedMessage> {
  let conversationId = client.currentConversationId;
  let operatorId = client.assignedOperatorId;
  let operatorInTelegram = client.operatorInTelegram;
  if (transition) {
    const applied = await applyClientEvent(tx, client, { type: 'message_received' });
    if (applied.episode === 'open') {
      // A new episode is routed afresh, like a new client.
      operatorId = null;
      operatorInTelegram = false;
      await tx
        .update(clients)
        .set({ assignedOperatorId: null, assignedAt: null, queuedAt: null })
        .where(eq(clients.id, client.id));
      conversationId = null;
    }
  }
  if (!conversationId) {
    conversationId = await openEpisode(tx, { ...client, assignedOperatorId: operatorId });
    await tx.update(messages).set({ conversationId }).where(eq(messages.id, messageId));
  }
  if (unread > 0) {
    await tx
      .update(clients)
      .set({ unreadCount: sql`${clients.unreadCount} + ${unread}` })
      .where(eq(clients.id, client.id));
  }
  let autoReply: ReceivedMessage['autoReply'] = null;
  if (!operatorId) {
    const route = await routeClient({
      tx,
      actor,
      clientId: client.id,
      departmentId: client.departmentId,
      language: client.language,
    });
    operatorId = route.operatorId;
    operatorInTelegram = route.operatorInTelegram;
    autoReply = route.autoReply;
  }
  return { conversationId, operatorId, operatorInTelegram, autoReply };
}
