import { sql, type SQL, type SQLWrapper } from 'drizzle-orm';
import { ACTIVE_CLIENT_STATUSES, statusAfterSql, statusesKeepingEpisode, statusInSql } from './client-status';

// SQL fragments of client-state writes for the ingest hot paths, which must store a message in
// one statement or one pipelined transaction. They are the same transitions as the functions in
// this folder (statuses come from `transition` through `statusAfterSql`); keep them beside them.

/** Statuses from which a client's message changes nothing but the status itself (no episode change). */
export const MESSAGE_KEEPS_EPISODE = statusesKeepingEpisode({ type: 'message_received' });

/**
 * Whether the client row `c` can take a message on the one-statement path: an active status,
 * an open episode, and either an operator or a place in the queue that nobody can take yet (an
 * operator with room in the client's department sends the message down the full path, which
 * assigns the client under the assignment lock). A queued client's messages thus never take the
 * assignment lock while the desk is full.
 */
export function clientTakesQuickMessageSql(): SQL {
  return sql`${statusInSql(sql`c.status`, MESSAGE_KEEPS_EPISODE)}
    and c.current_conversation_id is not null
    and (c.assigned_operator_id is not null or (c.queued_at is not null and not ${someoneCanTakeSql(sql`c.department_id`)}))`;
}

/**
 * `exists (…)`: an active operator of the department is online with room (active clients under
 * capacity) — the operators automatic assignment may pick (claimOperatorSql).
 */
export function someoneCanTakeSql(department: SQL): SQL {
  return sql`exists (
      select 1 from operators o
      join operator_departments od on od.operator_id = o.id and od.department_id = ${department}
      where o.is_active and o.status = 'online' and o.active_clients < o.capacity)`;
}

/**
 * `update clients c …` for a client's new message on the one-statement path: activity times,
 * one more unread message, the `message_received` status transition and the client's refreshed
 * name and language. `source` is the FROM list that defines `clientId`, `where` extra guards.
 * Returns the client's id, department and operator (the caller records the operator's Telegram
 * notice in the outbox itself).
 */
export function receiveMessageUpdateSql(p: {
  source: SQL;
  clientId: SQL;
  /** Values, or placeholders of a compiled statement. */
  displayName: string | SQLWrapper;
  language: string | null | SQLWrapper;
  /** ISO 8601. */
  sentAt: string | SQLWrapper;
  where: SQL;
}): SQL {
  return sql`
    update clients c set
      display_name = ${p.displayName}::text,
      language = coalesce(${p.language}::text, c.language),
      last_message_at = greatest(c.last_message_at, ${p.sentAt}::timestamptz),
      last_inbound_at = greatest(c.last_inbound_at, ${p.sentAt}::timestamptz),
      unread_count = c.unread_count + 1,
      status = ${statusAfterSql({ type: 'message_received' }, { status: sql`c.status`, statusBeforeBlock: sql`c.status_before_block` })},
      updated_at = now()
    from ${p.source}
    where c.id = ${p.clientId} and ${clientTakesQuickMessageSql()} and ${p.where}
    returning c.id, c.department_id, c.assigned_operator_id`;
}

/**
 * `insert into clients …` for someone's first message: a `new` client in the default
 * department, with one unread message and the given (pre-made) episode id. `source` is a FROM
 * list yielding the Telegram user row as `tu`. Does nothing if the client exists.
 */
export function newClientInsertSql(p: {
  source: SQL;
  id: string;
  chatId: number;
  displayName: string;
  language: string | null;
  sentAt: string;
  conversationId: string;
}): SQL {
  return sql`
    insert into clients (id, telegram_user_id, chat_id, display_name, language, department_id, status,
      last_message_at, last_inbound_at, unread_count, current_conversation_id)
    select ${p.id}::uuid, tu.id, ${p.chatId}, ${p.displayName}, ${p.language},
      (select id from departments where is_default and is_active limit 1), 'new',
      ${p.sentAt}::timestamptz, ${p.sentAt}::timestamptz, 1, ${p.conversationId}::uuid
    from ${p.source}
    on conflict (telegram_user_id) do nothing
    returning id, department_id, language`;
}

/**
 * `update clients c …` giving an unassigned client to the operator `p` (a FROM list with `p.id`):
 * the assignment half of a claim; the caller holds the assignment lock.
 */
export function assignToPickedSql(p: { source: SQL; clientId: SQL }): SQL {
  return sql`
    update clients c set assigned_operator_id = p.id, assigned_at = now(), queued_at = null, updated_at = now()
    from ${p.source}
    where c.id = ${p.clientId} and c.assigned_operator_id is null
      and ${statusInSql(sql`c.status`, ACTIVE_CLIENT_STATUSES)}`;
}

/**
 * `update clients c …` putting an unassigned client in its department's queue, if it is not
 * there yet; returns the rows that entered the queue now (the auto-reply is sent once).
 */
export function enqueueClientSql(clientId: SQL): SQL {
  return sql`
    update clients c set queued_at = now(), updated_at = now()
    where c.id = ${clientId} and c.assigned_operator_id is null and c.queued_at is null
    returning c.id, c.department_id, c.chat_id, c.language, c.current_conversation_id`;
}
