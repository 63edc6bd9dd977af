import { and, eq, inArray } from 'drizzle-orm';
import type { Db } from '@/db/client';
import { dailyReports, departments, type WorkingHours } from '@/db/schema';
import { isIanaTimeZone } from '@/lib/departments/department-fields';
import { generateDailyReport } from '@/lib/reports/generate-daily-report';
import { listReportRecipients, sendDailyReport } from '@/lib/reports/send-daily-report';
import { previousLocalDay } from '@/lib/time/local-day-range';
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
 * The daily-report job: for every active department whose previous local day (in its own time
 * zone, relative to `now`) has ended and has no report yet, computes and stores that day's
 * report and sends it to the department's supervisors in Telegram. Runs hourly, so each
 * department is reported within the hour after its midnight whatever its zone; a day already
 * reported is left alone (generateDailyReport itself replaces a day's row when called again).
 * Result: `{ reported, alreadyReported, telegramMessages }` — on a dry run, what it would do
 * (nothing stored or sent).
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
    .select({ id: departments.id, name: departments.name, workingHours: departments.workingHours })
    .from(departments)
    .where(eq(departments.isActive, true))
    .orderBy(departments.sortOrder, departments.name);
  const due = active.map((d) => {
    const timeZone = departmentTimeZone(d.workingHours);
    return { ...d, timeZone, ...previousLocalDay(now, timeZone) };
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
                due.map((d) => d.id),
              ),
            ),
          );
  const reportedAlready = new Set(done.map((r) => `${r.departmentId}/${r.day}`));

  let reported = 0;
  let telegramMessages = 0;
  for (const department of due) {
    if (reportedAlready.has(`${department.id}/${department.day}`)) continue;
    const report = await generateDailyReport({
      db,
      departmentId: department.id,
      day: department.day,
      timeZone: department.timeZone,
      start: department.start,
      end: department.end,
      now,
      dryRun,
    });
    reported += 1;
    telegramMessages += dryRun
      ? (await listReportRecipients(db, department.id)).length
      : await sendDailyReport({ db, report, departmentName: department.name, now });
  }
  return { reported, alreadyReported: due.length - reported, telegramMessages };
}

export const dailyReportJob: JobDefinition = {
  name: 'daily-report',
  description:
    "Reports each department's previous local day (its time zone) once it has ended, and sends it to its supervisors in Telegram.",
  schedule: '5 * * * *',
  timeoutMs: 30 * 60_000,
  run: (context) => runDailyReports(context),
};
