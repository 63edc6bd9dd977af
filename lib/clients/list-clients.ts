import {
  and,
  asc,
  count,
  desc,
  eq,
  gt,
  gte,
  inArray,
  isNotNull,
  isNull,
  lt,
  or,
  sql,
  type SQL,
} from 'drizzle-orm';
import { z } from 'zod';
import type { DbOrTx } from '@/db/client';
import { clients, clientStatus, telegramUsers } from '@/db/schema';
import { booleanParam, instantParam, listParam } from '@/lib/api/query-params';
import type { Actor } from '@/lib/auth/actor';
import { clientScopeWhere, requireStaff } from '@/lib/auth/permissions';
import { defineList, type ListPage } from '@/lib/pagination/list-input';
import { escapeLike } from '@/lib/pagination/page';
import { selectClients, toClientDto, type ClientDto } from './get-client-or-throw';

/** The clients list's query (REST API `GET /clients`, the dashboard's clients and queue views). */
export const clientList = defineList({
  filters: {
    status: listParam(z.enum(clientStatus.enumValues)).meta({
      description: 'Client statuses, comma-separated.',
    }),
    departmentId: z.uuid(),
    assignedOperatorId: z.uuid(),
    /** Only clients nobody has (waiting in a queue). */
    unassigned: booleanParam(),
    /** Only clients with (true) or without (false) unread messages. */
    hasUnread: booleanParam(),
    createdFrom: instantParam(),
    createdTo: instantParam(),
    lastMessageFrom: instantParam(),
    lastMessageTo: instantParam(),
  },
  ordering: ['lastMessageAt', 'createdAt', 'displayName', 'status', 'unreadCount', 'queuedAt'],
  defaultOrdering: '-lastMessageAt',
  search: true,
});

export type ListClientsInput = z.input<typeof clientList.schema>;

const orderColumns = {
  lastMessageAt: clients.lastMessageAt,
  createdAt: clients.createdAt,
  displayName: clients.displayName,
  status: clients.status,
  unreadCount: clients.unreadCount,
  queuedAt: clients.queuedAt,
} as const;

/**
 * A page of the clients the actor may see (admin: all; supervisor: their departments; operator:
 * their own and their departments' queue), filtered, searched (name, @username, Telegram id)
 * and ordered — missing values last, ties by id — with the total count. Errors: `forbidden`
 * for non-staff actors; invalid input throws a ZodError.
 */
export async function listClients({
  db,
  actor,
  input,
}: {
  db: DbOrTx;
  actor: Actor;
  input: ListClientsInput;
}): Promise<ListPage<ClientDto>> {
  const staff = requireStaff(actor);
  const q = clientList.schema.parse(input);
  const conditions: (SQL | undefined)[] = [clientScopeWhere(staff)];
  if (q.status) conditions.push(inArray(clients.status, q.status));
  if (q.departmentId) conditions.push(eq(clients.departmentId, q.departmentId));
  if (q.assignedOperatorId) conditions.push(eq(clients.assignedOperatorId, q.assignedOperatorId));
  if (q.unassigned !== undefined)
    conditions.push(
      q.unassigned ? isNull(clients.assignedOperatorId) : isNotNull(clients.assignedOperatorId),
    );
  if (q.hasUnread !== undefined)
    conditions.push(q.hasUnread ? gt(clients.unreadCount, 0) : eq(clients.unreadCount, 0));
  if (q.createdFrom) conditions.push(gte(clients.createdAt, q.createdFrom));
  if (q.createdTo) conditions.push(lt(clients.createdAt, q.createdTo));
  if (q.lastMessageFrom) conditions.push(gte(clients.lastMessageAt, q.lastMessageFrom));
  if (q.lastMessageTo) conditions.push(lt(clients.lastMessageAt, q.lastMessageTo));
  if (q.search) {
    const term = `%${escapeLike(q.search.toLowerCase())}%`;
    const id = /^\d{1,15}$/.test(q.search) ? Number(q.search) : null;
    // Each branch is an indexed condition on clients (trigrams of the name; the Telegram id), so
    // the planner combines them instead of reading every client. The @username lives on
    // telegram_users: its matches are found first, through that table's trigram index.
    const byUsername = db
      .select({ id: telegramUsers.id })
      .from(telegramUsers)
      .where(sql`lower(${telegramUsers.username}) like ${term}`);
    conditions.push(
      or(
        sql`lower(${clients.displayName}) like ${term}`,
        sql`${clients.telegramUserId} = any(array(${byUsername}))`,
        ...(id !== null ? [eq(clients.telegramUserId, id)] : []),
      ),
    );
  }
  const where = and(...conditions);
  const descending = q.ordering.startsWith('-');
  const field = (descending ? q.ordering.slice(1) : q.ordering) as keyof typeof orderColumns;
  const column = orderColumns[field];
  // The default order, -lastMessageAt, is the order of the clients indexes that end in
  // (last_message_at desc nulls last, id desc): a page of one status is a range of one of them.
  const ordering = descending
    ? [sql`${column} desc nulls last`, desc(clients.id)]
    : [sql`${column} asc nulls last`, asc(clients.id)];
  // The page's ids and the count read clients alone; only the page's own rows are then joined to
  // their Telegram user, department and operator (joining first made Postgres join every match).
  const [page, totals] = await Promise.all([
    db
      .select({ id: clients.id })
      .from(clients)
      .where(where)
      .orderBy(...ordering)
      .limit(q.pageSize)
      .offset((q.page - 1) * q.pageSize),
    db.select({ value: count() }).from(clients).where(where),
  ]);
  const ids = page.map((p) => p.id);
  const rows = ids.length > 0 ? await selectClients(db).where(inArray(clients.id, ids)) : [];
  const byId = new Map(rows.map((row) => [row.id, row]));
  return {
    count: totals[0]?.value ?? 0,
    page: q.page,
    pageSize: q.pageSize,
    // In the page's order; a client deleted in between is left out.
    results: ids.flatMap((id) => {
      const row = byId.get(id);
      return row ? [toClientDto(row)] : [];
    }),
  };
}
