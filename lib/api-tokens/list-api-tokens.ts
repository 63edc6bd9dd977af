import { desc, eq, inArray } from 'drizzle-orm';
import type { DbOrTx } from '@/db/client';
import { apiTokens, departments, operators } from '@/db/schema';
import type { Actor } from '@/lib/auth/actor';
import { requireRole } from '@/lib/auth/permissions';
import { toApiTokenDto, type ApiTokenDto } from './api-token-dto';

/** A token in the admins' list: its DTO with the names a person reads. */
export type ApiTokenListItem = ApiTokenDto & {
  /** Who created it (null: a script, or an operator since deleted). */
  createdByName: string | null;
  /** Its departments in the order stored; a department since deleted is left out. */
  departments: { id: string; name: string }[];
};

/**
 * Every API token, newest first, for admins: prefix, role, scope, expiry, last use, revocation,
 * with the creator's and the departments' names — never a secret nor a hash. Tokens are few (an
 * admin makes each by hand), so the list is not paged. Errors: `forbidden` for anyone but an
 * admin.
 */
export async function listApiTokens({
  db,
  actor,
}: {
  db: DbOrTx;
  actor: Actor;
}): Promise<ApiTokenListItem[]> {
  requireRole(actor, ['admin']);
  const rows = await db
    .select({ token: apiTokens, createdByName: operators.name })
    .from(apiTokens)
    .leftJoin(operators, eq(operators.id, apiTokens.createdById))
    .orderBy(desc(apiTokens.createdAt), desc(apiTokens.id));
  const ids = [...new Set(rows.flatMap((r) => r.token.departmentIds))];
  const names = new Map(
    ids.length === 0
      ? []
      : (
          await db
            .select({ id: departments.id, name: departments.name })
            .from(departments)
            .where(inArray(departments.id, ids))
        ).map((d) => [d.id, d.name]),
  );
  return rows.map(({ token, createdByName }) => ({
    ...toApiTokenDto(token),
    createdByName,
    departments: token.departmentIds.flatMap((id) => {
      const name = names.get(id);
      return name === undefined ? [] : [{ id, name }];
    }),
  }));
}
