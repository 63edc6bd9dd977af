import { sql } from 'drizzle-orm';
import type { Db } from './client';

/**
 * True when the database answers `select 1` within `timeoutMs` (milliseconds). Never throws: a
 * refused, broken or slow connection is a false. The query is not cancelled on timeout; it
 * finishes or fails on its own.
 */
export async function databaseAnswers(db: Db, timeoutMs = 1500): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<boolean>((resolve) => {
    timer = setTimeout(() => resolve(false), timeoutMs);
  });
  try {
    return await Promise.race([
      db.execute(sql`select 1`).then(
        () => true,
        () => false,
      ),
      timeout,
    ]);
  } finally {
    clearTimeout(timer);
  }
}
