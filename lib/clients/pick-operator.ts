import { sql, type SQL } from 'drizzle-orm';
import type { DbOrTx } from '@/db/client';
import { rowsOf } from '@/db/rows';
import { auditActorColumns } from '@/lib/audit/record-audit';
import type { Actor } from '@/lib/auth/actor';
import { DESK_CHANNEL } from '@/lib/events/notify-desk';
import { pickTextSql } from '@/lib/telegram/texts';
import { assignToPickedSql, enqueueClientSql, someoneCanTakeSql } from './client-sql';

// One fixed key for pg_advisory_xact_lock: assignment decisions are serialised so concurrent
// arrivals always see each other's claims. An operator may serve several departments, so a
// per-department lock would not be enough. Only unassigned clients take it.
export const ASSIGNMENT_LOCK_KEY = 727_001;

/** Takes the assignment lock until the end of the transaction. */
export function assignmentLockSql(): SQL {
  return sql`select pg_advisory_xact_lock(${ASSIGNMENT_LOCK_KEY})`;
}

/**
 * The assignment lock, taken only when an operator of the department could take a client now.
 * A new client nobody can take is queued without it (with claimOperatorSql's `onlyUnderLock`),
 * so a full desk's strangers never wait on each other: queuing assigns nobody, and a client
 * queued while an operator was coming online is handed out by the next drain, or routed by its
 * next message (clientTakesQuickMessageSql sends it down the full path when someone has room).
 */
export function assignmentLockIfSomeoneCanTakeSql(department: SQL): SQL {
  return sql`select pg_advisory_xact_lock(${ASSIGNMENT_LOCK_KEY}) where ${someoneCanTakeSql(department)}`;
}

/** True in SQL when this transaction holds the assignment lock (an advisory lock on one bigint key). */
function holdsAssignmentLockSql(): SQL {
  return sql`exists (select 1 from pg_locks l where l.locktype = 'advisory' and l.pid = pg_backend_pid()
    and l.granted and l.classid = 0 and l.objid = ${ASSIGNMENT_LOCK_KEY} and l.objsubid = 1)`;
}

export async function lockAssignment(tx: DbOrTx) {
  await tx.execute(assignmentLockSql());
}

export type Claim = { id: string; load: number; inTelegram: boolean };

/** What a claim statement did: an operator took the client, or it entered the queue. */
export type ClaimOutcome = {
  claim: Claim | null;
  /** The client entered the queue now (it was not queued before). */
  newlyQueued: boolean;
  /** The queue auto-reply stored `queued` by the same statement (with `ifNobody: 'enqueue'`). */
  autoReply: { messageId: string; chatId: number } | null;
};

/**
 * Picks the least-loaded online, active operator of the department who is under capacity (ties
 * go to whoever was assigned least recently) and makes the assignment writes in the same
 * statement — the client, the operator's last-assigned time, the open episode, the audit row and
 * the live-view notification — so the assignment lock is held for as few round trips as
 * possible. Caller holds the assignment lock. Null when nobody can take the client.
 */
export async function claimOperator(
  tx: DbOrTx,
  actor: Actor,
  clientId: string,
  departmentId: string,
): Promise<Claim | null> {
  return claimFromRows(rowsOf(await tx.execute(claimOperatorSql(actor, clientId, departmentId))));
}

/**
 * claimOperator's statement, to send in a pipelined transaction. When nobody can take the
 * client: `ifNobody: 'abort'` fails the statement (desk_abort), so a commit already queued
 * behind it cannot leave the client unassigned and unqueued; `ifNobody: 'enqueue'` puts the
 * client in the department queue and, when it enters the queue now, stores the department's
 * queue auto-reply (`queued`, in the client's `language`) in the same statement — its
 * out-of-hours text instead when the department is closed (working hours, migration 0014's
 * desk_department_open, the same rule as isOpenAt).
 */
