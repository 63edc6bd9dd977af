import { sql } from 'drizzle-orm';
import type { DbOrTx } from '@/db/client';
import { rowsOf } from '@/db/rows';

/** Statuses that count towards an operator's load. */
export const ACTIVE_CLIENT_STATUSES = ['new', 'in_progress', 'waiting'] as const;

// One fixed key for pg_advisory_xact_lock: assignment decisions are serialised so concurrent
// arrivals always see each other's claims. An operator may serve several departments, so a
// per-department lock would not be enough. Only unassigned clients take it.
export const ASSIGNMENT_LOCK_KEY = 727_001;

export async function lockAssignment(tx: DbOrTx) {
  await tx.execute(sql`select pg_advisory_xact_lock(${ASSIGNMENT_LOCK_KEY})`);
}

/**
 * The least-loaded online, active operator of the department who is under capacity; ties go to
 * whoever was assigned least recently. Caller holds the assignment lock.
 */
export async function pickOperator(
  tx: DbOrTx,
  departmentId: string,
): Promise<{ id: string; load: number; inTelegram: boolean } | null> {
  const result = await tx.execute(sql`
    select o.id, l.load, o.telegram_user_id is not null as in_telegram
    from operators o
    join operator_departments od on od.operator_id = o.id and od.department_id = ${departmentId}
    cross join lateral (
      select count(*)::int as load from clients c
      where c.assigned_operator_id = o.id and c.status in ('new', 'in_progress', 'waiting')
    ) l
    where o.is_active and o.status = 'online' and l.load < o.capacity
    order by l.load asc, o.last_assigned_at asc nulls first, o.id asc
    limit 1
  `);
  const row = rowsOf<{ id: string; load: number; in_telegram: boolean }>(result)[0];
  return row ? { id: row.id, load: Number(row.load), inTelegram: row.in_telegram === true } : null;
}
