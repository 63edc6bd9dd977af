import { eq } from 'drizzle-orm';
import type { Db } from '@/db/client';
import { operatorDepartments } from '@/db/schema';
import { systemActor, type Actor } from '@/lib/auth/actor';
import { drainQueue } from './drain-queue';

/**
 * After an operator's load dropped (a client resolved, blocked, transferred or returned to the
 * queue), hands the queued clients of their departments to whoever can take them now. Runs in
 * its own transaction after the change committed: it takes the assignment lock first, the lock
 * order every assignment follows, so it cannot deadlock with the change that freed the place.
 * Returns how many clients were assigned.
 */
export async function drainQueueForOperator({
  db,
  operatorId,
  actor = systemActor('queue'),
}: {
  db: Db;
  operatorId: string;
  actor?: Actor;
}): Promise<number> {
  return db.transaction(async (tx) => {
    const rows = await tx
      .select({ departmentId: operatorDepartments.departmentId })
      .from(operatorDepartments)
      .where(eq(operatorDepartments.operatorId, operatorId));
    return drainQueue({ tx, actor, departmentIds: rows.map((r) => r.departmentId) });
  });
}
