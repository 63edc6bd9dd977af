import { eq, sql } from 'drizzle-orm';
import type { DbOrTx } from '@/db/client';
import { clients, departments, messages } from '@/db/schema';
import { recordAudit } from '@/lib/audit/record-audit';
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
 * being routed afresh — in the default department if its own was deactivated), counts `unread` more unread messages, files the message under the open
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
  let departmentId = client.departmentId;
  if (transition) {
    const applied = await applyClientEvent(tx, client, { type: 'message_received' });
    if (applied.episode === 'open') {
      // A new episode is routed afresh, like a new client — and like a new client, it does not
      // go to a deactivated department: it starts in the default one (if there is none, the
      // client stays where it was rather than in no department at all).
      operatorId = null;
      operatorInTelegram = false;
      const [moved] = await tx
        .update(clients)
        .set({
          assignedOperatorId: null,
          assignedAt: null,
          queuedAt: null,
          departmentId: sql`case when exists (select 1 from ${departments} d
              where d.id = ${clients.departmentId} and d.is_active) then ${clients.departmentId}
            else coalesce((select d.id from ${departments} d where d.is_default and d.is_active limit 1),
              ${clients.departmentId}) end`,
        })
        .where(eq(clients.id, client.id))
        .returning({ departmentId: clients.departmentId });
      conversationId = null;
      if (moved && moved.departmentId !== client.departmentId) {
        departmentId = moved.departmentId;
        await recordAudit(tx, actor, {
          action: 'client.transferred',
          targetType: 'client',
          targetId: client.id,
          details: { from: client.departmentId, to: departmentId, reason: 'department_inactive' },
        });
      }
    }
  }
  if (!conversationId) {
    conversationId = await openEpisode(tx, { ...client, departmentId, assignedOperatorId: operatorId });
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
      departmentId,
      language: client.language,
    });
    operatorId = route.operatorId;
    operatorInTelegram = route.operatorInTelegram;
    autoReply = route.autoReply;
  }
  return { conversationId, operatorId, operatorInTelegram, autoReply };
}