export function claimOperatorSql(
  actor: Actor,
  clientId: string,
  /** A uuid, SQL that yields it (a client created earlier in the same transaction), or null. */
  departmentId: string | SQL | null,
  {
    ifNobody = 'nothing',
    language = null,
    onlyUnderLock = false,
  }: {
    ifNobody?: 'nothing' | 'abort' | 'enqueue';
    language?: string | null;
    /** Claim only if this transaction holds the assignment lock (after assignmentLockIfSomeoneCanTakeSql). */
    onlyUnderLock?: boolean;
  } = {},
): SQL {
  const department =
    departmentId === null
      ? sql`null::uuid`
      : typeof departmentId === 'string'
        ? sql`${departmentId}::uuid`
        : departmentId;
  const who = auditActorColumns(actor);
  const client = sql`${clientId}::uuid`;
  return sql`
    with picked as (
      -- active_clients is kept by triggers on clients (migration 0003): reading it instead of
      -- counting each candidate's clients keeps the assignment lock short.
      select o.id, o.active_clients as load, o.telegram_user_id is not null as in_telegram
      from operators o
      join operator_departments od on od.operator_id = o.id and od.department_id = ${department}
      where o.is_active and o.status = 'online' and o.active_clients < o.capacity
        ${onlyUnderLock ? sql`and ${holdsAssignmentLockSql()}` : sql``}
      order by o.active_clients asc, o.last_assigned_at asc nulls first, o.id asc
      limit 1
    ),
    assigned as (
      ${assignToPickedSql({ source: sql`picked p`, clientId: client })}
      returning c.current_conversation_id, p.id, p.load, p.in_telegram
    ),
    touched as (
      update operators o set last_assigned_at = now() from assigned a where o.id = a.id
    ),
    episode as (
      update conversations cv set operator_id = a.id from assigned a where cv.id = a.current_conversation_id
    ),
    logged as (
      insert into operator_logs (actor_type, operator_id, api_token_id, telegram_user_id, actor_label, action,
        target_type, target_id, details, ip, user_agent)
      select ${who.actorType}::actor_type, ${who.operatorId}::uuid, ${who.apiTokenId}::uuid, ${who.telegramUserId}::bigint,
        ${who.actorLabel}, 'client.assigned', 'client', ${clientId},
        jsonb_build_object('operatorId', a.id, 'departmentId', ${department}, 'loadBefore', a.load, 'automatic', true),
        ${who.ip}, ${who.userAgent}
      from assigned a
    ),
    notified as (
      select pg_notify(${DESK_CHANNEL}, json_build_object('type', 'client.updated', 'clientId', ${client},
        'departmentId', ${department}, 'operatorId', a.id)::text)
      from assigned a
    )${
      ifNobody === 'enqueue'
        ? sql`,
    queued as (
      ${enqueueClientSql(sql`(select ${client} where not exists (select 1 from assigned))`)}
    ),
    auto_reply as (
      insert into messages (client_id, conversation_id, direction, sender_kind, content_kind, text,
        telegram_chat_id, delivery_status, delivery_due_at)
      select q.id, q.current_conversation_id, 'outbound', 'bot', 'text',
        -- Outside the department's working hours the client is told when they will be answered.
        case when desk_department_open(d.working_hours, now())
          then ${pickTextSql(sql`d.auto_reply_queued`, language, 'queued')}
          else ${pickTextSql(sql`d.auto_reply_off_hours`, language, 'offHours')} end,
        q.chat_id, 'queued', now()
      from queued q left join departments d on d.id = q.department_id
      returning id, telegram_chat_id
    )`
        : sql``
    }
    -- A plain CTE runs only when referenced: the one row below references each of them, so the
    -- notification is sent and the guard is evaluated whether or not someone was assigned.
    select a.id, a.load, a.in_telegram, (select count(*) from notified) as notified,
      ${
        ifNobody === 'enqueue'
          ? sql`exists (select 1 from queued) as newly_queued, (select r.id from auto_reply r) as auto_reply_id,
            (select r.telegram_chat_id from auto_reply r) as auto_reply_chat_id,`
          : sql`false as newly_queued, null as auto_reply_id, null as auto_reply_chat_id,`
      }
      ${
        ifNobody === 'abort'
          ? sql`(select desk_abort('nobody can take the client') from clients c
              where c.id = ${client} and not exists (select 1 from assigned))`
          : sql`null`
      } as guard
    from (select 1) one left join assigned a on true
  `;
}

type ClaimRow = {
  id: string | null;
  load: number;
  in_telegram: boolean;
  newly_queued?: boolean;
  auto_reply_id?: string | null;
  auto_reply_chat_id?: number | string | null;
};

export function claimFromRows(rows: unknown[]): Claim | null {
  return outcomeFromRows(rows).claim;
}

/** Reads a claimOperatorSql result row. */
export function outcomeFromRows(rows: unknown[]): ClaimOutcome {
  const row = rows[0] as ClaimRow | undefined;
  return {
    claim: row?.id ? { id: row.id, load: Number(row.load), inTelegram: row.in_telegram === true } : null,
    newlyQueued: row?.newly_queued === true,
    autoReply:
      row?.auto_reply_id && row.auto_reply_chat_id !== null && row.auto_reply_chat_id !== undefined
        ? { messageId: row.auto_reply_id, chatId: Number(row.auto_reply_chat_id) }
        : null,
  };
}
