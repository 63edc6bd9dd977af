import { seconds } from './generate-daily-report';
import { sql } from 'drizzle-orm';
import type { DbOrTx } from '@/db/client';
import { rowsOf } from '@/db/rows';
import { operatorDailyStats } from '@/db/schema';

/** One operator's figures for one day (times in whole seconds; null when nothing was measured). */
export type OperatorDayFigures = {
  handledConversations: number;
  messagesSent: number;
  firstResponseMedianSec: number | null;
  resolutionMedianSec: number | null;
  ratingsCount: number;
  /** Mean of the ratings (1–5), two decimals; null without ratings. */
  ratingAverage: number | null;
};

export type OperatorDayStatsDto = OperatorDayFigures & { operatorId: string; day: string; timeZone: string };

/**
 * One operator's activity in [start, end), with the daily report's definitions
 * (lib/reports/generate-daily-report.ts), over all departments:
 * - messages sent: outbound messages the operator wrote;
 * - handled conversations: distinct episodes they wrote in, or that were theirs and resolved;
 * - first response: median `first_response_at − opened_at` of their episodes first answered in
 *   the period; resolution: median `resolved_at − opened_at` of theirs resolved in it;
 * - ratings: the clients' ratings (conversations.rating, 1–5) of their episodes resolved in the
 *   period — count and mean.
 * "Their episode" is conversations.operator_id: the operator the episode is assigned to.
 */
export async function computeOperatorDay({
  db,
  operatorId,
  start,
  end,
}: {
  db: DbOrTx;
  operatorId: string;
  start: Date;
  end: Date;
}): Promise<OperatorDayFigures> {
  const from = sql`${start.toISOString()}::timestamptz`;
  const to = sql`${end.toISOString()}::timestamptz`;
  const id = sql`${operatorId}::uuid`;
  const [row] = rowsOf<Record<string, unknown>>(
    await db.execute(sql`
      with sent as (
        select conversation_id from messages
        where operator_id = ${id} and direction = 'outbound' and sender_kind = 'operator'
          and created_at >= ${from} and created_at < ${to}
      ),
      resolved as (
        select id, rating, extract(epoch from resolved_at - opened_at) as took from conversations
        where operator_id = ${id} and resolved_at >= ${from} and resolved_at < ${to}
      )
      select
        (select count(*)::int from sent) as messages_sent,
        (select count(*)::int from (
          select conversation_id from sent where conversation_id is not null
          union select id from resolved) handled) as handled,
        (select percentile_cont(0.5) within group (order by extract(epoch from first_response_at - opened_at))
          from conversations where operator_id = ${id}
            and first_response_at >= ${from} and first_response_at < ${to}) as first_response,
        (select percentile_cont(0.5) within group (order by took) from resolved) as resolution,
        (select count(rating)::int from resolved) as ratings,
        (select round(avg(rating), 2) from resolved) as rating_average`),
  );
  return {
    handledConversations: Number(row?.handled ?? 0),
    messagesSent: Number(row?.messages_sent ?? 0),
    firstResponseMedianSec: seconds(row?.first_response),
    resolutionMedianSec: seconds(row?.resolution),
    ratingsCount: Number(row?.ratings ?? 0),
    ratingAverage:
      row?.rating_average === null || row?.rating_average === undefined ? null : Number(row.rating_average),
  };
}

/**
 * Computes and stores operator `operatorId`'s figures for calendar day `day` in `timeZone`
 * ([start, end) from lib/time/local-day-range.ts). One row per operator-day: running it again
 * replaces them. `dryRun`: stores nothing. Returns the figures.
 */
export async function generateOperatorStats({
  db,
  operatorId,
  day,
  timeZone,
  start,
  end,
  now,
  dryRun = false,
}: {
  db: DbOrTx;
  operatorId: string;
  day: string;
  timeZone: string;
  start: Date;
  end: Date;
  now: Date;
  dryRun?: boolean;
}): Promise<OperatorDayStatsDto> {
  const figures = await computeOperatorDay({ db, operatorId, start, end });
  if (!dryRun) {
    const values = { ...figures, timeZone, generatedAt: now };
    await db
      .insert(operatorDailyStats)
      .values({ operatorId, day, ...values })
      .onConflictDoUpdate({ target: [operatorDailyStats.operatorId, operatorDailyStats.day], set: values });
  }
  return { operatorId, day, timeZone, ...figures };
}
