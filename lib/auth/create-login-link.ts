import { and, eq, isNull } from 'drizzle-orm';
import { z } from 'zod';
import type { DbOrTx } from '@/db/client';
import { authTokens, operators } from '@/db/schema';
import { recordAudit } from '@/lib/audit/record-audit';
import { getEnv } from '@/lib/env';
import { AppError } from '@/lib/errors';
import type { Actor } from './actor';
import { randomToken, sha256Hex } from './secrets';

export const LOGIN_LINK_TTL_MS = 5 * 60 * 1000;

export type LoginLink = { url: string; expiresAt: string };

/**
 * A one-time sign-in link for an operator, sent by the bot in answer to `/login` from the
 * operator's linked Telegram account. Valid for 5 minutes, once; only its hash is stored, and
 * it replaces the operator's earlier unused links. Runs in the caller's transaction.
 *
 * Allowed for: the operator's own linked Telegram account, the operator themself, the system.
 */
export async function createLoginLink({
  tx,
  operatorId,
  actor,
}: {
  tx: DbOrTx;
  operatorId: string;
  actor: Actor;
}): Promise<LoginLink> {
  const id = z.uuid().safeParse(operatorId);
  if (!id.success) throw new AppError('not_found', 'Operator not found.');
  const [operator] = await tx
    .select({ id: operators.id, isActive: operators.isActive, telegramUserId: operators.telegramUserId })
    .from(operators)
    .where(eq(operators.id, id.data));
  if (!operator || !operator.isActive) throw new AppError('not_found', 'Operator not found or disabled.');

  const allowed =
    actor.kind === 'system' ||
    (actor.kind === 'telegram' && operator.telegramUserId === actor.telegramUserId) ||
    (actor.kind === 'operator' && actor.operatorId === operator.id);
  if (!allowed) throw new AppError('forbidden', 'Only the operator can get a sign-in link for themselves.');

  const token = randomToken(32);
  const now = new Date();
  const expiresAt = new Date(now.getTime() + LOGIN_LINK_TTL_MS);
  await tx
    .update(authTokens)
    .set({ usedAt: now })
    .where(
      and(
        eq(authTokens.operatorId, operator.id),
        eq(authTokens.kind, 'login_link'),
        isNull(authTokens.usedAt),
      ),
    );
  await tx.insert(authTokens).values({
    kind: 'login_link',
    tokenHash: sha256Hex(token),
    operatorId: operator.id,
    createdById: actor.kind === 'operator' ? actor.operatorId : null,
    expiresAt,
  });
  await recordAudit(tx, actor, {
    action: 'auth.login_link_created',
    targetType: 'operator',
    targetId: operator.id,
    details: { expiresAt: expiresAt.toISOString() },
  });

  const base = getEnv().APP_URL.replace(/\/+$/, '');
  return { url: `${base}/login/link?token=${token}`, expiresAt: expiresAt.toISOString() };
}
