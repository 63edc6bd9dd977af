import { and, eq } from 'drizzle-orm';
import type { Db } from '@/db/client';
import { operators } from '@/db/schema';
import { recordSignIn } from '@/lib/auth/record-sign-in';
import type { RequestContext } from '@/lib/auth/actor';
import { clearLoginFailures, isLoginThrottled, recordLoginFailure } from '@/lib/auth/login-throttle';
import { getEnv } from '@/lib/env';
import { verifyTelegramLoginWidget } from '@/lib/telegram/verify-login-widget';
import type { AuthenticatedOperator } from './authenticate-operator';

/**
 * Sign-in with the Telegram Login Widget: the signed payload must verify with our bot token and
 * belong to the Telegram account linked to an active operator. Null for any failure (or with no
 * bot configured, or while throttled), without saying why.
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
  const keys = context?.ip ? [`ip:${context.ip}`] : [];
  if (isLoginThrottled(keys)) return null;

  const verified = verifyTelegramLoginWidget(payload, botToken);
  if (!verified.ok) {
    recordLoginFailure(keys);
    return null;
  }
  const [row] = await db
    .select({ id: operators.id, name: operators.name, email: operators.email, role: operators.role })
    .from(operators)
    .where(and(eq(operators.telegramUserId, verified.user.id), eq(operators.isActive, true)));
  if (!row) {
    recordLoginFailure(keys);
    return null;
  }
  clearLoginFailures(keys);
  return db.transaction((tx) =>
    recordSignIn(tx, row, 'telegram_widget', context, { telegramUserId: verified.user.id }),
  );
}
