import { sql, type SQL, type SQLWrapper } from 'drizzle-orm';

/**
 * The stored message a Telegram reply points at, as SQL yielding its id or null: whatever part of
 * a stored message `telegramMessageId` is — the message itself, an item of an album (each item
 * keeps its own message id on its attachment), a file of an outbound message, or a later part of
 * an outbound text that was split into several Telegram messages. Ids are per chat (Bot API,
 * Message.message_id), so every lookup is within `chatId`. COALESCE evaluates its subqueries in
 * order and stops at the first hit.
 */
export function replyTargetSql(
  chatId: number | SQLWrapper,
  /** A value, or a placeholder of a compiled statement (null then finds nothing). */
  telegramMessageId: number | null | SQLWrapper,
): SQL {
  if (telegramMessageId === null) return sql`null::uuid`;
  return sql`coalesce(
    (select m.id from messages m where m.telegram_chat_id = ${chatId}::bigint
      and m.telegram_message_id = ${telegramMessageId}::bigint),
    (select a.message_id from attachments a join messages m on m.id = a.message_id
      where a.telegram_message_id = ${telegramMessageId}::bigint and m.telegram_chat_id = ${chatId}::bigint limit 1),
    (select m.id from messages m where m.telegram_chat_id = ${chatId}::bigint
      and m.telegram_extra_message_ids @> to_jsonb(${telegramMessageId}::bigint) limit 1)
  )`;
}
