'use client';

import dynamic from 'next/dynamic';
import { useTranslations } from 'next-intl';
import type { DailyReportRow } from '@/lib/reports/list-daily-reports';
import type { ChartLabels, ChartPoint } from './report-charts-inner';

// recharts is loaded on this page only, after the page has rendered (it draws no SVG on the
// server anyway): no other page's JavaScript carries it.
const Charts = dynamic(() => import('./report-charts-inner'), {
  ssr: false,
  loading: () => <ChartsLoading />,
});

function ChartsLoading() {
  const t = useTranslations('reports');
  return (
    <div className="grid gap-4 lg:grid-cols-2" role="status">
      <div className="skeleton h-72 w-full" />
      <div className="skeleton h-72 w-full" />
      <span className="sr-only">{t('chartLoading')}</span>
    </div>
  );
}

const minutes = (sec: number | null) => (sec === null ? null : Math.round(sec / 6) / 10);

/** The daily reports as two charts (messages and clients; first-response times in minutes). */
export function ReportCharts({ reports }: { reports: DailyReportRow[] }) {
  const t = useTranslations('reports');
  const points: ChartPoint[] = reports.map((r) => ({
    day: r.day.slice(5),
    inbound: r.inboundMessages,
    outbound: r.outboundMessages,
    newClients: r.newClients,
    resolved: r.resolved,
    median: minutes(r.firstResponseMedianSec),
    p90: minutes(r.firstResponseP90Sec),
  }));
  const labels: ChartLabels = {
    messagesChart: t('messagesChart'),
    responseChart: t('responseChart'),
    inbound: t('series.inbound'),
    outbound: t('series.outbound'),
    newClients: t('series.newClients'),
    resolved: t('series.resolved'),
    median: t('series.median'),
    p90: t('series.p90'),
  };
  return <Charts points={points} labels={labels} />;
}
