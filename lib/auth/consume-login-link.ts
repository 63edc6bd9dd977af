import { and, eq, gt, isNull, sql } from 'drizzle-orm';
import { z } from 'zod';
import type { Db } from '@/db/client';
import { authTokens, operators } from '@/db/schema';
import { recordSignIn } from '@/lib/auth/record-sign-in';
import type { AuthenticatedOperator } from '@/lib/operators/authenticate-operator';
import type { RequestContext } from './actor';
import { beginAddressSignIn, recordSignInFailure } from './sign-in-throttle';
import { sha256Hex } from './secrets';

/** Shape of the `token` query parameter of `/login/link` (randomToken output, base64url). */
export const loginLinkToken = z.string().regex(/^[A-Za-z0-9_-]{32,64}$/);

/**
 * Signs in with a one-time link from the bot. The token is claimed with one conditional UPDATE
 * (unused, unexpired), so it works once; null for any failure, without saying why. Throws
 * AppError `rate_limited` while this source address is refused (lib/auth/sign-in-throttle.ts).
 */
export async function consumeLoginLink({
  db,
  token,
  context,
}: {
  db: Db;
  token: string;
  context?: RequestContext;
}): Promise<AuthenticatedOperator | null> {
  const ip = context?.ip ?? null;
  await beginAddressSignIn(db, ip);
  const parsed = loginLinkToken.safeParse(token);
  if (!parsed.success) {
    await recordSignInFailure(db, ip);
    return null;
  }
  const result = await db.transaction(async (tx) => {
    const [claimed] = await tx
      .update(authTokens)
      .set({ usedAt: sql`now()` })
      .where(
        and(
          eq(authTokens.tokenHash, sha256Hex(parsed.data)),
          eq(authTokens.kind, 'login_link'),
          isNull(authTokens.usedAt),
          gt(authTokens.expiresAt, sql`now()`),
        ),
      )
      .returning({ operatorId: authTokens.operatorId });
    if (!claimed) return null;
    const [row] = await tx
      .select({
        id: operators.id,
        name: operators.name,
        email: operators.email,
        role: operators.role,
        isActive: operators.isActive,
      })
      .from(operators)
      .where(eq(operators.id, claimed.operatorId));
    // A link of a disabled operator stays used: it must not work after re-enabling either.
    if (!row || !row.isActive) return null;
    return recordSignIn(tx, row, 'telegram_link', context);
  });
  if (!result) await recordSignInFailure(db, ip);
  return result;
}
