import { and, asc, eq, inArray } from 'drizzle-orm';
import type { DbOrTx } from '@/db/client';
import { operatorDepartments, operators, type OperatorRole, type OperatorStatus } from '@/db/schema';
import type { Actor } from '@/lib/auth/actor';
import { requireStaff } from '@/lib/auth/permissions';
import { AppError } from '@/lib/errors';
import { operatorScopeWhere } from './operator-scope';

/** An operator as the desk shows them: never the password hash or the session version. */
export type OperatorDto = {
  id: string;
  name: string;
  email: string;
  role: OperatorRole;
  status: OperatorStatus;
  isActive: boolean;
  capacity: number;
  /** Clients assigned to them in an active status (new, in progress, waiting). */
  activeClients: number;
  /** activeClients / capacity (0 when capacity is 0), rounded to 3 decimals; above 1 when over. */
  load: number;
  lastSeenAt: string | null;
  statusChangedAt: string | null;
  telegramLinked: boolean;
  telegramLinkedAt: string | null;
  /**
   * The linked Telegram account's user id: admins only (undefined for anyone else). It is the
   * operator's private account, which colleagues have no need to find.
   */
  telegramUserId?: number | null;
  departmentIds: string[];
  createdAt: string;
  updatedAt: string;
};

export const operatorDtoColumns = {
  id: operators.id,
  name: operators.name,
  email: operators.email,
  role: operators.role,
  status: operators.status,
  isActive: operators.isActive,
  capacity: operators.capacity,
  activeClients: operators.activeClients,
  lastSeenAt: operators.lastSeenAt,
  statusChangedAt: operators.statusChangedAt,
  telegramUserId: operators.telegramUserId,
  telegramLinkedAt: operators.telegramLinkedAt,
  createdAt: operators.createdAt,
  updatedAt: operators.updatedAt,
};

type OperatorRow = {
  [K in keyof typeof operatorDtoColumns]: (typeof operators.$inferSelect)[K];
};

/** Whether the actor sees operators' Telegram ids. */
function seesTelegramIds(actor: Actor): boolean {
  return (
    actor.kind === 'system' ||
    ((actor.kind === 'operator' || actor.kind === 'api_token') && actor.role === 'admin')
  );
}

/** The DTOs of `rows`, with each one's department ids read in one query. */
export async function toOperatorDtos(db: DbOrTx, actor: Actor, rows: OperatorRow[]): Promise<OperatorDto[]> {
  const memberships =
    rows.length === 0
      ? []
      : await db
          .select({
            operatorId: operatorDepartments.operatorId,
            departmentId: operatorDepartments.departmentId,
          })
          .from(operatorDepartments)
          .where(
            inArray(
              operatorDepartments.operatorId,
              rows.map((r) => r.id),
            ),
          )
          .orderBy(asc(operatorDepartments.departmentId));
  const admin = seesTelegramIds(actor);
  return rows.map((row) => ({
    id: row.id,
    name: row.name,
    email: row.email,
    role: row.role,
    status: row.status,
    isActive: row.isActive,
    capacity: row.capacity,
    activeClients: row.activeClients,
    load: row.capacity > 0 ? Math.round((row.activeClients / row.capacity) * 1000) / 1000 : 0,
    lastSeenAt: row.lastSeenAt?.toISOString() ?? null,
    statusChangedAt: row.statusChangedAt?.toISOString() ?? null,
    telegramLinked: row.telegramUserId !== null,
    telegramLinkedAt: row.telegramUserId !== null ? (row.telegramLinkedAt?.toISOString() ?? null) : null,
    ...(admin ? { telegramUserId: row.telegramUserId } : {}),
    departmentIds: memberships.filter((m) => m.operatorId === row.id).map((m) => m.departmentId),
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
  }));
}

/**
 * One operator the actor may see (operatorScopeWhere; the system actor sees all). Errors:
 * `forbidden` (not staff), `not_found` — also for operators the actor may not see.
 */
export async function getOperatorOrThrow({
  db,
  actor,
  operatorId,
}: {
  db: DbOrTx;
  actor: Actor;
  operatorId: string;
}): Promise<OperatorDto> {
  const scope = actor.kind === 'system' ? undefined : operatorScopeWhere(requireStaff(actor));
  const rows = await db
    .select(operatorDtoColumns)
    .from(operators)
    .where(and(eq(operators.id, operatorId), scope));
  const [dto] = await toOperatorDtos(db, actor, rows);
  if (!dto) throw new AppError('not_found', 'Operator not found.');
  return dto;
}
