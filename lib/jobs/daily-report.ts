import { and, eq, inArray } from 'drizzle-orm';
import type { Db } from '@/db/client';
import { dailyReports, departments, type WorkingHours } from '@/db/schema';
import { isIanaTimeZone } from '@/lib/departments/department-fields';
import { generateDailyReport } from '@/lib/reports/generate-daily-report';
import { listReportRecipients, sendDailyReport } from '@/lib/reports/send-daily-report';
import { localDay, localDaysBefore, previousLocalDay } from '@/lib/time/local-day-range';
import type { JobDefinition, JobResult } from './job-definition';

/**
 * The time zone of a department's days when it has no working hours (which carry its zone):
 * the desk has no time zone of its own, so UTC, the zone every job schedule is written in.
 */
export const DEFAULT_REPORT_TIME_ZONE = 'UTC';

/** A department's time zone: its working hours' IANA zone, DEFAULT_REPORT_TIME_ZONE otherwise. */
export function departmentTimeZone(workingHours: WorkingHours | null): string {
  const zone = workingHours?.timeZone;
  return zone && isIanaTimeZone(zone) ? zone : DEFAULT_REPORT_TIME_ZONE;
}

/**
 * Days before the previous one that a run still reports when they have no report: a desk that
 * was down (or had the job switched off) over a weekend gets those days' figures on the Reports
 * page when it comes back, instead of holes. A week in all, the previous day included.
 */
export const DAILY_REPORT_BACKFILL_DAYS = 6;

/**
 * The daily-report job: for every active department, computes and stores the report of its
 * previous local day (in its own time zone, relative to `now`) once that day has ended and has
 * no report yet, and sends it to the department's supervisors in Telegram. Runs hourly, so each
 * department is reported within the hour after its midnight whatever its zone; a day already
 * reported is left alone (generateDailyReport itself replaces a day's row when called again).
 * Missed days: up to DAILY_REPORT_BACKFILL_DAYS local days before the previous one that have no
 * report and ended after the department was created are reported too — stored, not sent (a
 * supervisor wants yesterday's figures in Telegram, not a burst of old ones).
 * Result: `{ reported, backfilled, alreadyReported, telegramMessages }` — `reported` and
 * `alreadyReported` count departments' previous days, `backfilled` older days; on a dry run,
 * what it would do (nothing stored or sent).
 */
export async function runDailyReports({
  db,
  now,
  dryRun,
}: {
  db: Db;
  now: Date;
  dryRun: boolean;
}): Promise<JobResult> {
  const active = await db
    .select({
      id: departments.id,
      name: departments.name,
      workingHours: departments.workingHours,
      createdAt: departments.createdAt,
    })
    .from(departments)
    .where(eq(departments.isActive, true))
    .orderBy(departments.sortOrder, departments.name);
  const due = active.flatMap((department) => {
    const timeZone = departmentTimeZone(department.workingHours);
    const previous = previousLocalDay(now, timeZone);
    const older = Array.from({ length: DAILY_REPORT_BACKFILL_DAYS }, (_, i) =>
      localDay(localDaysBefore(now, timeZone, i + 2), timeZone),
    ).filter((day) => day.end > department.createdAt);
    return [previous, ...older].map((day, i) => ({ department, timeZone, ...day, backfill: i > 0 }));
  });
  const days = [...new Set(due.map((d) => d.day))];
  const done =
    days.length === 0
      ? []
      : await db
          .select({ departmentId: dailyReports.departmentId, day: dailyReports.day })
          .from(dailyReports)
          .where(
            and(
              inArray(dailyReports.day, days),
              inArray(
                dailyReports.departmentId,
                active.map((d) => d.id),
              ),
            ),
          );
  const reportedAlready = new Set(done.map((r) => `${r.departmentId}/${r.day}`));

  let reported = 0;
  let backfilled = 0;
  let telegramMessages = 0;
  for (const { department, timeZone, day, start, end, backfill } of due) {
    if (reportedAlready.has(`${department.id}/${day}`)) continue;
    const report = await generateDailyReport({
      db,
      departmentId: department.id,
      day,
      timeZone,
      start,
      end,
      now,
      dryRun,
    });
    if (backfill) {
      backfilled += 1;
      continue;
    }
    reported += 1;
    telegramMessages += dryRun
      ? (await listReportRecipients(db, department.id)).length
      : await sendDailyReport({ db, report, departmentName: department.name, now });
  }
  return { reported, backfilled, alreadyReported: active.length - reported, telegramMessages };
}

export const dailyReportJob: JobDefinition = {
  name: 'daily-report',
  description:
    "Reports each department's previous local day (its time zone) once it has ended and sends it to its supervisors in Telegram; catches up missed days of the past week.",
  schedule: '5 * * * *',
  timeoutMs: 30 * 60_000,
  run: (context) => runDailyReports(context),
};
