import { and, eq, sql } from 'drizzle-orm';
import type { DbOrTx } from '@/db/client';
import { operators } from '@/db/schema';
import { recordAudit } from '@/lib/audit/record-audit';
import type { Actor } from '@/lib/auth/actor';
import { AppError } from '@/lib/errors';

/**
 * Ends every session of an operator, on every device, by raising their session_version (tokens
 * carry the number they were issued with; getOperatorActor refuses older ones). Allowed for the
 * operator themself (sign-out) and for admins. With `ifSessionVersion` nothing happens unless that
 * is still the current number — a sign-out with an already revoked token changes nothing.
 * Returns whether sessions were ended. Throws AppError `forbidden` for anyone else.
 */
export async function revokeOperatorSessions({
  db,
  actor,
  operatorId,
  ifSessionVersion,
  reason,
}: {
  db: DbOrTx;
  actor: Actor;
  operatorId: string;
  ifSessionVersion?: number;
  reason: 'signed_out' | 'revoked';
}): Promise<boolean> {
  const self = actor.kind === 'operator' && actor.operatorId === operatorId;
  const admin = (actor.kind === 'operator' || actor.kind === 'api_token') && actor.role === 'admin';
  if (!self && !admin && actor.kind !== 'system') {
    throw new AppError('forbidden', "You cannot end this operator's sessions.");
  }
  return db.transaction(async (tx) => {
    const [row] = await tx
      .update(operators)
      .set({ sessionVersion: sql`${operators.sessionVersion} + 1`, updatedAt: new Date() })
      .where(
        and(
          eq(operators.id, operatorId),
          ifSessionVersion === undefined ? undefined : eq(operators.sessionVersion, ifSessionVersion),
        ),
      )
      .returning({ id: operators.id });
    if (!row) return false;
    await recordAudit(tx, actor, {
      action: reason === 'signed_out' ? 'auth.signed_out' : 'auth.sessions_revoked',
      targetType: 'operator',
      targetId: operatorId,
    });
    return true;
  });
}
