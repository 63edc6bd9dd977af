import { and, asc, eq, gte, inArray } from 'drizzle-orm';
import type { DbOrTx } from '@/db/client';
import { dailyReports, departments, type DailyReportOperatorLine } from '@/db/schema';
import type { Actor } from '@/lib/auth/actor';
import { requireRole } from '@/lib/auth/permissions';
import { departmentTimeZone } from '@/lib/jobs/daily-report';
import { localDaysBefore } from '@/lib/time/local-day-range';

export type ReportDepartment = { id: string; name: string; timeZone: string };

export type DailyReportRow = {
  day: string;
  newClients: number;
  inboundMessages: number;
  outboundMessages: number;
  resolved: number;
  firstResponseMedianSec: number | null;
  firstResponseP90Sec: number | null;
  resolutionMedianSec: number | null;
  operators: DailyReportOperatorLine[];
  /** ISO instant the report went to the supervisors in Telegram; null: not sent. */
  sentAt: string | null;
  recipients: number;
};

/** The periods the Reports page offers, in days. */
export const REPORT_PERIODS = [7, 30, 90] as const;

/**
 * The daily reports of one department over its last `days` local days (oldest first), and the
 * departments the actor may choose from. Admins see every department; supervisors (and
 * supervisor tokens) their own; operators are refused — their own figures are on the Operators
 * page. `departmentId` outside the actor's departments, or none given: the first one of theirs
 * (by sort order, then name). Errors: `forbidden` for operators and the system.
 */
export async function listDailyReports({
  db,
  actor,
  departmentId,
  days,
  now = new Date(),
}: {
  db: DbOrTx;
  actor: Actor;
  departmentId?: string;
  days: number;
  now?: Date;
}): Promise<{
  departments: ReportDepartment[];
  department: ReportDepartment | null;
  reports: DailyReportRow[];
}> {
  const staff = requireRole(actor, ['admin', 'supervisor']);
  if (staff.role !== 'admin' && staff.departmentIds.length === 0) {
    return { departments: [], department: null, reports: [] };
  }
  const rows = await db
    .select({ id: departments.id, name: departments.name, workingHours: departments.workingHours })
    .from(departments)
    .where(staff.role === 'admin' ? undefined : inArray(departments.id, staff.departmentIds))
    .orderBy(departments.sortOrder, departments.name);
  const options = rows.map((d) => ({ id: d.id, name: d.name, timeZone: departmentTimeZone(d.workingHours) }));
  const department = options.find((d) => d.id === departmentId) ?? options[0] ?? null;
  if (!department) return { departments: options, department: null, reports: [] };
  const since = localDaysBefore(now, department.timeZone, days);
  const reports = await db
    .select()
    .from(dailyReports)
    .where(and(eq(dailyReports.departmentId, department.id), gte(dailyReports.day, since)))
    .orderBy(asc(dailyReports.day));
  return {
    departments: options,
    department,
    reports: reports.map((r) => ({
      day: r.day,
      newClients: r.newClients,
      inboundMessages: r.inboundMessages,
      outboundMessages: r.outboundMessages,
      resolved: r.resolved,
      firstResponseMedianSec: r.firstResponseMedianSec,
      firstResponseP90Sec: r.firstResponseP90Sec,
      resolutionMedianSec: r.resolutionMedianSec,
      operators: r.operators,
      sentAt: r.sentAt?.toISOString() ?? null,
      recipients: r.recipients,
    })),
  };
}
