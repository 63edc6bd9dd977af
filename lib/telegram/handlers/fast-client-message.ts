import { sql } from 'drizzle-orm';
import type { Db } from '@/db/client';
import {
  bind,
  compileStatement,
  DESK_ABORT_SQLSTATE,
  executePrepared,
  type CompiledStatement,
} from '@/db/pipeline';
import { sqlState } from '@/db/sql-state';
import { DESK_CHANNEL } from '@/lib/events/notify-desk';
import { parseCommand } from '../commands';
import { emptyEffects } from '../effects';
import { parseContent, type ParsedContent } from '../parse-content';
import type { TelegramMessage, TelegramUserPayload } from '../update-schema';
import type { HandlerOutcome } from './types';
import { clientTakesQuickMessageSql, receiveMessageUpdateSql } from '@/lib/clients/client-sql';
import { displayNameOf } from '../display-name';
import { replyTargetSql } from '../reply-target';

type FastRow = {
  eligible: boolean;
  seen: boolean;
  client_id: string | null;
  department_id: string | null;
  operator_id: string | null;
  message_id: string | null;
  new_client: boolean;
};

/** What the caller does next when the one statement did not store the message. */
export type FastPathMiss = 'full-path' | 'new-client';

/**
 * The content of a message the one-statement paths can store whole — no command, album or
 * file — or null. Parsed once here and handed to them.
 */
export function simpleContent(message: TelegramMessage): ParsedContent | null {
  if (message.media_group_id || parseCommand(message.text)) return null;
  const content = parseContent(message);
  return content.attachments.length === 0 ? content : null;
}

/**
 * The common case — a client already in an open conversation, with an operator or waiting in a
 * queue nobody can take from yet, sends a message without files — in ONE autocommitted statement: claim the update_id, insert the message, bump the
 * client, notify live views (a changed name or username takes the full path, which also keeps
 * the lock order users → clients). Each write depends on the one before, and a guard undoes
 * the statement if a later one found nothing, so it does all of it or nothing. The assigned
 * operator's Telegram notice is recorded in the outbox by the same statement. Round trips, not
 * SQL, dominate ingest cost on these machines, which is why this path exists. The client's
 * transition comes from lib/clients (receiveMessageUpdateSql). When the case is not the common
 * one (new or resolved client, a queue someone could now take from, operator, command, files,
 * album) or the
 * client changed meanwhile, returns what to try next: 'new-client' for a sender the desk has
 * never seen, else 'full-path'.
 */
export async function tryFastClientMessage(
  db: Db,
  updateId: number,
  message: TelegramMessage,
  from: TelegramUserPayload,
  content: ParsedContent, // from simpleContent(message)
): Promise<(HandlerOutcome & { duplicate?: boolean }) | FastPathMiss> {
  const values: Record<FastValue, unknown> = {
    fromId: from.id,
    firstName: from.first_name,
    lastName: from.last_name ?? null,
    username: from.username ?? null,
    languageCode: from.language_code ?? null,
    isPremium: from.is_premium ?? false,
    updateId,
    chatId: message.chat.id,
    messageId: message.message_id,
    contentKind: content.kind,
    text: content.text,
    entities: content.entities ? JSON.stringify(content.entities) : null,
    payload: content.payload ? JSON.stringify(content.payload) : null,
    raw: JSON.stringify(message), // made storable on arrival (storable-json.ts)
    replyTo: message.reply_to_message?.message_id ?? null,
    sentAt: new Date(message.date * 1000).toISOString(),
    displayName: displayNameOf(from),
    channel: DESK_CHANNEL,
  };
  const rows = (await executePrepared(db, bind(fastStatement(), values)).catch((error: unknown) => {
    if (sqlState(error) === DESK_ABORT_SQLSTATE) return null;
    throw error;
  })) as FastRow[] | null;
  if (!rows) return 'full-path';
  const row = rows[0];
  const effects = emptyEffects();
  if (row?.seen) return { status: 'ignored', reason: 'duplicate update', duplicate: true, effects };
  // A stranger's first message has its own short path; anything else uncommon, or a client
  // that changed between the check and the update, takes the full path.
  if (row && !row.eligible && row.new_client) return 'new-client';
  if (!row?.eligible || !row.client_id || !row.message_id) return 'full-path';
  return { status: 'stored', clientId: row.client_id, messageId: row.message_id, effects };
}

type FastValue =
  | 'fromId'
  | 'firstName'
  | 'lastName'
  | 'username'
  | 'languageCode'
  | 'isPremium'
  | 'updateId'
  | 'chatId'
  | 'messageId'
  | 'contentKind'
  | 'text'
  | 'entities'
  | 'payload'
  | 'raw'
  | 'replyTo'
  | 'sentAt'
  | 'displayName'
  | 'channel';

