import { eq, inArray } from 'drizzle-orm';
import type { Db } from '@/db/client';
import { operatorDailyStats, operators } from '@/db/schema';
import { isIanaTimeZone } from '@/lib/departments/department-fields';
import { generateOperatorStats } from '@/lib/reports/generate-operator-stats';
import { previousLocalDay } from '@/lib/time/local-day-range';
import { DEFAULT_REPORT_TIME_ZONE } from './daily-report';
import type { JobDefinition, JobResult } from './job-definition';

/** An operator's days are taken in their own time zone (profile), the desk's default otherwise. */
export function operatorTimeZone(timeZone: string | null): string {
  return timeZone && isIanaTimeZone(timeZone) ? timeZone : DEFAULT_REPORT_TIME_ZONE;
}

/**
 * The operator-stats job: for every active operator whose previous local day (in their time
 * zone, relative to `now`) has no figures yet, computes and stores them. Hourly, like the daily
 * report, so each operator's day is counted within the hour after their midnight.
 * Result: `{ operators, alreadyCounted }` — on a dry run, what it would count.
 */
export async function runOperatorStats({
  db,
  now,
  dryRun,
}: {
  db: Db;
  now: Date;
  dryRun: boolean;
}): Promise<JobResult> {
  const active = await db
    .select({ id: operators.id, timeZone: operators.timeZone })
    .from(operators)
    .where(eq(operators.isActive, true))
    .orderBy(operators.id);
  const due = active.map((o) => {
    const timeZone = operatorTimeZone(o.timeZone);
    return { id: o.id, timeZone, ...previousLocalDay(now, timeZone) };
  });
  const days = [...new Set(due.map((d) => d.day))];
  const done =
    days.length === 0
      ? []
      : await db
          .select({ operatorId: operatorDailyStats.operatorId, day: operatorDailyStats.day })
          .from(operatorDailyStats)
          .where(inArray(operatorDailyStats.day, days));
  const counted = new Set(done.map((r) => `${r.operatorId}/${r.day}`));
  let computed = 0;
  let alreadyCounted = 0;
  for (const operator of due) {
    if (counted.has(`${operator.id}/${operator.day}`)) {
      alreadyCounted += 1;
      continue;
    }
    await generateOperatorStats({ db, operatorId: operator.id, ...operator, now, dryRun });
    computed += 1;
  }
  return { operators: computed, alreadyCounted };
}

export const operatorStatsJob: JobDefinition = {
  name: 'operator-stats',
  description:
    "Counts each operator's previous local day (their time zone): conversations, messages, response and resolution times, ratings.",
  schedule: '25 * * * *',
  timeoutMs: 30 * 60_000,
  run: (context) => runOperatorStats(context),
};
