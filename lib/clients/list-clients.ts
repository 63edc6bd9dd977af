import { and, count, eq, ilike, isNull, or, sql, type SQL } from 'drizzle-orm';
import { z } from 'zod';
import type { DbOrTx } from '@/db/client';
import { clients, clientStatus, telegramUsers } from '@/db/schema';
import type { Actor } from '@/lib/auth/actor';
import { clientScopeWhere, requireStaff } from '@/lib/auth/permissions';
import { escapeLike, orderBy, orderingSchema, pageInput, type Page } from '@/lib/pagination/page';
import { selectClients, toClientDto, type ClientDto } from './get-client-or-throw';

export const listClientsInput = z.object({
  status: z.enum(clientStatus.enumValues).optional(),
  departmentId: z.uuid().optional(),
  assignedOperatorId: z.uuid().optional(),
  /** Only clients waiting in a queue (no operator). */
  unassigned: z.coerce.boolean().optional(),
  search: z.string().trim().max(200).optional(),
  ordering: orderingSchema(
    ['lastMessageAt', 'createdAt', 'displayName', 'status', 'unreadCount'],
    '-lastMessageAt',
  ),
  ...pageInput,
});

export type ListClientsInput = z.input<typeof listClientsInput>;

export async function listClients({
  db,
  actor,
  input,
}: {
  db: DbOrTx;
  actor: Actor;
  input: ListClientsInput;
}): Promise<Page<ClientDto>> {
  const staff = requireStaff(actor);
  const q = listClientsInput.parse(input);
  const conditions: (SQL | undefined)[] = [clientScopeWhere(staff)];
  if (q.status) conditions.push(eq(clients.status, q.status));
  if (q.departmentId) conditions.push(eq(clients.departmentId, q.departmentId));
  if (q.assignedOperatorId) conditions.push(eq(clients.assignedOperatorId, q.assignedOperatorId));
  if (q.unassigned) conditions.push(isNull(clients.assignedOperatorId));
  if (q.search) {
    const term = `%${escapeLike(q.search)}%`;
    conditions.push(
      or(
        ilike(clients.displayName, term),
        ilike(telegramUsers.username, term),
        sql`${clients.telegramUserId}::text = ${q.search}`,
      ),
    );
  }
  const where = and(...conditions);
  const ordering = orderBy(
    q.ordering,
    {
      lastMessageAt: sql`coalesce(${clients.lastMessageAt}, ${clients.createdAt})`,
      createdAt: clients.createdAt,
      displayName: clients.displayName,
      status: clients.status,
      unreadCount: clients.unreadCount,
    },
    clients.id,
  );
  const [rows, totals] = await Promise.all([
    selectClients(db)
      .where(where)
      .orderBy(...ordering)
      .limit(q.pageSize)
      .offset((q.page - 1) * q.pageSize),
    db
      .select({ value: count() })
      .from(clients)
      .innerJoin(telegramUsers, eq(telegramUsers.id, clients.telegramUserId))
      .where(where),
  ]);
  return { count: totals[0]?.value ?? 0, page: q.page, pageSize: q.pageSize, results: rows.map(toClientDto) };
}
