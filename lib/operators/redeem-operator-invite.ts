import { and, eq, gt, isNull, ne, sql } from 'drizzle-orm';
import { z } from 'zod';
import type { DbOrTx } from '@/db/client';
import { authTokens, operators } from '@/db/schema';
import { sqlState } from '@/db/sql-state';
import { recordAudit } from '@/lib/audit/record-audit';
import { sha256Hex } from '@/lib/auth/secrets';

const inviteToken = z.string().regex(/^[A-Za-z0-9_-]{16,64}$/);
const telegramUserInput = z.object({
  id: z.number().int().positive().max(Number.MAX_SAFE_INTEGER),
  name: z.string().trim().min(1).max(256),
});

export type RedeemOperatorInviteResult =
  | { ok: true; operatorId: string; operatorName: string }
  | { ok: false; reason: 'invalid' | 'expired' | 'used' | 'taken' };

/** Postgres unique violation, directly or wrapped by Drizzle as `cause`. */
function isUniqueViolation(error: unknown): boolean {
  return sqlState(error) === '23505';
}

/**
 * Links the Telegram account that opened `/start op_<token>` to the invited operator. Runs in
 * the caller's transaction. The token is claimed with one conditional UPDATE, so two concurrent
 * redeems cannot both succeed; a refused link (`taken`) gives the claim back.
 */
export async function redeemOperatorInvite({
  tx,
  token,
  telegramUser,
}: {
  tx: DbOrTx;
  token: string;
  telegramUser: { id: number; name: string };
}): Promise<RedeemOperatorInviteResult> {
  const parsedToken = inviteToken.safeParse(token);
  const user = telegramUserInput.safeParse(telegramUser);
  if (!parsedToken.success || !user.success) return { ok: false, reason: 'invalid' };
  const tokenHash = sha256Hex(parsedToken.data);

  const [claimed] = await tx
    .update(authTokens)
    .set({ usedAt: sql`now()` })
    .where(
      and(
        eq(authTokens.tokenHash, tokenHash),
        eq(authTokens.kind, 'operator_invite'),
        isNull(authTokens.usedAt),
        gt(authTokens.expiresAt, sql`now()`),
      ),
    )
    .returning({ id: authTokens.id, operatorId: authTokens.operatorId });

  if (!claimed) {
    const [row] = await tx
      .select({ usedAt: authTokens.usedAt })
      .from(authTokens)
      .where(and(eq(authTokens.tokenHash, tokenHash), eq(authTokens.kind, 'operator_invite')));
    if (!row) return { ok: false, reason: 'invalid' };
    return { ok: false, reason: row.usedAt ? 'used' : 'expired' };
  }

  const [operator] = await tx
    .select({
      id: operators.id,
      name: operators.name,
      isActive: operators.isActive,
      previous: operators.telegramUserId,
    })
    .from(operators)
    .where(eq(operators.id, claimed.operatorId));
  // An invite to a disabled account is dead: it stays used.
  if (!operator || !operator.isActive) return { ok: false, reason: 'invalid' };

  const release = () => tx.update(authTokens).set({ usedAt: null }).where(eq(authTokens.id, claimed.id));

  const [other] = await tx
    .select({ id: operators.id })
    .from(operators)
    .where(and(eq(operators.telegramUserId, user.data.id), ne(operators.id, operator.id)));
  if (other) {
    await release();
    return { ok: false, reason: 'taken' };
  }

  const now = new Date();
  try {
    // A savepoint, so losing a race on the unique index does not abort the caller's transaction.
    await tx.transaction(async (sp) => {
      await sp
        .update(operators)
        .set({ telegramUserId: user.data.id, telegramLinkedAt: now, updatedAt: now })
        .where(eq(operators.id, operator.id));
    });
  } catch (error) {
    if (!isUniqueViolation(error)) throw error;
    await release();
    return { ok: false, reason: 'taken' };
  }

  await recordAudit(
    tx,
    { kind: 'telegram', telegramUserId: user.data.id, name: user.data.name },
    {
      action: 'operator.telegram_linked',
      targetType: 'operator',
      targetId: operator.id,
      details: {
        telegramUserId: user.data.id,
        ...(operator.previous !== null && operator.previous !== user.data.id
          ? { previousTelegramUserId: operator.previous }
          : {}),
      },
    },
  );
  return { ok: true, operatorId: operator.id, operatorName: operator.name };
}
