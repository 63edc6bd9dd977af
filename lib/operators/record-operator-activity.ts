import { and, eq, isNull, lt, or } from 'drizzle-orm';
import type { DbOrTx } from '@/db/client';
import { operators } from '@/db/schema';
import type { OperatorActor } from '@/lib/auth/actor';
import { setOperatorStatus } from './set-operator-status';

/** lastSeenAt is written at most once per this many ms per operator (a write per request is waste). */
export const ACTIVITY_RESOLUTION_MS = 60_000;

/**
 * An operator did something (a dashboard request, a message or button in Telegram): their
 * lastSeenAt moves to `now` if it is older than ACTIVITY_RESOLUTION_MS, which is what
 * sync-operator-status measures idleness by. One whom that job made away or offline
 * (`status_auto`) comes back online through setOperatorStatus (audited, and their departments'
 * queues drain to them); a status they chose themselves is left alone. Returns whether they came
 * back online.
 */
export async function recordOperatorActivity({
  db,
  actor,
  now = new Date(),
}: {
  db: DbOrTx;
  actor: OperatorActor;
  now?: Date;
}): Promise<{ backOnline: boolean }> {
  const [row] = await db
    .update(operators)
    .set({ lastSeenAt: now })
    .where(
      and(
        eq(operators.id, actor.operatorId),
        or(
          isNull(operators.lastSeenAt),
          lt(operators.lastSeenAt, new Date(now.getTime() - ACTIVITY_RESOLUTION_MS)),
        ),
      ),
    )
    .returning({ status: operators.status, statusAuto: operators.statusAuto });
  if (!row?.statusAuto || row.status === 'online') return { backOnline: false };
  await setOperatorStatus({ db, actor, input: { operatorId: actor.operatorId, status: 'online' } });
  return { backOnline: true };
}
