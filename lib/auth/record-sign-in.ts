import { eq } from 'drizzle-orm';
import type { DbOrTx } from '@/db/client';
import { operators, type OperatorRole } from '@/db/schema';
import { recordAudit } from '@/lib/audit/record-audit';
import type { RequestContext } from './actor';

export type AuthenticatedOperator = { id: string; name: string; email: string; role: OperatorRole };

/** The one place a successful sign-in is recorded: last seen, and an `auth.signed_in` audit row. */
export async function recordSignIn(
  tx: DbOrTx,
  operator: AuthenticatedOperator,
  method: 'password' | 'telegram_link' | 'telegram_widget',
  context: RequestContext | undefined,
  details: Record<string, unknown> = {},
): Promise<AuthenticatedOperator> {
  await tx.update(operators).set({ lastSeenAt: new Date() }).where(eq(operators.id, operator.id));
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
  return { id: operator.id, name: operator.name, email: operator.email, role: operator.role };
}
