import { and, eq } from 'drizzle-orm';
import type { DbOrTx } from '@/db/client';
import { operatorLogs } from '@/db/schema';
import type { Actor } from '@/lib/auth/actor';
import { requireStaff } from '@/lib/auth/permissions';
import { AppError } from '@/lib/errors';
import { operatorLogScopeWhere } from './operator-log-scope';

/** One audit row as the desk shows it. */
export type OperatorLogDto = {
  id: number;
  createdAt: string;
  actorType: 'operator' | 'system' | 'telegram' | 'api_token';
  /** Who acted, as they were called then (names change, rows do not). */
  actorLabel: string;
  operatorId: string | null;
  apiTokenId: string | null;
  /** For actions of a Telegram user (a client), their Telegram user id. */
  telegramUserId: number | null;
  action: string;
  targetType: string | null;
  targetId: string | null;
  /** The department the row is about (when it was written), if any. */
  departmentId: string | null;
  details: Record<string, unknown>;
  ip: string | null;
  userAgent: string | null;
};

export const operatorLogColumns = {
  id: operatorLogs.id,
  createdAt: operatorLogs.createdAt,
  actorType: operatorLogs.actorType,
  actorLabel: operatorLogs.actorLabel,
  operatorId: operatorLogs.operatorId,
  apiTokenId: operatorLogs.apiTokenId,
  telegramUserId: operatorLogs.telegramUserId,
  action: operatorLogs.action,
  targetType: operatorLogs.targetType,
  targetId: operatorLogs.targetId,
  departmentId: operatorLogs.departmentId,
  details: operatorLogs.details,
  ip: operatorLogs.ip,
  userAgent: operatorLogs.userAgent,
};

type OperatorLogRow = { [K in keyof typeof operatorLogColumns]: (typeof operatorLogs.$inferSelect)[K] };

export function toOperatorLogDto(row: OperatorLogRow): OperatorLogDto {
  return { ...row, createdAt: row.createdAt.toISOString() };
}

/**
 * One audit row the actor may see (operatorLogScopeWhere). Errors: `forbidden` (not staff),
 * `not_found` — also for a row the actor may not see.
 */
export async function getOperatorLogOrThrow({
  db,
  actor,
  logId,
}: {
  db: DbOrTx;
  actor: Actor;
  logId: number;
}): Promise<OperatorLogDto> {
  const staff = requireStaff(actor);
  const [row] = await db
    .select(operatorLogColumns)
    .from(operatorLogs)
    .where(and(eq(operatorLogs.id, logId), await operatorLogScopeWhere(db, staff)));
  if (!row) throw new AppError('not_found', 'Log entry not found.');
  return toOperatorLogDto(row);
}
