import { and, asc, eq, gte, inArray } from 'drizzle-orm';
import type { DbOrTx } from '@/db/client';
import { operatorDailyStats, operators } from '@/db/schema';
import type { Actor, StaffActor } from '@/lib/auth/actor';
import { requireStaff } from '@/lib/auth/permissions';
import { AppError } from '@/lib/errors';
import { operatorTimeZone } from '@/lib/jobs/operator-stats';
import { getOperatorOrThrow } from '@/lib/operators/get-operator-or-throw';
import { localDaysBefore } from '@/lib/time/local-day-range';

export type OperatorDayStats = {
  day: string;
  handledConversations: number;
  messagesSent: number;
  firstResponseMedianSec: number | null;
  resolutionMedianSec: number | null;
  ratingsCount: number;
  ratingAverage: number | null;
};

/** Sums over a period: conversations, messages, ratings (the mean weighted by each day's count). */
export type OperatorStatsTotals = {
  handledConversations: number;
  messagesSent: number;
  ratingsCount: number;
  ratingAverage: number | null;
};

export type OperatorStats = {
  operatorId: string;
  /** The zone the operator's days are counted in (their profile's, UTC without one). */
  timeZone: string;
  /** The first day of the period (yyyy-mm-dd); the period runs to yesterday, the last counted day. */
  since: string;
  days: OperatorDayStats[];
  totals: OperatorStatsTotals;
};

/**
 * Whether the actor may read an operator's figures (response times, ratings): admins anyone's,
 * supervisors those of the people they see (their departments' members), operators only their
 * own; a token of the operator role is no one's person, so no one's. The operator must be
 * visible to the actor at all (getOperatorOrThrow's 404) before this is asked.
 */
export function canViewOperatorStats(actor: StaffActor, operatorId: string): boolean {
  if (actor.role !== 'operator') return true;
  return actor.kind === 'operator' && actor.operatorId === operatorId;
}

function totalsOf(days: OperatorDayStats[]): OperatorStatsTotals {
  const ratingsCount = days.reduce((sum, d) => sum + d.ratingsCount, 0);
  const ratingSum = days.reduce((sum, d) => sum + (d.ratingAverage ?? 0) * d.ratingsCount, 0);
  return {
    handledConversations: days.reduce((sum, d) => sum + d.handledConversations, 0),
    messagesSent: days.reduce((sum, d) => sum + d.messagesSent, 0),
    ratingsCount,
    ratingAverage: ratingsCount === 0 ? null : Math.round((ratingSum / ratingsCount) * 100) / 100,
  };
}

const dayColumns = {
  operatorId: operatorDailyStats.operatorId,
  day: operatorDailyStats.day,
  handledConversations: operatorDailyStats.handledConversations,
  messagesSent: operatorDailyStats.messagesSent,
  firstResponseMedianSec: operatorDailyStats.firstResponseMedianSec,
  resolutionMedianSec: operatorDailyStats.resolutionMedianSec,
  ratingsCount: operatorDailyStats.ratingsCount,
  ratingAverage: operatorDailyStats.ratingAverage,
};

/**
 * One operator's daily figures (the operator-stats job's rows) over their last `days` local
 * days, oldest first, with totals. Errors: `not_found` for an operator the actor does not see
 * (getOperatorOrThrow), `forbidden` when they see them but may not read their figures
 * (canViewOperatorStats).
 */
export async function getOperatorStats({
  db,
  actor,
  operatorId,
  days,
  now = new Date(),
}: {
  db: DbOrTx;
  actor: Actor;
  operatorId: string;
  days: number;
  now?: Date;
}): Promise<OperatorStats> {
  const staff = requireStaff(actor);
  await getOperatorOrThrow({ db, actor, operatorId });
  if (!canViewOperatorStats(staff, operatorId)) {
    throw new AppError('forbidden', 'Operators see their own figures only.');
  }
  const [row] = await db
    .select({ timeZone: operators.timeZone })
    .from(operators)
    .where(eq(operators.id, operatorId));
  const timeZone = operatorTimeZone(row?.timeZone ?? null);
  const since = localDaysBefore(now, timeZone, days);
  const rows = await db
    .select(dayColumns)
    .from(operatorDailyStats)
    .where(and(eq(operatorDailyStats.operatorId, operatorId), gte(operatorDailyStats.day, since)))
    .orderBy(asc(operatorDailyStats.day));
  const list = rows.map(({ operatorId: _id, ...day }) => day);
  return { operatorId, timeZone, since, days: list, totals: totalsOf(list) };
}

/**
 * Totals of the last `days` local days (each in their own zone) of each of `operatorIds` whose
 * figures the actor may read (canViewOperatorStats; the list already holds only operators the
 * actor sees): the Operators page's column. Operators with no counted day get zero totals.
 */
export async function summarizeOperatorStats({
  db,
  actor,
  operatorIds,
  days,
  now = new Date(),
}: {
  db: DbOrTx;
  actor: StaffActor;
  operatorIds: string[];
  days: number;
  now?: Date;
}): Promise<Record<string, OperatorStatsTotals>> {
  const ids = operatorIds.filter((id) => canViewOperatorStats(actor, id));
  if (ids.length === 0) return {};
  const allowed = await db
    .select({ id: operators.id, timeZone: operators.timeZone })
    .from(operators)
    .where(inArray(operators.id, ids));
  const sinceOf = new Map(
    allowed.map((o) => [o.id, localDaysBefore(now, operatorTimeZone(o.timeZone), days)]),
  );
  const earliest = [...sinceOf.values()].sort()[0] ?? '0000-01-01';
  const rows = await db
    .select(dayColumns)
    .from(operatorDailyStats)
    .where(
      and(
        inArray(
          operatorDailyStats.operatorId,
          allowed.map((o) => o.id),
        ),
        gte(operatorDailyStats.day, earliest),
      ),
    );
  return Object.fromEntries(
    allowed.map((o) => {
      const since = sinceOf.get(o.id) ?? earliest;
      return [o.id, totalsOf(rows.filter((r) => r.operatorId === o.id && r.day >= since))];
    }),
  );
}