const v = (name: FastValue) => sql.placeholder(name);

let compiled: CompiledStatement | undefined;

/** The one statement, built once (its values are parameters; see compileStatement). */
function fastStatement(): CompiledStatement {
  compiled ??= compileStatement(sql`
      with eligible as (
        select c.id, c.current_conversation_id from clients c
        where c.telegram_user_id = ${v('fromId')}
          and ${clientTakesQuickMessageSql()}
          and not exists (select 1 from operators o where o.telegram_user_id = ${v('fromId')} and o.is_active)
          -- A changed profile takes the full path. Updating telegram_users here, after the
          -- clients row, would invert the full path's lock order (users, then clients): deadlock.
          and exists (
            select 1 from telegram_users tu
            where tu.id = ${v('fromId')}
              and (tu.first_name, tu.last_name, tu.username, tu.language_code, tu.is_premium)
                is not distinct from (${v('firstName')}::text, ${v('lastName')}::text,
                  ${v('username')}::text, ${v('languageCode')}::text, ${v('isPremium')}::boolean)
          )
          and not exists (select 1 from telegram_updates t where t.update_id = ${v('updateId')} and t.status <> 'failed')
          and not exists (
            select 1 from messages m where m.telegram_chat_id = ${v('chatId')} and m.telegram_message_id = ${v('messageId')}
          )
      ),
      -- The update_id first, as on the full path: a concurrent delivery of the same update waits
      -- here for the other to commit and then claims nothing, so it writes nothing at all. An
      -- earlier delivery recorded as failed is taken over: it must not swallow this one.
      upd as (
        insert into telegram_updates (update_id, kind, status)
        select ${v('updateId')}, 'message', 'processed' where exists (select 1 from eligible)
        on conflict (update_id) do update set status = 'processed', error = null, payload = null
          where telegram_updates.status = 'failed'
        returning id
      ),
      msg as (
        insert into messages (client_id, conversation_id, direction, sender_kind, content_kind, text, entities, payload,
          telegram_payload, telegram_chat_id, telegram_message_id, reply_to_message_id, reply_to_telegram_message_id,
          sent_at_telegram)
        select e.id, e.current_conversation_id, 'inbound', 'client', ${v('contentKind')}::content_kind, ${v('text')},
          ${v('entities')}::jsonb, ${v('payload')}::jsonb, ${v('raw')}::jsonb, ${v('chatId')}, ${v('messageId')},
          ${replyTargetSql(v('chatId'), v('replyTo'))}, ${v('replyTo')}::bigint, ${v('sentAt')}::timestamptz
        from eligible e join upd on true
        on conflict do nothing
        returning id, client_id
      ),
      -- Conditions are re-checked on the locked row: a client resolved, blocked or reassigned
      -- meanwhile makes this return nothing, and the guard below then undoes the whole statement.
      cl as (
        ${receiveMessageUpdateSql({
          source: sql`msg`,
          clientId: sql`msg.client_id`,
          displayName: v('displayName'),
          language: v('languageCode'),
          sentAt: v('sentAt'),
          where: sql`c.current_conversation_id = (select e.current_conversation_id from eligible e)`,
        })}
      ),
      -- The assigned operator's Telegram notice goes into the outbox in this same statement.
      noticed as (
        insert into outbox (kind, payload, chat_id)
        select 'notify_operator', jsonb_build_object('messageId', msg.id), o.telegram_user_id
        from msg join cl on cl.id = msg.client_id join operators o on o.id = cl.assigned_operator_id
        where o.telegram_user_id is not null
        returning id
      ),
      notified as (
        select pg_notify(${v('channel')}, json_build_object(
          'type', 'message.created', 'clientId', cl.id, 'messageId', msg.id,
          'departmentId', cl.department_id, 'operatorId', cl.assigned_operator_id)::text)
        from msg join cl on cl.id = msg.client_id
      )
      select exists (select 1 from eligible) as eligible,
        exists (select 1 from telegram_updates t where t.update_id = ${v('updateId')} and t.status <> 'failed') as seen,
        not exists (select 1 from clients c where c.telegram_user_id = ${v('fromId')})
          and not exists (select 1 from operators o where o.telegram_user_id = ${v('fromId')} and o.is_active) as new_client,
        cl.id as client_id, cl.department_id, cl.assigned_operator_id as operator_id,
        (select msg.id from msg) as message_id,
        (select count(*) from notified) as notified,
        (select count(*) from noticed) as noticed,
        -- Claimed the update but stored nothing (the message came in under another update_id
        -- meanwhile), or stored it but the client changed meanwhile: undo it all, full path.
        (select desk_abort('the client or message changed meanwhile')
          where exists (select 1 from upd) and not exists (select 1 from cl)) as guard
      from (select 1) one left join cl on true
    `);
  return compiled;
}
