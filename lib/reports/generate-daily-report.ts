import { sql } from 'drizzle-orm';
import type { DbOrTx } from '@/db/client';
import { rowsOf } from '@/db/rows';
import { dailyReports, type DailyReportOperatorLine } from '@/db/schema';

/** A department-day's figures, as stored in `daily_reports` (times in whole seconds). */
export type DailyReportFigures = {
  newClients: number;
  inboundMessages: number;
  outboundMessages: number;
  resolved: number;
  firstResponseMedianSec: number | null;
  firstResponseP90Sec: number | null;
  resolutionMedianSec: number | null;
  operators: DailyReportOperatorLine[];
};

export type DailyReportDto = DailyReportFigures & {
  departmentId: string;
  day: string;
  timeZone: string;
  periodStart: string;
  periodEnd: string;
};

/** An interval in seconds as Postgres returns it (number, numeric text or null) → whole seconds. */
export const seconds = (value: unknown) =>
  value === null || value === undefined ? null : Math.round(Number(value));

/**
 * Counts one department's activity in [start, end). The definitions are the desk overview's
 * (lib/stats/get-desk-overview.ts), so the overview's "today" and a report agree:
 * - new clients: clients of the department created in the period;
 * - messages: of the department's clients, inbound from the client; outbound written by an
 *   operator or the system (bot auto-replies are not counted);
 * - resolved: the department's episodes (conversations) resolved in the period;
 * - first response: `first_response_at − opened_at` of the department's episodes first answered
 *   in the period (median, 90th percentile, percentile_cont); resolution: `resolved_at −
 *   opened_at` of those resolved in it (median);
 * - per operator: outbound messages they wrote, their episodes resolved and their median first
 *   response, for every operator with any of these; ordered by messages, then name.
 * Four statements; the message count is one pass over the period's messages (messages_created_idx).
 */
export async function computeDailyReport({
  db,
  departmentId,
  start,
  end,
}: {
  db: DbOrTx;
  departmentId: string;
  start: Date;
  end: Date;
}): Promise<DailyReportFigures> {
  const from = start.toISOString();
  const to = end.toISOString();
  const [clientRows, messageRows, episodeRows, operatorRows] = await Promise.all([
    db.execute(sql`
      select count(*)::int as n from clients
      where department_id = ${departmentId}::uuid
        and created_at >= ${from}::timestamptz and created_at < ${to}::timestamptz`),
    db.execute(sql`
      select m.operator_id,
        count(*) filter (where m.direction = 'inbound')::int as inbound,
        count(*) filter (where m.direction = 'outbound' and m.sender_kind in ('operator', 'system'))::int as outbound,
        count(*) filter (where m.direction = 'outbound' and m.sender_kind = 'operator')::int as written
      from messages m join clients c on c.id = m.client_id
      where m.created_at >= ${from}::timestamptz and m.created_at < ${to}::timestamptz
        and c.department_id = ${departmentId}::uuid
      group by m.operator_id`),
    db.execute(sql`
      select
        (select count(*)::int from conversations where department_id = ${departmentId}::uuid
          and resolved_at >= ${from}::timestamptz and resolved_at < ${to}::timestamptz) as resolved,
        (select percentile_cont(array[0.5, 0.9]) within group (order by extract(epoch from first_response_at - opened_at))
          from conversations where department_id = ${departmentId}::uuid
          and first_response_at >= ${from}::timestamptz and first_response_at < ${to}::timestamptz) as first_response,
        (select percentile_cont(0.5) within group (order by extract(epoch from resolved_at - opened_at))
          from conversations where department_id = ${departmentId}::uuid
          and resolved_at >= ${from}::timestamptz and resolved_at < ${to}::timestamptz) as resolution`),
    db.execute(sql`
      select operator_id,
        count(*) filter (where resolved_at >= ${from}::timestamptz and resolved_at < ${to}::timestamptz)::int as resolved,
        percentile_cont(0.5) within group (order by extract(epoch from first_response_at - opened_at))
          filter (where first_response_at >= ${from}::timestamptz and first_response_at < ${to}::timestamptz) as first_response
      from conversations
      where department_id = ${departmentId}::uuid and operator_id is not null
        and ((resolved_at >= ${from}::timestamptz and resolved_at < ${to}::timestamptz)
          or (first_response_at >= ${from}::timestamptz and first_response_at < ${to}::timestamptz))
      group by operator_id`),
  ]);

  const messageLines = rowsOf<{
    operator_id: string | null;
    inbound: number;
    outbound: number;
    written: number;
  }>(messageRows);
  const episode = rowsOf<{ resolved: number; first_response: unknown; resolution: unknown }>(episodeRows)[0];
  const firstResponse = parseNumberArray(episode?.first_response);

  const byOperator = new Map<
    string,
    { messagesSent: number; resolved: number; firstResponseMedianSec: number | null }
  >();
  const lineOf = (id: string) => {
    let line = byOperator.get(id);
    if (!line) byOperator.set(id, (line = { messagesSent: 0, resolved: 0, firstResponseMedianSec: null }));
    return line;
  };
  for (const row of messageLines)
    if (row.operator_id && row.written > 0) lineOf(row.operator_id).messagesSent = row.written;
  for (const row of rowsOf<{ operator_id: string; resolved: number; first_response: unknown }>(
    operatorRows,
  )) {
    const line = lineOf(row.operator_id);
    line.resolved = row.resolved;
    line.firstResponseMedianSec = seconds(row.first_response);
  }
  const names = await operatorNames(db, [...byOperator.keys()]);
  const operators = [...byOperator.entries()]
    .map(([operatorId, line]) => ({ operatorId, name: names.get(operatorId) ?? '—', ...line }))
    .sort((a, b) => b.messagesSent - a.messagesSent || a.name.localeCompare(b.name));

  return {
    newClients: rowsOf<{ n: number }>(clientRows)[0]?.n ?? 0,
    inboundMessages: messageLines.reduce((sum, r) => sum + r.inbound, 0),
    outboundMessages: messageLines.reduce((sum, r) => sum + r.outbound, 0),
    resolved: episode?.resolved ?? 0,
    firstResponseMedianSec: seconds(firstResponse[0]),
    firstResponseP90Sec: seconds(firstResponse[1]),
    resolutionMedianSec: seconds(episode?.resolution),
    operators,
  };
}

