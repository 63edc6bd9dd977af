import { inArray } from 'drizzle-orm';
import { z } from 'zod';
import type { Db } from '@/db/client';
import { apiTokens, departments, operatorRole } from '@/db/schema';
import { recordAudit } from '@/lib/audit/record-audit';
import type { Actor } from '@/lib/auth/actor';
import { requireRole } from '@/lib/auth/permissions';
import { AppError } from '@/lib/errors';
import { toApiTokenDto, type ApiTokenDto } from './api-token-dto';
import { newTokenSecret } from './token-secret';

export const createApiTokenInput = z
  .object({
    name: z.string().trim().min(1).max(100),
    role: z.enum(operatorRole.enumValues),
    /** The departments a supervisor or operator token works in (ignored for admin tokens). */
    departmentIds: z.array(z.uuid()).max(100).default([]),
    /** When the token stops working; none: until revoked. */
    expiresAt: z.coerce.date().optional(),
  })
  .strict();

/**
 * Admins (and scripts, as the system actor) create an API token with a role and a department
 * scope, like an operator's. Returns the token itself once — only its SHA-256 is stored — and
 * writes the audit row. Errors: `forbidden`, `unprocessable_entity` (no departments for a
 * scoped role, an unknown department, an expiry in the past).
 */
export async function createApiToken({
  db,
  actor,
  input,
  now = new Date(),
}: {
  db: Db;
  actor: Actor;
  input: z.input<typeof createApiTokenInput>;
  now?: Date;
}): Promise<ApiTokenDto & { token: string }> {
  if (actor.kind !== 'system') requireRole(actor, ['admin']);
  const data = createApiTokenInput.parse(input);
  const departmentIds = data.role === 'admin' ? [] : [...new Set(data.departmentIds)];
  if (data.role !== 'admin' && departmentIds.length === 0) {
    throw new AppError(
      'unprocessable_entity',
      'A supervisor or operator token needs at least one department.',
    );
  }
  if (data.expiresAt && data.expiresAt <= now) {
    throw new AppError('unprocessable_entity', 'The expiry must be in the future.');
  }
  return db.transaction(async (tx) => {
    if (departmentIds.length > 0) {
      const found = await tx
        .select({ id: departments.id })
        .from(departments)
        .where(inArray(departments.id, departmentIds));
      if (found.length !== departmentIds.length)
        throw new AppError('unprocessable_entity', 'Unknown department.');
    }
    const secret = newTokenSecret();
    const [row] = await tx
      .insert(apiTokens)
      .values({
        name: data.name,
        tokenHash: secret.hash,
        prefix: secret.prefix,
        role: data.role,
        departmentIds,
        createdById: actor.kind === 'operator' ? actor.operatorId : null,
        expiresAt: data.expiresAt ?? null,
      })
      .returning();
    if (!row) throw new Error('token insert returned no row');
    await recordAudit(tx, actor, {
      action: 'api_token.created',
      targetType: 'api_token',
      targetId: row.id,
      details: {
        name: row.name,
        prefix: row.prefix,
        role: row.role,
        departmentIds,
        expiresAt: data.expiresAt ?? null,
      },
    });
    return { ...toApiTokenDto(row), token: secret.token };
  });
}
