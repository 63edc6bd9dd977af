import { getTranslations } from 'next-intl/server';
import type { DailyReportRow } from '@/lib/reports/list-daily-reports';
import { durationParts } from '../format-duration';

async function durationFormatter() {
  const td = await getTranslations('duration');
  return (sec: number | null) => {
    if (sec === null) return '—';
    const { key, values } = durationParts(sec);
    return td(key, values);
  };
}

/** The charts' figures as a table, one row per day: what a screen reader or a print reads. */
export async function ReportTable({ reports }: { reports: DailyReportRow[] }) {
  const [t, d] = await Promise.all([getTranslations('reports'), durationFormatter()]);
  return (
    <section aria-labelledby="report-table-title" className="card bg-base-100 shadow-sm">
      <div className="card-body gap-3 p-4">
        <h2 id="report-table-title" className="card-title text-base">
          {t('tableTitle')}
        </h2>
        {/* Focusable so a keyboard can scroll a table wider than a phone (axe: scrollable-region-focusable). */}
        <div className="overflow-x-auto" tabIndex={0} role="region" aria-labelledby="report-table-title">
          <table className="table table-sm" data-testid="report-table">
            <thead>
              <tr>
                <th scope="col">{t('columns.day')}</th>
                <th scope="col">{t('columns.newClients')}</th>
                <th scope="col">{t('columns.inbound')}</th>
                <th scope="col">{t('columns.outbound')}</th>
                <th scope="col">{t('columns.resolved')}</th>
                <th scope="col">{t('columns.firstResponseMedian')}</th>
                <th scope="col">{t('columns.firstResponseP90')}</th>
                <th scope="col">{t('columns.resolutionMedian')}</th>
              </tr>
            </thead>
            <tbody>
              {[...reports].reverse().map((r) => (
                <tr key={r.day}>
                  <th scope="row" className="font-normal tabular-nums">
                    {r.day}
                  </th>
                  <td className="tabular-nums">{r.newClients}</td>
                  <td className="tabular-nums">{r.inboundMessages}</td>
                  <td className="tabular-nums">{r.outboundMessages}</td>
                  <td className="tabular-nums">{r.resolved}</td>
                  <td>{d(r.firstResponseMedianSec)}</td>
                  <td>{d(r.firstResponseP90Sec)}</td>
                  <td>{d(r.resolutionMedianSec)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      </div>
    </section>
  );
}

/** The latest report's per-operator lines, and whom it was sent to. */
export async function ReportOperatorsTable({ report }: { report: DailyReportRow }) {
  const [t, d] = await Promise.all([getTranslations('reports'), durationFormatter()]);
  return (
    <section aria-labelledby="report-operators-title" className="card bg-base-100 shadow-sm">
      <div className="card-body gap-3 p-4">
        <h2 id="report-operators-title" className="card-title text-base">
          {t('operatorsTitle', { day: report.day })}
        </h2>
        <p className="text-sm opacity-80">{t('sentTo', { count: report.sentAt ? report.recipients : 0 })}</p>
        {report.operators.length === 0 ? (
          <p className="text-sm">{t('noOperators')}</p>
        ) : (
          <div
            className="overflow-x-auto"
            tabIndex={0}
            role="region"
            aria-labelledby="report-operators-title"
          >
            <table className="table table-sm" data-testid="report-operators">
              <thead>
                <tr>
                  <th scope="col">{t('columns.operator')}</th>
                  <th scope="col">{t('columns.messagesSent')}</th>
                  <th scope="col">{t('columns.resolved')}</th>
                  <th scope="col">{t('columns.firstResponseMedian')}</th>
                </tr>
              </thead>
              <tbody>
                {report.operators.map((o) => (
                  <tr key={o.operatorId}>
                    <th scope="row" className="font-normal">
                      {o.name}
                    </th>
                    <td className="tabular-nums">{o.messagesSent}</td>
                    <td className="tabular-nums">{o.resolved}</td>
                    <td>{d(o.firstResponseMedianSec)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </div>
    </section>
  );
}
