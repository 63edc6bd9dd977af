import { sql } from 'drizzle-orm';
import type { Db, Tx } from '@/db/client';
import { rowsOf } from '@/db/rows';
import { auditActorColumns } from '@/lib/audit/record-audit';
import type { Actor } from '@/lib/auth/actor';
import { DESK_CHANNEL } from '@/lib/events/notify-desk';
import { AWAITING_ANSWER_STATUSES, statusInSql } from './client-status';
import { lockAssignment } from './pick-operator';
import {
  planReassignment,
  type CandidateOperator,
  type ClientToMove,
  type PlannedMove,
  type ReassignReason,
} from './plan-reassignment';

/** A move that was made: the client's name for the operators' notices. */
export type AppliedMove = PlannedMove & { displayName: string };

export type ReassignOutcome = {
  /** Moves made (on a dry run: the moves that would be made, `displayName` included). */
  moves: AppliedMove[];
  /** Clients found to move whom nobody could take and who stay (overdue, nobody free). */
  stayed: number;
};

/** A Postgres array literal of uuids (or null), for `…::uuid[]`: one parameter, any length. */
function uuidArray(values: readonly (string | null)[]): string {
  return `{${values.map((v) => (v === null ? 'NULL' : `"${v.replace(/["\\]/g, '')}"`)).join(',')}}`;
}

/**
 * The reassign-by-load transition for every client who needs it, in one transaction under the
 * assignment lock (so no automatic assignment races it):
 *  - clients awaiting an answer (new, waiting) whose operator is offline or deactivated;
 *  - the newest-assigned awaiting clients of an operator holding more active clients than their
 *    capacity, as many as they are over;
 *  - clients whose answer is overdue (`answer_due_at` ≤ `now`: the department's response-time
 *    limit, kept by a trigger, migration 0014).
 * Each goes to the least-loaded available colleague of the department (planReassignment) or,
 * when nobody can take them, back to the queue — except an overdue client, who stays. At most
 * `limit` clients per call, longest overdue first. A move is applied only if the client is still
 * with the same operator and still awaiting an answer (someone may have answered meanwhile).
 * The writes are set-based (one statement for all moves): the client, the episode's operator,
 * both operators' `active_clients` and the target's last assignment (one update per operator
 * involved: the per-row counting trigger stands aside for this statement, migration 0018), an
 * audit row per client (`client.reassigned` or `client.returned_to_queue`, `{ operatorId,
 * previousOperatorId, reason, automatic: true }`, its department given so the audit trigger need
 * not look it up) and a live-view event per client. The new operator's answer clock starts
 * again (the trigger).
 * `dryRun`: plans and returns the moves, writes nothing. `onMoved` runs in the same transaction
 * with the moves made (the job records the operators' notices in the outbox there).
 */
