import { and, eq, isNull } from 'drizzle-orm';
import { z } from 'zod';
import type { Db } from '@/db/client';
import { apiTokens } from '@/db/schema';
import { recordAudit } from '@/lib/audit/record-audit';
import type { Actor } from '@/lib/auth/actor';
import { requireRole } from '@/lib/auth/permissions';
import { AppError } from '@/lib/errors';
import { toApiTokenDto, type ApiTokenDto } from './api-token-dto';

export const revokeApiTokenInput = z.object({ id: z.uuid() });

/**
 * Admins revoke a token: it stops working at once (every request looks it up). Revoking twice
 * changes nothing. Errors: `forbidden`, `not_found`.
 */
export async function revokeApiToken({
  db,
  actor,
  input,
}: {
  db: Db;
  actor: Actor;
  input: z.input<typeof revokeApiTokenInput>;
}): Promise<ApiTokenDto> {
  if (actor.kind !== 'system') requireRole(actor, ['admin']);
  const { id } = revokeApiTokenInput.parse(input);
  return db.transaction(async (tx) => {
    const [revoked] = await tx
      .update(apiTokens)
      .set({ revokedAt: new Date() })
      .where(and(eq(apiTokens.id, id), isNull(apiTokens.revokedAt)))
      .returning();
    if (revoked) {
      await recordAudit(tx, actor, {
        action: 'api_token.revoked',
        targetType: 'api_token',
        targetId: id,
        details: { name: revoked.name, prefix: revoked.prefix },
      });
      return toApiTokenDto(revoked);
    }
    const [row] = await tx.select().from(apiTokens).where(eq(apiTokens.id, id));
    if (!row) throw new AppError('not_found', 'API token not found.');
    return toApiTokenDto(row);
  });
}
