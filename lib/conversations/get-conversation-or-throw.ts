import { and, eq } from 'drizzle-orm';
import { alias } from 'drizzle-orm/pg-core';
import type { DbOrTx } from '@/db/client';
import { clients, conversations, departments, operators } from '@/db/schema';
import type { Actor } from '@/lib/auth/actor';
import { requireStaff } from '@/lib/auth/permissions';
import { AppError } from '@/lib/errors';
import { conversationScopeWhere } from './conversation-scope';

/** One support episode of a client, with its response and resolution times. */
export type ConversationDto = {
  id: string;
  clientId: string;
  clientDisplayName: string;
  departmentId: string | null;
  departmentName: string | null;
  /** The operator who had the client last during the episode. */
  operatorId: string | null;
  operatorName: string | null;
  status: 'open' | 'resolved';
  openedAt: string;
  firstResponseAt: string | null;
  resolvedAt: string | null;
  resolvedById: string | null;
  /** firstResponseAt − openedAt in whole seconds; null until the desk answers. */
  firstResponseSeconds: number | null;
  /** resolvedAt − openedAt in whole seconds; null while open. */
  resolutionSeconds: number | null;
  /** The client's rating (1–5), if they gave one. */
  rating: number | null;
  ratingComment: string | null;
};

const operatorNames = alias(operators, 'episode_operator');

export const conversationDtoColumns = {
  id: conversations.id,
  clientId: conversations.clientId,
  clientDisplayName: clients.displayName,
  departmentId: conversations.departmentId,
  departmentName: departments.name,
  operatorId: conversations.operatorId,
  operatorName: operatorNames.name,
  status: conversations.status,
  openedAt: conversations.openedAt,
  firstResponseAt: conversations.firstResponseAt,
  resolvedAt: conversations.resolvedAt,
  resolvedById: conversations.resolvedById,
  rating: conversations.rating,
  ratingComment: conversations.ratingComment,
};

/** Episodes joined to their client, department and operator (for their names). */
export function selectConversations(db: DbOrTx) {
  return db
    .select(conversationDtoColumns)
    .from(conversations)
    .innerJoin(clients, eq(clients.id, conversations.clientId))
    .leftJoin(departments, eq(departments.id, conversations.departmentId))
    .leftJoin(operatorNames, eq(operatorNames.id, conversations.operatorId));
}

type ConversationRow = Awaited<ReturnType<typeof selectConversations>>[number];

function seconds(from: Date, to: Date | null): number | null {
  return to ? Math.max(0, Math.floor((to.getTime() - from.getTime()) / 1000)) : null;
}

export function toConversationDto(row: ConversationRow): ConversationDto {
  return {
    ...row,
    openedAt: row.openedAt.toISOString(),
    firstResponseAt: row.firstResponseAt?.toISOString() ?? null,
    resolvedAt: row.resolvedAt?.toISOString() ?? null,
    firstResponseSeconds: seconds(row.openedAt, row.firstResponseAt),
    resolutionSeconds: seconds(row.openedAt, row.resolvedAt),
  };
}

/**
 * One support episode the actor may see (conversationScopeWhere). Errors: `forbidden` (not
 * staff), `not_found` — also for an episode the actor may not see.
 */
export async function getConversationOrThrow({
  db,
  actor,
  conversationId,
}: {
  db: DbOrTx;
  actor: Actor;
  conversationId: string;
}): Promise<ConversationDto> {
  const staff = requireStaff(actor);
  const [row] = await selectConversations(db).where(
    and(eq(conversations.id, conversationId), conversationScopeWhere(staff)),
  );
  if (!row) throw new AppError('not_found', 'Conversation not found.');
  return toConversationDto(row);
}
