import { randomUUID } from 'node:crypto';
import { sql } from 'drizzle-orm';
import type { Db } from '@/db/client';
import { DESK_ABORT_SQLSTATE, pipelinedTransaction } from '@/db/pipeline';
import { sqlState } from '@/db/sql-state';
import { newClientInsertSql } from '@/lib/clients/client-sql';
import { assignmentLockIfSomeoneCanTakeSql, claimOperatorSql } from '@/lib/clients/pick-operator';
import type { TelegramActor } from '@/lib/auth/actor';
import { DESK_CHANNEL } from '@/lib/events/notify-desk';
import { emptyEffects } from '../effects';
import type { ParsedContent } from '../parse-content';
import type { TelegramMessage, TelegramUserPayload } from '../update-schema';
import type { HandlerOutcome } from './types';
import { displayNameOf } from '../display-name';
import { replyTargetSql } from '../reply-target';

type CreatedRow = { claimed: boolean; client_id: string | null };

/**
 * A first message from someone the desk has never seen, without files: the same rows as the
 * full path (Telegram user, client in the default department, episode, message, update claim,
 * assignment with its audit row, live-view notifications) in one transaction whose BEGIN,
 * three statements — create, take the assignment lock, claim an operator — and COMMIT are sent
 * together. Postgres runs them back to back, so the assignment lock is held for the claim and
 * the commit only, never for a round trip to this busy process: new clients arriving together
 * are assigned as fast as Postgres can commit. Ids are made here so the claim can name the
 * client the first statement creates.
 *
 * When nobody can take the client, the claim statement queues it and stores the department's
 * queue auto-reply instead (lib/clients/pick-operator.ts), still in the same transaction — and
 * without the assignment lock, which is taken only when someone could take the client: on a
 * full desk, strangers writing at once do not wait on each other.
 *
 * Lock order is the full path's: user and client rows first, the assignment lock last.
 * Returns null, with nothing written, when the case does not apply: the sender became known or
 * the update was claimed meanwhile.
 */
export async function tryNewClientMessage(
  db: Db,
  updateId: number,
  message: TelegramMessage,
  from: TelegramUserPayload,
  content: ParsedContent, // from simpleContent(message)
): Promise<HandlerOutcome | null> {
  const ids = { client: randomUUID(), conversation: randomUUID(), message: randomUUID() };
  const sentAt = new Date(message.date * 1000).toISOString();
  const replyTo = message.reply_to_message?.message_id ?? null;
  const name = displayNameOf(from);
  const actor: TelegramActor = { kind: 'telegram', telegramUserId: from.id, name };

  const create = sql`
    with upd as (
      insert into telegram_updates (update_id, kind, status)
      select ${updateId}, 'message', 'processed'
      where not exists (select 1 from clients c where c.telegram_user_id = ${from.id})
        and not exists (select 1 from operators o where o.telegram_user_id = ${from.id} and o.is_active)
      -- An earlier delivery recorded as failed is taken over: it must not swallow this one.
      on conflict (update_id) do update set status = 'processed', error = null, payload = null
        where telegram_updates.status = 'failed'
      returning id
    ),
    tu as (
      insert into telegram_users (id, is_bot, first_name, last_name, username, language_code, is_premium)
      select ${from.id}, ${from.is_bot}, ${from.first_name}, ${from.last_name ?? null}, ${from.username ?? null},
        ${from.language_code ?? null}, ${from.is_premium ?? false}
      from upd
      on conflict (id) do update set first_name = excluded.first_name, last_name = excluded.last_name,
        username = excluded.username, language_code = excluded.language_code, is_premium = excluded.is_premium,
        updated_at = now()
      returning id
    ),
    cl as (
      ${newClientInsertSql({
        source: sql`tu`,
        id: ids.client,
        chatId: message.chat.id,
        displayName: name,
        language: from.language_code ?? null,
        sentAt,
        conversationId: ids.conversation,
      })}
    ),
    cv as (
      insert into conversations (id, client_id, department_id)
      select ${ids.conversation}::uuid, cl.id, cl.department_id from cl
      returning id
    ),
    msg as (
      insert into messages (id, client_id, conversation_id, direction, sender_kind, content_kind, text, entities,
        payload, telegram_payload, telegram_chat_id, telegram_message_id, reply_to_message_id,
        reply_to_telegram_message_id, sent_at_telegram)
      select ${ids.message}::uuid, cl.id, cv.id, 'inbound', 'client', ${content.kind}, ${content.text},
        ${content.entities ? JSON.stringify(content.entities) : null}::jsonb,
        ${content.payload ? JSON.stringify(content.payload) : null}::jsonb,
        ${JSON.stringify(message)}::jsonb,
        ${message.chat.id}, ${message.message_id}, ${replyTargetSql(message.chat.id, replyTo)},
        ${replyTo}, ${sentAt}::timestamptz
      from cl join cv on true
      returning id
    ),
    notified as (
      select pg_notify(${DESK_CHANNEL}, json_build_object('type', 'message.created', 'clientId', cl.id,
        'messageId', msg.id, 'departmentId', cl.department_id, 'operatorId', null)::text)
      from cl join msg on true
    )
    select exists (select 1 from upd) as claimed, cl.id as client_id, (select count(*) from notified) as notified,
      -- Claimed the update but another delivery created the client first: commit nothing.
      (select desk_abort('the client was created meanwhile')
        where exists (select 1 from upd) and not exists (select 1 from cl)) as guard
    from (select 1) one left join cl on true
  `;

  try {
    const department = sql`(select department_id from clients where id = ${ids.client}::uuid)`;
    const [createdRows = []] = await pipelinedTransaction(db, [
      create,
      assignmentLockIfSomeoneCanTakeSql(department),
      claimOperatorSql(actor, ids.client, department, {
        ifNobody: 'enqueue',
        language: from.language_code ?? null,
        onlyUnderLock: true,
      }),
      // The assigned operator's Telegram notice, in the outbox in the same transaction (one
      // more statement in the pipeline, no more round trips).
      sql`insert into outbox (kind, payload, chat_id)
        select 'notify_operator', jsonb_build_object('messageId', ${ids.message}::text), o.telegram_user_id
        from clients c join operators o on o.id = c.assigned_operator_id
        where c.id = ${ids.client}::uuid and o.telegram_user_id is not null`,
    ]);
    const created = createdRows[0] as CreatedRow | undefined;
    if (!created?.claimed) return null; // a known sender, or the update was claimed: nothing written
    // The operator's notice (when they work in Telegram) was recorded in the outbox by the
    // pipeline's last statement; the queue auto-reply by the database on insert.
    return { status: 'stored', clientId: ids.client, messageId: ids.message, effects: emptyEffects() };
  } catch (error) {
    if (sqlState(error) === DESK_ABORT_SQLSTATE) return null;
    throw error;
  }
}
