import { count, eq, sql } from 'drizzle-orm';
import { beforeEach, describe, expect, it } from 'vitest';
import type { Db } from '@/db/client';
import { DESK_ABORT_SQLSTATE, pipelinedTransaction } from '@/db/pipeline';
import { telegramUpdates } from '@/db/schema';
import { sqlState } from '@/db/sql-state';
import { getTestDb, resetDb } from '../support/db';

let db: Db;

beforeEach(async () => {
  db = await getTestDb();
  await resetDb(db);
});

async function updatesStored(updateId: number) {
  const [row] = await db
    .select({ n: count() })
    .from(telegramUpdates)
    .where(eq(telegramUpdates.updateId, updateId));
  return row?.n ?? 0;
}

const insertUpdate = (updateId: number) =>
  sql`insert into telegram_updates (update_id, kind, status) values (${updateId}, 'message', 'processed')`;

describe('pipelinedTransaction', () => {
  it('runs the statements in order, each seeing the ones before, and commits them', async () => {
    const [, seen, next] = await pipelinedTransaction(db, [
      insertUpdate(1),
      sql`select count(*)::int as n from telegram_updates where update_id = 1`,
      sql`insert into telegram_updates (update_id, kind, status)
          select max(update_id) + 1, 'message', 'processed' from telegram_updates returning update_id`,
    ]);
    expect(seen).toEqual([{ n: 1 }]);
    expect(Number(next?.[0]?.update_id)).toBe(2);
    expect(await updatesStored(1)).toBe(1);
    expect(await updatesStored(2)).toBe(1);
  });

  it('rolls everything back when a statement calls desk_abort, and throws DA001', async () => {
    const error = await pipelinedTransaction(db, [
      insertUpdate(3),
      sql`select desk_abort('refused') where exists (select 1 from telegram_updates where update_id = 3)`,
      insertUpdate(4),
    ]).catch((e: unknown) => e);
    expect(sqlState(error)).toBe(DESK_ABORT_SQLSTATE);
    expect(await updatesStored(3)).toBe(0);
    expect(await updatesStored(4)).toBe(0);
  });

  it('throws the first failure, not the aborted statements after it, and leaves connections clean', async () => {
    await pipelinedTransaction(db, [insertUpdate(5)]);
    // More failures than the pool has connections: none may be handed back mid-transaction.
    for (let i = 0; i < 12; i++) {
      const error = await pipelinedTransaction(db, [insertUpdate(6), insertUpdate(5), insertUpdate(7)]).catch(
        (e: unknown) => e,
      );
      expect(sqlState(error)).toBe('23505'); // unique violation of update 5
    }
    await Promise.all(
      Array.from({ length: 12 }, (_, i) => pipelinedTransaction(db, [insertUpdate(100 + i)])),
    );
    expect(await updatesStored(6)).toBe(0);
    expect(await updatesStored(7)).toBe(0);
    const [row] = await db.select({ n: count() }).from(telegramUpdates);
    expect(row?.n).toBe(13);
  });
});
