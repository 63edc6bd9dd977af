import { sql } from 'drizzle-orm';
import type { Db } from '@/db/client';
import { rowsOf } from '@/db/rows';
import { auditActorColumns } from '@/lib/audit/record-audit';
import type { Actor } from '@/lib/auth/actor';
import { DESK_CHANNEL } from '@/lib/events/notify-desk';

export type IdleChange = { operatorId: string; from: 'online' | 'away'; to: 'away' | 'offline' };

/**
 * sync-operator-status's transition: every active operator who is online or away and has shown
 * no activity (lastSeenAt: a dashboard request or a Telegram message, lib/operators/
 * record-operator-activity.ts; a status change by a person counts too) goes away after their
 * departments' `awayAfterMinutes` and offline after `offlineAfterMinutes`. An operator of several
 * departments follows the most lenient: the largest number of minutes, and never if any of them
 * says never (null). One statement for all: status, `status_auto` (their next activity brings
 * them back online), an audit row each (`operator.status_changed`, `{ from, to, automatic: true,
 * reason: 'idle', idleMinutes }`) and a live-view event each. `now` is the clock; `dryRun`
 * only returns the changes. Returns the changes made.
 */
export async function applyIdleStatus({
  db,
  actor,
  now,
  dryRun = false,
}: {
  db: Db;
  actor: Actor;
  now: Date;
  dryRun?: boolean;
}): Promise<IdleChange[]> {
  const at = now.toISOString();
  const who = auditActorColumns(actor);
  const due = sql`
    select o.id, o.status::text as "from",
      case when t.offline_after is not null and o.idle_minutes >= t.offline_after then 'offline'
           when o.status = 'online' and t.away_after is not null and o.idle_minutes >= t.away_after then 'away'
      end as "to",
      floor(o.idle_minutes)::int as idle_minutes
    from (
      select o.*, extract(epoch from (${at}::timestamptz
        - coalesce(o.last_seen_at, o.status_changed_at, o.created_at))) / 60 as idle_minutes
      from operators o where o.is_active and o.status in ('online', 'away')
    ) o
    join lateral (
      select case when bool_or(d.away_after_minutes is null) then null else max(d.away_after_minutes) end as away_after,
        case when bool_or(d.offline_after_minutes is null) then null else max(d.offline_after_minutes) end as offline_after
      from operator_departments od join departments d on d.id = od.department_id
      where od.operator_id = o.id
    ) t on true`;
  if (dryRun) {
    const rows = rowsOf<{ id: string; from: IdleChange['from']; to: IdleChange['to'] | null }>(
      await db.execute(sql`select * from (${due}) d where d."to" is not null`),
    );
    return rows.map((r) => ({ operatorId: r.id, from: r.from, to: r.to as IdleChange['to'] }));
  }
  const rows = rowsOf<{ id: string; from: IdleChange['from']; to: IdleChange['to'] }>(
    await db.execute(sql`
      with due as (select * from (${due}) d where d."to" is not null),
      changed as (
        update operators o set status = due."to"::operator_status, status_auto = true,
          status_changed_at = ${at}::timestamptz, updated_at = ${at}::timestamptz
        from due where o.id = due.id and o.status::text = due."from"
        returning o.id, due."from", due."to", due.idle_minutes
      ),
      logged as (
        insert into operator_logs (actor_type, operator_id, api_token_id, telegram_user_id, actor_label, action,
          target_type, target_id, details, ip, user_agent)
        select ${who.actorType}::actor_type, ${who.operatorId}::uuid, ${who.apiTokenId}::uuid,
          ${who.telegramUserId}::bigint, ${who.actorLabel}, 'operator.status_changed', 'operator', c.id::text,
          jsonb_build_object('from', c."from", 'to', c."to", 'automatic', true, 'reason', 'idle',
            'idleMinutes', c.idle_minutes),
          ${who.ip}, ${who.userAgent}
        from changed c
      ),
      notified as (
        select pg_notify(${DESK_CHANNEL}, json_build_object('type', 'operator.updated', 'operatorId', c.id)::text)
        from changed c
      )
      select c.id, c."from", c."to", (select count(*) from notified) as notified from changed c`),
  );
  return rows.map((r) => ({ operatorId: r.id, from: r.from, to: r.to }));
}
