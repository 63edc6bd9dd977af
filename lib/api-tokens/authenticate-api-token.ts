import { eq } from 'drizzle-orm';
import type { Db } from '@/db/client';
import { apiTokens } from '@/db/schema';
import type { ApiTokenActor, RequestContext } from '@/lib/auth/actor';
import { AppError } from '@/lib/errors';
import { hashToken, looksLikeToken } from './token-secret';

/** Last-use bookkeeping is written at most this often per token (not on every request). */
const LAST_USED_EVERY_MS = 60_000;

/**
 * The actor of a bearer token: its role and department scope, for the audit trail with the
 * request's address and user agent. Unknown, revoked and expired tokens are all `unauthorized`
 * with a sentence saying which. Records when and from where the token was last used.
 */
export async function authenticateApiToken({
  db,
  token,
  context,
  now = new Date(),
}: {
  db: Db;
  token: string;
  context: RequestContext;
  now?: Date;
}): Promise<ApiTokenActor> {
  if (!looksLikeToken(token)) throw new AppError('unauthorized', 'That is not an API token of this desk.');
  const [row] = await db
    .select()
    .from(apiTokens)
    .where(eq(apiTokens.tokenHash, hashToken(token)));
  if (!row) throw new AppError('unauthorized', 'Unknown API token.');
  if (row.revokedAt) throw new AppError('unauthorized', 'This API token was revoked.');
  if (row.expiresAt && row.expiresAt <= now)
    throw new AppError('unauthorized', 'This API token has expired.');
  const stale = !row.lastUsedAt || now.getTime() - row.lastUsedAt.getTime() > LAST_USED_EVERY_MS;
  if (stale || (context.ip && context.ip !== row.lastUsedIp)) {
    await db
      .update(apiTokens)
      .set({ lastUsedAt: now, lastUsedIp: context.ip ?? row.lastUsedIp })
      .where(eq(apiTokens.id, row.id));
  }
  return {
    kind: 'api_token',
    tokenId: row.id,
    name: `API token “${row.name}” (${row.prefix}…)`,
    role: row.role,
    departmentIds: row.departmentIds,
    context,
  };
}
