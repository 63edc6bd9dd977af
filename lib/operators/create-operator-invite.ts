import { and, eq, isNull } from 'drizzle-orm';
import { z } from 'zod';
import type { DbOrTx } from '@/db/client';
import { authTokens, operators } from '@/db/schema';
import { recordAudit } from '@/lib/audit/record-audit';
import { isStaff, type Actor } from '@/lib/auth/actor';
import { requireRole } from '@/lib/auth/permissions';
import { randomToken, sha256Hex } from '@/lib/auth/secrets';
import { getEnv } from '@/lib/env';
import { AppError } from '@/lib/errors';
import { getOperatorOrThrow } from './get-operator-or-throw';

export const createOperatorInviteInput = z.object({
  operatorId: z.uuid(),
  ttlHours: z.number().int().min(1).max(720).default(72),
});

/** The `/start` parameter of the invite deep link. */
export const OPERATOR_INVITE_PREFIX = 'op_';

// Telegram deep-link parameters: at most 64 characters of A-Z a-z 0-9 _ -.
const deepLinkPayload = z.string().regex(/^[A-Za-z0-9_-]{1,64}$/);
const botUsername = z
  .string()
  .transform((v) => v.replace(/^@/, ''))
  .pipe(z.string().regex(/^[A-Za-z0-9_]{3,64}$/));

export type OperatorInvite = { url: string; token: string; expiresAt: string };

/**
 * An admin (or a script, as the system actor) invites an operator to link their Telegram
 * account: the operator opens `t.me/<bot>?start=op_<token>`. Only the token's hash is stored;
 * a new invite revokes the operator's earlier unused ones. Errors: `not_found` (also for an
 * operator a non-admin may not see), `forbidden` (not an admin), `conflict` (a disabled operator,
 * no bot username configured), ZodError.
 */
export async function createOperatorInvite({
  db,
  actor,
  input,
}: {
  db: DbOrTx;
  actor: Actor;
  input: z.input<typeof createOperatorInviteInput>;
}): Promise<OperatorInvite> {
  const { operatorId, ttlHours } = createOperatorInviteInput.parse(input);
  if (actor.kind !== 'system') {
    // Someone the actor may not see does not exist for them (404); seeing is not inviting (403).
    if (isStaff(actor)) await getOperatorOrThrow({ db, actor, operatorId });
    requireRole(actor, ['admin']);
  }
  const configured = getEnv().TELEGRAM_BOT_USERNAME;
  if (!configured) {
    throw new AppError(
      'conflict',
      'Set TELEGRAM_BOT_USERNAME (the bot username from @BotFather, without @) to create Telegram invites.',
    );
  }
  const username = botUsername.safeParse(configured);
  if (!username.success) {
    throw new AppError('conflict', 'TELEGRAM_BOT_USERNAME does not look like a Telegram bot username.');
  }

  const token = randomToken(24);
  const payload = deepLinkPayload.parse(`${OPERATOR_INVITE_PREFIX}${token}`);
  const expiresAt = new Date(Date.now() + ttlHours * 3600 * 1000);

  await db.transaction(async (tx) => {
    const [operator] = await tx
      .select({ id: operators.id, isActive: operators.isActive })
      .from(operators)
      .where(eq(operators.id, operatorId));
    if (!operator) throw new AppError('not_found', 'Operator not found.');
    if (!operator.isActive) throw new AppError('conflict', 'This operator is disabled; enable them first.');

    const revoked = await tx
      .update(authTokens)
      .set({ usedAt: new Date() })
      .where(
        and(
          eq(authTokens.operatorId, operatorId),
          eq(authTokens.kind, 'operator_invite'),
          isNull(authTokens.usedAt),
        ),
      )
      .returning({ id: authTokens.id });
    await tx.insert(authTokens).values({
      kind: 'operator_invite',
      tokenHash: sha256Hex(token),
      operatorId,
      createdById: actor.kind === 'operator' ? actor.operatorId : null,
      expiresAt,
    });
    await recordAudit(tx, actor, {
      action: 'operator.invite_created',
      targetType: 'operator',
      targetId: operatorId,
      details: { expiresAt: expiresAt.toISOString(), revokedInvites: revoked.length },
    });
  });

  return {
    url: `https://t.me/${username.data}?start=${payload}`,
    token,
    expiresAt: expiresAt.toISOString(),
  };
}
