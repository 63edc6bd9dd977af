import { sql, type SQL } from 'drizzle-orm';
import type { DbOrTx } from '@/db/client';
import { rowsOf } from '@/db/rows';
import { auditActorColumns } from '@/lib/audit/record-audit';
import type { Actor } from '@/lib/auth/actor';
import { DESK_CHANNEL } from '@/lib/events/notify-desk';

/** Statuses that count towards an operator's load. */
export const ACTIVE_CLIENT_STATUSES = ['new', 'in_progress', 'waiting'] as const;

// One fixed key for pg_advisory_xact_lock: assignment decisions are serialised so concurrent
// arrivals always see each other's claims. An operator may serve several departments, so a
// per-department lock would not be enough. Only unassigned clients take it.
export const ASSIGNMENT_LOCK_KEY = 727_001;

/** Takes the assignment lock until the end of the transaction. */
export function assignmentLockSql(): SQL {
  return sql`select pg_advisory_xact_lock(${ASSIGNMENT_LOCK_KEY})`;
}

export async function lockAssignment(tx: DbOrTx) {
  await tx.execute(assignmentLockSql());
}

export type Claim = { id: string; load: number; inTelegram: boolean };

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
 * claimOperator's statement, to send in a pipelined transaction. With `abortIfNobody` the
 * statement fails (desk_abort) when the client exists but nobody could take it, so a commit
 * already queued behind it cannot leave the client unassigned and unqueued.
 */
export function claimOperatorSql(
  actor: Actor,
  clientId: string,
  /** A uuid, or SQL that yields it (a client created earlier in the same transaction). */
  departmentId: string | SQL,
  { abortIfNobody = false }: { abortIfNobody?: boolean } = {},
): SQL {
  const department = typeof departmentId === 'string' ? sql`${departmentId}::uuid` : departmentId;
  const who = auditActorColumns(actor);
  return sql`
    with picked as (
      -- active_clients is kept by triggers on clients (migration 0003): reading it instead of
      -- counting each candidate's clients keeps the assignment lock short.
      select o.id, o.active_clients as load, o.telegram_user_id is not null as in_telegram
      from operators o
      join operator_departments od on od.operator_id = o.id and od.department_id = ${department}
      where o.is_active and o.status = 'online' and o.active_clients < o.capacity
      order by o.active_clients asc, o.last_assigned_at asc nulls first, o.id asc
      limit 1
    ),
    assigned as (
      update clients c set assigned_operator_id = p.id, assigned_at = now(), queued_at = null, updated_at = now()
      from picked p
      where c.id = ${clientId} and c.assigned_operator_id is null
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
      select pg_notify(${DESK_CHANNEL}, json_build_object('type', 'client.updated', 'clientId', ${clientId}::uuid,
        'departmentId', ${department}, 'operatorId', a.id)::text)
      from assigned a
    )
    -- A plain CTE runs only when referenced: the one row below references both, so the
    -- notification is sent and the guard is evaluated whether or not someone was assigned.
    select a.id, a.load, a.in_telegram, (select count(*) from notified) as notified,
      ${
        abortIfNobody
          ? sql`(select desk_abort('nobody can take the client') from clients c
              where c.id = ${clientId}::uuid and not exists (select 1 from assigned))`
          : sql`null`
      } as guard
    from (select 1) one left join assigned a on true
  `;
}

export function claimFromRows(rows: unknown[]): Claim | null {
  const row = rows[0] as { id: string | null; load: number; in_telegram: boolean } | undefined;
  return row?.id ? { id: row.id, load: Number(row.load), inTelegram: row.in_telegram === true } : null;
}
