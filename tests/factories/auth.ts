import { createHash, createHmac } from 'node:crypto';
import { and, eq, sql } from 'drizzle-orm';
import type { Db } from '@/db/client';
import { authTokens, operators } from '@/db/schema';

type WidgetFields = Record<string, string | number>;

/** Signs a Login Widget user object as Telegram does, independently of the code under test. */
export function signTelegramWidget<T extends WidgetFields>(
  fields: T,
  botToken: string,
): T & { hash: string } {
  const dataCheckString = Object.keys(fields)
    .sort()
    .map((key) => `${key}=${String(fields[key])}`)
    .join('\n');
  const secret = createHash('sha256').update(botToken).digest();
  return { ...fields, hash: createHmac('sha256', secret).update(dataCheckString).digest('hex') };
}

export async function linkOperatorTelegram(db: Db, operatorId: string, telegramUserId: number) {
  await db
    .update(operators)
    .set({ telegramUserId, telegramLinkedAt: new Date() })
    .where(eq(operators.id, operatorId));
}

/** Moves an operator's tokens of one kind into the past, as if their time ran out. */
export async function expireAuthTokens(db: Db, operatorId: string, kind: 'operator_invite' | 'login_link') {
  await db
    .update(authTokens)
    .set({ expiresAt: sql`now() - interval '1 second'` })
    .where(and(eq(authTokens.operatorId, operatorId), eq(authTokens.kind, kind)));
}
