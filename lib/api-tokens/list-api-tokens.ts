import { desc } from 'drizzle-orm';
import type { DbOrTx } from '@/db/client';
import { apiTokens } from '@/db/schema';
import type { Actor } from '@/lib/auth/actor';
import { requireRole } from '@/lib/auth/permissions';
import { toApiTokenDto, type ApiTokenDto } from './api-token-dto';

/** Every API token, newest first, for admins: prefix, role, scope, expiry, last use — never a secret. */
export async function listApiTokens({ db, actor }: { db: DbOrTx; actor: Actor }): Promise<ApiTokenDto[]> {
  requireRole(actor, ['admin']);
  const rows = await db.select().from(apiTokens).orderBy(desc(apiTokens.createdAt));
  return rows.map(toApiTokenDto);
}
