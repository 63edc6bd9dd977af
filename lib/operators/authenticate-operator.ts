import { eq, sql } from 'drizzle-orm';
import type { Db } from '@/db/client';
import { operators } from '@/db/schema';
import { recordAudit } from '@/lib/audit/record-audit';
import type { RequestContext } from '@/lib/auth/actor';
import { clearLoginFailures, isLoginThrottled, recordLoginFailure } from '@/lib/auth/login-throttle';
import { verifyPassword } from '@/lib/auth/password';

// Verifying against a dummy hash when the email is unknown keeps response times equal.
const DUMMY_HASH =
  'scrypt$16384$8$1$AAAAAAAAAAAAAAAAAAAAAA==$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA==';

export type AuthenticatedOperator = {
  id: string;
  name: string;
  email: string;
  role: 'admin' | 'supervisor' | 'operator';
};

/** Email + password sign-in; null for any failure (or while throttled), without saying why. */
export async function authenticateOperator({
  db,
  email,
  password,
  context,
}: {
  db: Db;
  email: string;
  password: string;
  context?: RequestContext;
}): Promise<AuthenticatedOperator | null> {
  const keys = [`email:${email.trim().toLowerCase()}`, ...(context?.ip ? [`ip:${context.ip}`] : [])];
  if (isLoginThrottled(keys)) return null;
  const [row] = await db
    .select({
      id: operators.id,
      name: operators.name,
      email: operators.email,
      role: operators.role,
      passwordHash: operators.passwordHash,
      isActive: operators.isActive,
    })
    .from(operators)
    .where(eq(sql`lower(${operators.email})`, email.trim().toLowerCase()));
  const ok = await verifyPassword(password, row?.passwordHash ?? DUMMY_HASH);
  if (!row || !ok || !row.isActive) {
    recordLoginFailure(keys);
    return null;
  }
  clearLoginFailures(keys);
  await db.transaction(async (tx) => {
    await tx.update(operators).set({ lastSeenAt: new Date() }).where(eq(operators.id, row.id));
    await recordAudit(
      tx,
      { kind: 'operator', operatorId: row.id, name: row.name, role: row.role, departmentIds: [], context },
      { action: 'auth.signed_in', targetType: 'operator', targetId: row.id, details: { method: 'password' } },
    );
  });
  return { id: row.id, name: row.name, email: row.email, role: row.role };
}
