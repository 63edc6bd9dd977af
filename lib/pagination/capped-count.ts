import { sql, type SQLWrapper } from 'drizzle-orm';
import type { DbOrTx } from '@/db/client';
import { rowsOf } from '@/db/rows';
import { AppError } from '@/lib/errors';

/**
 * How deep the lists over big, growing tables (audit rows, support episodes) go: their `count`
 * is exact up to this many rows and says this number above it, and pages past it are refused.
 * Counting every match of a broad filter over millions of rows costs a scan of them all; a
 * bounded count costs at most this many index entries. Narrow the filters (a time window) to
 * go further, or export.
 */
export const COUNT_CAP = 10_000;

/**
 * The number of rows `rows` yields, stopping at `cap`: `select count(*) from (rows limit cap)`.
 * `rows` is the list's own select (its joins and conditions) without ordering or paging.
 */
export async function cappedCount(db: DbOrTx, rows: SQLWrapper, cap = COUNT_CAP): Promise<number> {
  const result = await db.execute(sql`select count(*)::int as n from (${rows} limit ${cap}) capped`);
  return Number(rowsOf<{ n: number | string }>(result)[0]?.n ?? 0);
}

/** Refuses a page that starts at or past `cap` rows (400), saying what to do instead. */
export function assertWithinCap(page: number, pageSize: number, cap = COUNT_CAP): void {
  if ((page - 1) * pageSize >= cap) {
    throw new AppError(
      'bad_request',
      `This list goes ${cap} rows deep; narrow the filters (e.g. a time window) to reach older rows.`,
    );
  }
}
