import { eq, sql } from 'drizzle-orm';
import type { DbOrTx } from '@/db/client';
import { clients, departments, messages, operators, telegramUsers } from '@/db/schema';
import type { Actor } from '@/lib/auth/actor';
import { canViewClient } from '@/lib/auth/permissions';
import { AppError } from '@/lib/errors';

export type ClientDto = {
  id: string;
  displayName: string;
  username: string | null;
  telegramUserId: number;
  chatId: number;
  status: string;
  departmentId: string | null;
  departmentName: string | null;
  assignedOperatorId: string | null;
  assignedOperatorName: string | null;
  language: string | null;
  source: string | null;
  unreadCount: number;
  lastMessageAt: string | null;
  /** When the client last wrote: how long they have been waiting, while the desk has not answered. */
  lastInboundAt: string | null;
  /** The start of the latest message but notes (text, or its kind in brackets), ≤ 140 characters. */
  lastMessagePreview: string | null;
  blockedAt: string | null;
  queuedAt: string | null;
  createdAt: string;
};

export const clientDtoColumns = {
  id: clients.id,
  displayName: clients.displayName,
  username: telegramUsers.username,
  telegramUserId: clients.telegramUserId,
  chatId: clients.chatId,
  status: clients.status,
  departmentId: clients.departmentId,
  departmentName: departments.name,
  assignedOperatorId: clients.assignedOperatorId,
  assignedOperatorName: operators.name,
  language: clients.language,
  source: clients.source,
  unreadCount: clients.unreadCount,
  lastMessageAt: clients.lastMessageAt,
  lastInboundAt: clients.lastInboundAt,
  // One index lookup per row (messages by client, newest first). Internal notes are the desk's
  // own: they are not what the client and the desk last said to each other.
  lastMessagePreview: sql<string | null>`(select left(coalesce(m.text, '[' || m.content_kind || ']'), 140)
    from ${messages} m where m.client_id = ${clients.id} and m.direction <> 'internal'
    order by m.created_at desc, m.id desc limit 1)`,
  blockedAt: clients.blockedAt,
  queuedAt: clients.queuedAt,
  createdAt: clients.createdAt,
};

type ClientRow = Awaited<ReturnType<typeof selectClients>>[number];

export function toClientDto(row: ClientRow): ClientDto {
  return {
    ...row,
    lastMessageAt: row.lastMessageAt?.toISOString() ?? null,
    lastInboundAt: row.lastInboundAt?.toISOString() ?? null,
    blockedAt: row.blockedAt?.toISOString() ?? null,
    queuedAt: row.queuedAt?.toISOString() ?? null,
    createdAt: row.createdAt.toISOString(),
  };
}

export function selectClients(db: DbOrTx) {
  return db
    .select(clientDtoColumns)
    .from(clients)
    .innerJoin(telegramUsers, eq(telegramUsers.id, clients.telegramUserId))
    .leftJoin(departments, eq(departments.id, clients.departmentId))
    .leftJoin(operators, eq(operators.id, clients.assignedOperatorId));
}

/** One client the actor may see; `not_found` (not `forbidden`) hides other people's clients. */
export async function getClientOrThrow({
  db,
  actor,
  clientId,
}: {
  db: DbOrTx;
  actor: Actor;
  clientId: string;
}): Promise<ClientDto> {
  const [row] = await selectClients(db).where(eq(clients.id, clientId));
  if (!row || !canViewClient(actor, row)) throw new AppError('not_found', 'Client not found.');
  return toClientDto(row);
}
