import { notFound } from 'next/navigation';
import { getTranslations } from 'next-intl/server';
import { z } from 'zod';
import { requireSessionActor } from '@/app/session';
import { getDb } from '@/db/client';
import { listDailyReports, REPORT_PERIODS } from '@/lib/reports/list-daily-reports';
import { ReportCharts } from '@/components/reports/report-charts';
import { ReportFilters } from '@/components/reports/report-filters';
import { ReportOperatorsTable, ReportTable } from '@/components/reports/report-table';

export const dynamic = 'force-dynamic';

const searchSchema = z.object({
  department: z.uuid().optional().catch(undefined),
  days: z.coerce
    .number()
    .int()
    .refine((n) => (REPORT_PERIODS as readonly number[]).includes(n))
    .catch(30)
    .default(30),
});

/**
 * Reports: one department's daily reports (the daily-report job's rows) over the last 7, 30 or
 * 90 of its local days — charts (recharts, loaded only on this page) with the same figures as a
 * table, and the latest day's per-operator lines. Admins choose among all departments,
 * supervisors among theirs; operators get a 404 (their own figures are on the Operators page).
 */
export default async function ReportsPage({
  searchParams,
}: {
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  const actor = await requireSessionActor();
  if (actor.role === 'operator') notFound();
  const q = searchSchema.parse(await searchParams);
  const [t, result] = await Promise.all([
    getTranslations('reports'),
    listDailyReports({ db: await getDb(), actor, departmentId: q.department, days: q.days }),
  ]);
  const latest = result.reports.at(-1);
  return (
    <div className="flex flex-col gap-4">
      <h1 className="text-2xl font-semibold">{t('title')}</h1>
      <p className="text-sm opacity-80">{t('intro')}</p>
      <ReportFilters departments={result.departments} department={result.department?.id} days={q.days} />
      {result.department && <p className="text-sm">{t('timeZone', { zone: result.department.timeZone })}</p>}
      {result.reports.length === 0 ? (
        <div role="status" className="alert">
          {t('empty')}
        </div>
      ) : (
        <>
          <ReportCharts reports={result.reports} />
          <ReportTable reports={result.reports} />
          {latest && <ReportOperatorsTable report={latest} />}
        </>
      )}
    </div>
  );
}