/** percentile_cont(array[…]) comes back as an array (postgres.js) or as '{1,2}' text. */
function parseNumberArray(value: unknown): (number | null)[] {
  if (Array.isArray(value)) return value.map((v) => (v === null ? null : Number(v)));
  if (typeof value === 'string' && value.startsWith('{')) {
    return value
      .slice(1, -1)
      .split(',')
      .map((v) => (v === 'NULL' || v === '' ? null : Number(v)));
  }
  return [];
}

async function operatorNames(db: DbOrTx, ids: string[]): Promise<Map<string, string>> {
  if (ids.length === 0) return new Map();
  const rows = rowsOf<{ id: string; name: string }>(
    await db.execute(
      sql`select id, name from operators where id in (${sql.join(
        ids.map((id) => sql`${id}::uuid`),
        sql`, `,
      )})`,
    ),
  );
  return new Map(rows.map((r) => [r.id, r.name]));
}

/**
 * Computes and stores the report of department `departmentId` for calendar day `day` in
 * `timeZone` (the period [start, end) given by lib/time/local-day-range.ts). One row per
 * department-day: running it again replaces the figures (and keeps `sentAt`). `dryRun`:
 * computes and stores nothing. Returns the report.
 */
export async function generateDailyReport({
  db,
  departmentId,
  day,
  timeZone,
  start,
  end,
  now,
  dryRun = false,
}: {
  db: DbOrTx;
  departmentId: string;
  day: string;
  timeZone: string;
  start: Date;
  end: Date;
  now: Date;
  dryRun?: boolean;
}): Promise<DailyReportDto> {
  const figures = await computeDailyReport({ db, departmentId, start, end });
  if (!dryRun) {
    const values = { ...figures, timeZone, periodStart: start, periodEnd: end, generatedAt: now };
    await db
      .insert(dailyReports)
      .values({ departmentId, day, ...values })
      .onConflictDoUpdate({ target: [dailyReports.departmentId, dailyReports.day], set: values });
  }
  return {
    departmentId,
    day,
    timeZone,
    periodStart: start.toISOString(),
    periodEnd: end.toISOString(),
    ...figures,
  };
}
