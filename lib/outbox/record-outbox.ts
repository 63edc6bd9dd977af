import { sql } from 'drizzle-orm';
import type { DbOrTx } from '@/db/client';
import { outbox } from '@/db/schema';
import type { BotCall, Effects, OperatorNotification, RelayEdit } from '@/lib/telegram/effects';

/**
 * One piece of follow-up work for the outbox. Sends (`send_message`) and downloads
 * (`download_attachment`) are recorded by the database itself when a message is queued or a
 * file stored (triggers, migration 0017); the sweep re-records them with the same dedupe key.
 */
export type OutboxItem =
  | { kind: 'send_message'; payload: { messageId: string }; chatId: number }
  | { kind: 'download_attachment'; payload: { attachmentId: string } }
  | { kind: 'notify_operator'; payload: OperatorNotification }
  | { kind: 'bot_call'; payload: BotCall }
  | { kind: 'drain_queue'; payload: { operatorId: string } }
  | { kind: 'relay_edit'; payload: RelayEdit };

/** The chat a Bot API call writes to (`chat_id`), for the per-chat pace; null when none. */
function botCallChat(call: BotCall): number | null {
  const chat = call.payload.chat_id;
  return typeof chat === 'number' && Number.isSafeInteger(chat) ? chat : null;
}

/**
 * Records follow-up work in the caller's transaction, so it exists exactly when the change
 * commits (the transactional outbox). One INSERT for all items; nothing when there are none.
 * Run it inside the change's transaction and call kickOutbox() after commit. An operator
 * notice is paced on the operator's chat, found here from the message's assigned operator.
 * Sends and downloads keep one row per message or file (`dedupe_key`): recording one again is a
 * no-op. Throws what the database throws (the caller's transaction then rolls back whole).
 */
export async function recordOutbox(tx: DbOrTx, items: OutboxItem[]): Promise<void> {
  if (items.length === 0) return;
  await tx
    .insert(outbox)
    .values(
      items.map((item) => {
        switch (item.kind) {
          case 'send_message':
            return {
              kind: item.kind,
              payload: item.payload,
              chatId: item.chatId,
              dedupeKey: `send:${item.payload.messageId}`,
            };
          case 'download_attachment':
            return {
              kind: item.kind,
              payload: item.payload,
              dedupeKey: `download:${item.payload.attachmentId}`,
            };
          case 'notify_operator':
            return {
              kind: item.kind,
              payload: item.payload,
              chatId: sql`(select o.telegram_user_id from messages m join clients c on c.id = m.client_id
                join operators o on o.id = c.assigned_operator_id where m.id = ${item.payload.messageId}::uuid)`,
            };
          case 'bot_call':
            return { kind: item.kind, payload: item.payload, chatId: botCallChat(item.payload) };
          case 'drain_queue':
            return { kind: item.kind, payload: item.payload };
          case 'relay_edit':
            return { kind: item.kind, payload: item.payload };
        }
      }),
    )
    .onConflictDoNothing({ target: outbox.dedupeKey });
}

/** The outbox items of an update's effects (see Effects), in the order they were asked for. */
export function effectsToOutbox(effects: Effects): OutboxItem[] {
  return [
    ...effects.botCalls.map((payload) => ({ kind: 'bot_call' as const, payload })),
    ...effects.relayEdits.map((payload) => ({ kind: 'relay_edit' as const, payload })),
    ...[...new Set(effects.drains)].map((operatorId) => ({
      kind: 'drain_queue' as const,
      payload: { operatorId },
    })),
    ...effects.notifications.map((payload) => ({ kind: 'notify_operator' as const, payload })),
  ];
}

/** recordOutbox for an update's effects, in the update's transaction. */
export function recordEffects(tx: DbOrTx, effects: Effects): Promise<void> {
  return recordOutbox(tx, effectsToOutbox(effects));
}
