import { getTranslations } from 'next-intl/server';
import { REPORT_PERIODS, type ReportDepartment } from '@/lib/reports/list-daily-reports';

/** The department and period of the Reports page: a plain GET form, so it works without script. */
export async function ReportFilters({
  departments,
  department,
  days,
}: {
  departments: ReportDepartment[];
  department: string | undefined;
  days: number;
}) {
  const t = await getTranslations('reports');
  return (
    <form method="get" className="flex flex-wrap items-end gap-3">
      <label className="flex flex-col gap-1">
        <span className="text-sm font-medium">{t('department')}</span>
        <select name="department" defaultValue={department} className="select select-sm w-56">
          {departments.map((d) => (
            <option key={d.id} value={d.id}>
              {d.name}
            </option>
          ))}
        </select>
      </label>
      <label className="flex flex-col gap-1">
        <span className="text-sm font-medium">{t('period')}</span>
        <select name="days" defaultValue={String(days)} className="select select-sm w-44">
          {REPORT_PERIODS.map((n) => (
            <option key={n} value={n}>
              {t('periodDays', { count: n })}
            </option>
          ))}
        </select>
      </label>
      <button type="submit" className="btn btn-sm btn-primary">
        {t('show')}
      </button>
    </form>
  );
}
