import { eq, sql } from 'drizzle-orm';
import type { Db } from '@/db/client';
import { operators } from '@/db/schema';
import type { RequestContext } from '@/lib/auth/actor';
import { verifyPassword } from '@/lib/auth/password';
import { recordSignIn, type AuthenticatedOperator } from '@/lib/auth/record-sign-in';
import { beginAccountSignIn, endAccountStreak, recordSignInFailure } from '@/lib/auth/sign-in-throttle';

// Verifying against a dummy hash when the email is unknown keeps response times equal.
const DUMMY_HASH =
  'scrypt$16384$8$1$AAAAAAAAAAAAAAAAAAAAAA==$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA==';

export type { AuthenticatedOperator };

/**
 * Email + password sign-in; null for any failure, without saying why. Throttled per account and
 * source address (lib/auth/sign-in-throttle.ts): throws AppError `rate_limited` with
 * `details.retryAfterSec` when this source must wait before trying this account again.
 */
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
  const account = email.trim().toLowerCase();
  const ip = context?.ip ?? null;
  await beginAccountSignIn(db, account, ip);
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
    .where(eq(sql`lower(${operators.email})`, account));
  const ok = await verifyPassword(password, row?.passwordHash ?? DUMMY_HASH);
  if (!row || !ok || !row.isActive) {
    await recordSignInFailure(db, ip);
    return null;
  }
  await endAccountStreak(db, account, ip);
  return db.transaction((tx) => recordSignIn(tx, row, 'password', context));
}
