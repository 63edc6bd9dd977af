import { stringify } from 'csv-stringify/sync';
import { and, sql, type SQL } from 'drizzle-orm';
import type { DbOrTx } from '@/db/client';
import { operatorLogs } from '@/db/schema';
import type { Actor } from '@/lib/auth/actor';
import { requireStaff } from '@/lib/auth/permissions';
import { operatorLogColumns } from './get-operator-log-or-throw';
import { operatorLogList, operatorLogWhere, type ListOperatorLogsInput } from './list-operator-logs';
import { recordAudit } from './record-audit';

/** Rows read per query while streaming. */
export const EXPORT_PAGE_ROWS = 1_000;

const CSV_COLUMNS = [
  'id',
  'created_at',
  'actor_type',
  'actor_label',
  'operator_id',
  'api_token_id',
  'telegram_user_id',
  'action',
  'target_type',
  'target_id',
  'department_id',
  'ip',
  'user_agent',
  'details',
] as const;

/**
 * The audit rows the actor may see, with the list's filters, search and ordering (paging
 * aside), as a CSV stream: RFC 4180 quoting by csv-stringify, a UTF-8 byte order mark (so
 * spreadsheet programs read names right), and cells that a spreadsheet would run as a formula
 * (`=`, `+`, `-`, `@`… — an actor label is a Telegram name anyone can choose) prefixed with `'`.
 * The rows are read in keyset pages of EXPORT_PAGE_ROWS as the consumer pulls, so memory holds
 * one page whatever the size; rows written while it runs may or may not be included. The
 * export itself is recorded (`operator_logs.exported`, with its query) before anything is read.
 * Errors (thrown before the stream starts): `forbidden` for non-staff, ZodError for bad input.
 */
export async function exportOperatorLogs({
  db,
  actor,
  input,
}: {
  db: DbOrTx;
  actor: Actor;
  input: Omit<ListOperatorLogsInput, 'page' | 'pageSize'>;
}): Promise<ReadableStream<Uint8Array>> {
  const staff = requireStaff(actor);
  const q = operatorLogList.schema.parse(input);
  const where = await operatorLogWhere(db, staff, q);
  const descending = q.ordering.startsWith('-');
  const { page: _page, pageSize: _pageSize, ...query } = q;
  await recordAudit(db, actor, { action: 'operator_logs.exported', details: { query } });

  const encoder = new TextEncoder();
  let cursor: { createdAt: string; id: number } | null = null;
  let first = true;
  return new ReadableStream<Uint8Array>(
    {
      async pull(controller) {
        try {
          const after: SQL | undefined = cursor
            ? descending
              ? sql`(${operatorLogs.createdAt}, ${operatorLogs.id}) < (${cursor.createdAt}::timestamptz, ${cursor.id})`
              : sql`(${operatorLogs.createdAt}, ${operatorLogs.id}) > (${cursor.createdAt}::timestamptz, ${cursor.id})`
            : undefined;
          const rows = await db
            .select({
              ...operatorLogColumns,
              // The exact instant (microseconds) for the keyset: a JavaScript Date keeps only
              // milliseconds, and rows sharing a millisecond must be neither skipped nor repeated.
              cursorAt: sql<string>`${operatorLogs.createdAt}::text`,
            })
            .from(operatorLogs)
            .where(and(where, after))
            .orderBy(
              descending ? sql`${operatorLogs.createdAt} desc` : sql`${operatorLogs.createdAt} asc`,
              descending ? sql`${operatorLogs.id} desc` : sql`${operatorLogs.id} asc`,
            )
            .limit(EXPORT_PAGE_ROWS);
          const records = rows.map((r) => [
            String(r.id),
            r.createdAt.toISOString(),
            r.actorType,
            r.actorLabel,
            r.operatorId ?? '',
            r.apiTokenId ?? '',
            r.telegramUserId === null ? '' : String(r.telegramUserId),
            r.action,
            r.targetType ?? '',
            r.targetId ?? '',
            r.departmentId ?? '',
            r.ip ?? '',
            r.userAgent ?? '',
            JSON.stringify(r.details),
          ]);
          const text = stringify(records, {
            header: first,
            columns: [...CSV_COLUMNS],
            bom: first,
            escape_formulas: true,
            record_delimiter: 'windows',
          });
          first = false;
          if (text.length > 0) controller.enqueue(encoder.encode(text));
          const last = rows.at(-1);
          if (!last || rows.length < EXPORT_PAGE_ROWS) controller.close();
          else cursor = { createdAt: last.cursorAt, id: last.id };
        } catch (error) {
          console.error('operator logs export failed:', error);
          controller.error(error);
        }
      },
    },
    // One page in flight at a time: the next is read only when the consumer wants it.
    { highWaterMark: 0 },
  );
}