export async function reassignClients({
  db,
  actor,
  now,
  dryRun = false,
  limit = 10_000,
  onMoved,
}: {
  db: Db;
  actor: Actor;
  now: Date;
  dryRun?: boolean;
  limit?: number;
  onMoved?: (tx: Tx, moves: AppliedMove[]) => Promise<void>;
}): Promise<ReassignOutcome> {
  return db.transaction(async (tx) => {
    if (!dryRun) await lockAssignment(tx);
    const at = now.toISOString();
    const found = rowsOf<{
      id: string;
      department_id: string | null;
      operator_id: string;
      display_name: string;
      reason: ReassignReason;
    }>(
      await tx.execute(sql`
        with awaiting as (
          select c.id, c.department_id, c.assigned_operator_id, c.display_name, c.answer_due_at, c.assigned_at,
            (not o.is_active or o.status = 'offline') as operator_gone,
            row_number() over (partition by c.assigned_operator_id
              order by c.assigned_at desc nulls last, c.id desc) <= o.active_clients - o.capacity as over_capacity
          from clients c join operators o on o.id = c.assigned_operator_id
          where ${statusInSql(sql`c.status`, AWAITING_ANSWER_STATUSES)}
        )
        select id, department_id, assigned_operator_id as operator_id, display_name,
          case when operator_gone then 'operator_offline'
               when over_capacity then 'over_capacity'
               else 'response_time_limit' end as reason
        from awaiting
        where operator_gone or over_capacity or answer_due_at <= ${at}::timestamptz
        order by answer_due_at asc nulls last, assigned_at asc nulls last, id
        limit ${limit}`),
    );
    if (found.length === 0) return { moves: [], stayed: 0 };
    const operatorRows = rowsOf<{
      id: string;
      department_ids: string[] | string | null;
      load: number;
      capacity: number;
      available: boolean;
      last_assigned_at: string | Date | null;
    }>(
      await tx.execute(sql`
        select o.id, array_agg(od.department_id) as department_ids, o.active_clients as load, o.capacity,
          (o.is_active and o.status = 'online') as available, o.last_assigned_at
        from operators o join operator_departments od on od.operator_id = o.id
        group by o.id`),
    );
    const operators: CandidateOperator[] = operatorRows.map((o) => ({
      id: o.id,
      departmentIds: parseUuidArray(o.department_ids),
      load: Number(o.load),
      capacity: Number(o.capacity),
      available: o.available === true,
      lastAssignedAt: o.last_assigned_at ? new Date(o.last_assigned_at) : null,
    }));
    const names = new Map(found.map((c) => [c.id, c.display_name]));
    const toMove: ClientToMove[] = found.map((c) => ({
      clientId: c.id,
      departmentId: c.department_id,
      fromOperatorId: c.operator_id,
      reason: c.reason,
    }));
    const planned = planReassignment(toMove, operators, now);
    const stayed = found.length - planned.length;
    if (dryRun || planned.length === 0) {
      return { moves: planned.map((m) => ({ ...m, displayName: names.get(m.clientId) ?? '' })), stayed };
    }
    const who = auditActorColumns(actor);
    // This statement keeps operators.active_clients itself (`counted`, one update per operator
    // involved); the per-row trigger stands aside while the setting is on (migration 0018).
    await tx.execute(sql`select set_config('desk.bulk_assignment', 'on', true)`);
    const moved = rowsOf<{ id: string }>(
      await tx.execute(sql`
        with v as (
          select * from unnest(
            ${uuidArray(planned.map((m) => m.clientId))}::uuid[],
            ${uuidArray(planned.map((m) => m.fromOperatorId))}::uuid[],
            ${uuidArray(planned.map((m) => m.toOperatorId))}::uuid[],
            ${`{${planned.map((m) => m.reason).join(',')}}`}::text[]
          ) as v(id, from_op, to_op, reason)
        ),
        moved as (
          update clients c set assigned_operator_id = v.to_op,
            assigned_at = case when v.to_op is null then null else ${at}::timestamptz end,
            queued_at = case when v.to_op is null then ${at}::timestamptz else null end,
            updated_at = ${at}::timestamptz
          from v
          where c.id = v.id and c.assigned_operator_id = v.from_op
            and ${statusInSql(sql`c.status`, AWAITING_ANSWER_STATUSES)}
          returning c.id, c.department_id, c.current_conversation_id, v.from_op, v.to_op, v.reason
        ),
        episode as (
          update conversations cv set operator_id = m.to_op
          from moved m where cv.id = m.current_conversation_id and m.to_op is not null
        ),
        counted as (
          update operators o set active_clients = o.active_clients + d.delta,
            last_assigned_at = case when d.received then ${at}::timestamptz else o.last_assigned_at end
          from (
            select op, sum(delta)::int as delta, bool_or(received) as received
            from (select from_op as op, -1 as delta, false as received from moved
                  union all select to_op, 1, true from moved where to_op is not null) x
            group by op
          ) d
          where o.id = d.op
        ),
        logged as (
          insert into operator_logs (actor_type, operator_id, api_token_id, telegram_user_id, actor_label, action,
            target_type, target_id, department_id, details, ip, user_agent)
          select ${who.actorType}::actor_type, ${who.operatorId}::uuid, ${who.apiTokenId}::uuid,
            ${who.telegramUserId}::bigint, ${who.actorLabel},
            case when m.to_op is null then 'client.returned_to_queue' else 'client.reassigned' end,
            'client', m.id::text, m.department_id,
            jsonb_build_object('operatorId', m.to_op, 'previousOperatorId', m.from_op, 'reason', m.reason,
              'automatic', true),
            ${who.ip}, ${who.userAgent}
          from moved m
        ),
        notified as (
          select pg_notify(${DESK_CHANNEL}, json_build_object('type', 'client.updated', 'clientId', m.id,
            'departmentId', m.department_id, 'operatorId', m.to_op)::text)
          from moved m
        )
        select m.id, (select count(*) from notified) as notified from moved m`),
    );
    await tx.execute(sql`select set_config('desk.bulk_assignment', 'off', true)`);
    const done = new Set(moved.map((m) => m.id));
    const moves = planned
      .filter((m) => done.has(m.clientId))
      .map((m) => ({ ...m, displayName: names.get(m.clientId) ?? '' }));
    if (onMoved && moves.length > 0) await onMoved(tx, moves);
    return { moves, stayed };
  });
}

/** array_agg of uuids: an array from postgres.js, a `{a,b}` literal from PGlite's text form. */
function parseUuidArray(value: string[] | string | null): string[] {
  if (Array.isArray(value)) return value;
  if (!value) return [];
  return value
    .replace(/^\{|\}$/g, '')
    .split(',')
    .filter(Boolean);
}
