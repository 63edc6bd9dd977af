'use client';

import {
  Bar,
  CartesianGrid,
  ComposedChart,
  Legend,
  Line,
  LineChart,
  ResponsiveContainer,
  Tooltip,
  XAxis,
  YAxis,
} from 'recharts';

export type ChartPoint = {
  /** mm-dd */
  day: string;
  inbound: number;
  outbound: number;
  newClients: number;
  resolved: number;
  /** Minutes, one decimal; null: nothing measured that day. */
  median: number | null;
  p90: number | null;
};

export type ChartLabels = Record<
  'messagesChart' | 'responseChart' | 'inbound' | 'outbound' | 'newClients' | 'resolved' | 'median' | 'p90',
  string
>;

// daisyUI 5's theme colours as CSS variables: the charts follow the light and dark themes.
const color = {
  primary: 'var(--color-primary)',
  secondary: 'var(--color-secondary)',
  accent: 'var(--color-accent)',
  success: 'var(--color-success)',
  warning: 'var(--color-warning)',
  text: 'var(--color-base-content)',
  grid: 'var(--color-base-300)',
  surface: 'var(--color-base-100)',
};

const axis = { stroke: color.grid, tick: { fill: color.text, fontSize: 12 } };
const tooltip = {
  contentStyle: { background: color.surface, borderColor: color.grid, color: color.text },
  labelStyle: { color: color.text },
};

function ChartCard({ id, title, children }: { id: string; title: string; children: React.ReactElement }) {
  return (
    <section aria-labelledby={id} className="card bg-base-100 shadow-sm">
      <div className="card-body gap-3 p-4">
        <h2 id={id} className="card-title text-base">
          {title}
        </h2>
        {/* The same figures are in the table below; the drawing itself is hidden from screen readers. */}
        <div aria-hidden="true" className="h-64 w-full">
          <ResponsiveContainer width="100%" height="100%">
            {children}
          </ResponsiveContainer>
        </div>
      </div>
    </section>
  );
}

/** The Reports page's two charts (recharts 3), themed with daisyUI's colours. */
export default function ReportChartsInner({ points, labels }: { points: ChartPoint[]; labels: ChartLabels }) {
  return (
    <div className="grid gap-4 lg:grid-cols-2" data-testid="report-charts">
      <ChartCard id="chart-messages" title={labels.messagesChart}>
        <ComposedChart data={points} accessibilityLayer={false}>
          <CartesianGrid stroke={color.grid} strokeDasharray="3 3" />
          <XAxis dataKey="day" {...axis} />
          <YAxis allowDecimals={false} {...axis} />
          <Tooltip {...tooltip} />
          <Legend wrapperStyle={{ color: color.text }} />
          <Bar dataKey="inbound" name={labels.inbound} fill={color.primary} />
          <Bar dataKey="outbound" name={labels.outbound} fill={color.secondary} />
          <Line dataKey="newClients" name={labels.newClients} stroke={color.accent} strokeWidth={2} />
          <Line dataKey="resolved" name={labels.resolved} stroke={color.success} strokeWidth={2} />
        </ComposedChart>
      </ChartCard>
      <ChartCard id="chart-response" title={labels.responseChart}>
        <LineChart data={points} accessibilityLayer={false}>
          <CartesianGrid stroke={color.grid} strokeDasharray="3 3" />
          <XAxis dataKey="day" {...axis} />
          <YAxis {...axis} />
          <Tooltip {...tooltip} />
          <Legend wrapperStyle={{ color: color.text }} />
          <Line dataKey="median" name={labels.median} stroke={color.primary} strokeWidth={2} connectNulls />
          <Line dataKey="p90" name={labels.p90} stroke={color.warning} strokeWidth={2} connectNulls />
        </LineChart>
      </ChartCard>
    </div>
  );
}
