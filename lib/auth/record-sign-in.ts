import { eq } from 'drizzle-orm';
import type { DbOrTx } from '@/db/client';
import { operators, type OperatorRole } from '@/db/schema';
import { recordAudit } from '@/lib/audit/record-audit';
import { AppError } from '@/lib/errors';
import type { RequestContext } from './actor';

/** A signed-in operator; `sessionVersion` goes into the session token (see getOperatorActor). */
export type AuthenticatedOperator = {
  id: string;
  name: string;
  email: string;
  role: OperatorRole;
  sessionVersion: number;
};

/**
 * The one place a successful sign-in is recorded: last seen, and an `auth.signed_in` audit row.
 * Returns the operator with the session version read in the same statement, so a revocation
 * committed before this sign-in is already included. Throws AppError `unauthorized` when the
 * operator row has gone meanwhile.
 */
export async function recordSignIn(
  tx: DbOrTx,
  operator: Omit<AuthenticatedOperator, 'sessionVersion'>,
  method: 'password' | 'telegram_link' | 'telegram_widget',
  context: RequestContext | undefined,
  details: Record<string, unknown> = {},
): Promise<AuthenticatedOperator> {
  const [updated] = await tx
    .update(operators)
    .set({ lastSeenAt: new Date() })
    .where(eq(operators.id, operator.id))
    .returning({ sessionVersion: operators.sessionVersion });
  if (!updated) throw new AppError('unauthorized', 'This operator no longer exists.');
  await recordAudit(
    tx,
    {
      kind: 'operator',
      operatorId: operator.id,
      name: operator.name,
      role: operator.role,
      departmentIds: [],
      context,
    },
    {
      action: 'auth.signed_in',
      targetType: 'operator',
      targetId: operator.id,
      details: { method, ...details },
    },
  );
  return {
    id: operator.id,
    name: operator.name,
    email: operator.email,
    role: operator.role,
    sessionVersion: updated.sessionVersion,
  };
}
