import { eq, sql } from 'drizzle-orm';
import type { Db } from '@/db/client';
import { operators } from '@/db/schema';
import type { RequestContext } from '@/lib/auth/actor';
import { clearLoginFailures, isLoginThrottled, recordLoginFailure } from '@/lib/auth/login-throttle';
import { verifyPassword } from '@/lib/auth/password';
import { recordSignIn, type AuthenticatedOperator } from '@/lib/auth/record-sign-in';

// Verifying against a dummy hash when the email is unknown keeps response times equal.
const DUMMY_HASH =
  'scrypt$16384$8$1$AAAAAAAAAAAAAAAAAAAAAA==$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA==';

export type { AuthenticatedOperator };

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
  return db.transaction((tx) => recordSignIn(tx, row, 'password', context));
}
