import { and, eq } from 'drizzle-orm';
import type { Db } from '@/db/client';
import { operators } from '@/db/schema';
import type { RequestContext } from '@/lib/auth/actor';
import { claimLoginWidgetPayload } from '@/lib/auth/claim-login-widget-payload';
import { recordSignIn } from '@/lib/auth/record-sign-in';
import { beginAddressSignIn, recordSignInFailure } from '@/lib/auth/sign-in-throttle';
import { getEnv } from '@/lib/env';
import { verifyTelegramLoginWidget } from '@/lib/telegram/verify-login-widget';
import type { AuthenticatedOperator } from './authenticate-operator';

/**
 * Sign-in with the Telegram Login Widget: the signed payload must verify with our bot token, be
 * at most LOGIN_WIDGET_MAX_AGE_SEC old, never have been used before (claimLoginWidgetPayload),
 * and belong to the Telegram account linked to an active operator. Null for any failure (or
 * with no bot configured), without saying why. Throws AppError `rate_limited` while this source
 * address is refused (lib/auth/sign-in-throttle.ts).
 */
export async function authenticateTelegramWidget({
  db,
  payload,
  context,
}: {
  db: Db;
  payload: unknown;
  context?: RequestContext;
}): Promise<AuthenticatedOperator | null> {
  const botToken = getEnv().TELEGRAM_BOT_TOKEN;
  if (!botToken) return null;
  const ip = context?.ip ?? null;
  await beginAddressSignIn(db, ip);

  const verified = verifyTelegramLoginWidget(payload, botToken);
  if (!verified.ok) {
    await recordSignInFailure(db, ip);
    return null;
  }
  const result = await db.transaction(async (tx) => {
    // Claimed before the operator lookup: a valid payload is spent whether or not it signs in.
    const fresh = await claimLoginWidgetPayload(tx, {
      signature: verified.signature,
      telegramUserId: verified.user.id,
      authDate: verified.user.authDate,
    });
    if (!fresh) return null;
    const [row] = await tx
      .select({ id: operators.id, name: operators.name, email: operators.email, role: operators.role })
      .from(operators)
      .where(and(eq(operators.telegramUserId, verified.user.id), eq(operators.isActive, true)));
    if (!row) return null;
    return recordSignIn(tx, row, 'telegram_widget', context, { telegramUserId: verified.user.id });
  });
  if (!result) await recordSignInFailure(db, ip);
  return result;
}
