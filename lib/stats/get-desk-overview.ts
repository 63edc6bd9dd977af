import { sql, type SQL } from 'drizzle-orm';
import type { DbOrTx } from '@/db/client';
import { rowsOf } from '@/db/rows';
import type { Actor } from '@/lib/auth/actor';
import { requireStaff } from '@/lib/auth/permissions';
import { startOfLocalDay } from '@/lib/time/local-day-range';

export type DeskOverview = {
  /** Open clients by status, and resolved today. */
  clients: { new: number; inProgress: number; waiting: number; blocked: number; resolvedToday: number };
  /** Clients in the queue, and since when the longest has waited (ISO, null if none). */
  queue: { count: number; oldestSince: string | null };
  /** Active operators online, and in total; load of those online (active clients / capacity). */
  operators: { online: number; total: number; load: number; capacity: number };
  /** Messages since the start of today in the viewer's time zone. */
  messagesToday: { inbound: number; outbound: number };
  /** Median seconds from an episode's start to the desk's first answer, for first answers today. */
  firstResponseMedianSec: number | null;
  /** Start of "today" used (ISO). */
  since: string;
};

/**
 * The overview's numbers for what the actor oversees (admins: the whole desk; others: their
 * departments), "today" starting at midnight in `timeZone`. Four indexed statements; the
 * messages of the day are counted from an index alone (messages_created_direction_idx).
 */
export async function getDeskOverview({
  db,
  actor,
  now = new Date(),
  timeZone = 'UTC',
}: {
  db: DbOrTx;
  actor: Actor;
  now?: Date;
  timeZone?: string;
}): Promise<DeskOverview> {
  const staff = requireStaff(actor);
  const all = staff.role === 'admin';
  const departments =
    staff.departmentIds.length > 0 ? staff.departmentIds : ['00000000-0000-0000-0000-000000000000'];
  const inDepartments = (column: SQL) =>
    all
      ? sql`true`
      : sql`${column} in (${sql.join(
          departments.map((d) => sql`${d}::uuid`),
          sql`, `,
        )})`;
  const since = startOfLocalDay(now, timeZone);
  const sinceIso = since.toISOString();

  const [clientRows, operatorRows, messageRows, episodeRows] = await Promise.all([
    // Counts by status from the status indexes alone (an index-only scan of the open and blocked
    // clients, not a read of every client but the resolved), the queue from the unassigned ones.
    db.execute(sql`
      select s.new, s.in_progress, s.waiting, s.blocked, q.queued, q.oldest
      from (
        select
          count(*) filter (where status = 'new') as new,
          count(*) filter (where status = 'in_progress') as in_progress,
          count(*) filter (where status = 'waiting') as waiting,
          count(*) filter (where status = 'blocked') as blocked
        from clients
        where status in ('new', 'in_progress', 'waiting', 'blocked') and ${inDepartments(sql`department_id`)}
      ) s, (
        select count(*) filter (where queued_at is not null) as queued, min(queued_at) as oldest
        from clients
        where assigned_operator_id is null and status in ('new', 'in_progress', 'waiting')
          and ${inDepartments(sql`department_id`)}
      ) q`),
    db.execute(sql`
      select count(*) filter (where o.status = 'online') as online, count(*) as total,
        coalesce(sum(o.active_clients) filter (where o.status = 'online'), 0) as load,
        coalesce(sum(o.capacity) filter (where o.status = 'online'), 0) as capacity
      from operators o
      where o.is_active and (${
        all
          ? sql`true`
          : sql`exists (select 1 from operator_departments od
        where od.operator_id = o.id and ${inDepartments(sql`od.department_id`)})`
      })`),
    db.execute(sql`
      select count(*) filter (where m.direction = 'inbound') as inbound,
        count(*) filter (where m.direction = 'outbound' and m.sender_kind in ('operator', 'system')) as outbound
      from messages m ${all ? sql`` : sql`join clients c on c.id = m.client_id`}
      where m.created_at >= ${sinceIso}::timestamptz ${all ? sql`` : sql`and ${inDepartments(sql`c.department_id`)}`}`),
    db.execute(sql`
      select
        (select count(*) from conversations where resolved_at >= ${sinceIso}::timestamptz
          and ${inDepartments(sql`department_id`)}) as resolved,
        (select percentile_cont(0.5) within group (order by extract(epoch from first_response_at - opened_at))
          from conversations where first_response_at >= ${sinceIso}::timestamptz
          and ${inDepartments(sql`department_id`)}) as median`),
  ]);
  const c = rowsOf<Record<string, unknown>>(clientRows)[0] ?? {};
  const o = rowsOf<Record<string, unknown>>(operatorRows)[0] ?? {};
  const m = rowsOf<Record<string, unknown>>(messageRows)[0] ?? {};
  const e = rowsOf<Record<string, unknown>>(episodeRows)[0] ?? {};
  const num = (v: unknown) => Number(v ?? 0);
  const oldest = c.oldest
    ? new Date(String(c.oldest instanceof Date ? c.oldest.toISOString() : c.oldest))
    : null;
  return {
    clients: {
      new: num(c.new),
      inProgress: num(c.in_progress),
      waiting: num(c.waiting),
      blocked: num(c.blocked),
      resolvedToday: num(e.resolved),
    },
    queue: { count: num(c.queued), oldestSince: oldest ? oldest.toISOString() : null },
    operators: { online: num(o.online), total: num(o.total), load: num(o.load), capacity: num(o.capacity) },
    messagesToday: { inbound: num(m.inbound), outbound: num(m.outbound) },
    firstResponseMedianSec: e.median === null || e.median === undefined ? null : Math.round(Number(e.median)),
    since: sinceIso,
  };
}
