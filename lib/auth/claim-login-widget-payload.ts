import { lt } from 'drizzle-orm';
import type { DbOrTx } from '@/db/client';
import { loginWidgetUses } from '@/db/schema';
import { LOGIN_WIDGET_MAX_AGE_SEC } from '@/lib/telegram/verify-login-widget';

// Rows are kept well past the freshness window (clock skew, slow requests), then pruned.
const KEEP_SEC = LOGIN_WIDGET_MAX_AGE_SEC + 60 * 60;

/**
 * Marks a verified Telegram Login Widget payload (by its signature) as used. True the first time,
 * false for a replay — one conditional INSERT, so two concurrent uses cannot both win. Payloads
 * too old to pass verification are pruned on the way. Run it in the sign-in transaction.
 */
export async function claimLoginWidgetPayload(
  tx: DbOrTx,
  payload: { signature: string; telegramUserId: number; authDate: number },
): Promise<boolean> {
  await tx
    .delete(loginWidgetUses)
    .where(lt(loginWidgetUses.authDate, new Date(Date.now() - KEEP_SEC * 1000)));
  const claimed = await tx
    .insert(loginWidgetUses)
    .values({
      hash: payload.signature,
      telegramUserId: payload.telegramUserId,
      authDate: new Date(payload.authDate * 1000),
    })
    .onConflictDoNothing()
    .returning({ hash: loginWidgetUses.hash });
  return claimed.length > 0;
}
