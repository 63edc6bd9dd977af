import { and, eq, gte, lt, sql, type SQL } from 'drizzle-orm';
import { z } from 'zod';
import type { DbOrTx } from '@/db/client';
import { conversations, conversationStatus } from '@/db/schema';
import { instantParam } from '@/lib/api/query-params';
import type { Actor } from '@/lib/auth/actor';
import { requireStaff } from '@/lib/auth/permissions';
import { assertWithinCap, cappedCount } from '@/lib/pagination/capped-count';
import { defineList, type ListPage } from '@/lib/pagination/list-input';
import { conversationScopeWhere } from './conversation-scope';
import { selectConversations, toConversationDto, type ConversationDto } from './get-conversation-or-throw';

/** The support episodes list's query (REST API `GET /conversations`, the dashboard's reports). */
export const conversationList = defineList({
  filters: {
    clientId: z.uuid(),
    departmentId: z.uuid(),
    operatorId: z.uuid(),
    status: z.enum(conversationStatus.enumValues),
    openedFrom: instantParam(),
    openedTo: instantParam(),
    resolvedFrom: instantParam(),
    resolvedTo: instantParam(),
  },
  ordering: ['openedAt', 'resolvedAt', 'firstResponseSeconds', 'resolutionSeconds'],
  defaultOrdering: '-openedAt',
  search: false,
});

export type ListConversationsInput = z.input<typeof conversationList.schema>;

// The duration expressions exactly as the indexes of migration 0009 are built on them.
const orderColumns = {
  openedAt: sql`${conversations.openedAt}`,
  resolvedAt: sql`${conversations.resolvedAt}`,
  firstResponseSeconds: sql`(${conversations.firstResponseAt} - ${conversations.openedAt})`,
  resolutionSeconds: sql`(${conversations.resolvedAt} - ${conversations.openedAt})`,
} as const;

/**
 * A page of the support episodes the actor may see (conversationScopeWhere), filtered and
 * ordered (ties by id). A missing time counts as the largest — an episode not answered or not
 * resolved yet is the slowest so far: last in ascending order, first in descending (also what
 * the indexes give for free). `count` is exact up to COUNT_CAP and pages past it are refused
 * (`bad_request`). Errors: `forbidden` for non-staff actors; invalid input throws a ZodError.
 */
export async function listConversations({
  db,
  actor,
  input,
}: {
  db: DbOrTx;
  actor: Actor;
  input: ListConversationsInput;
}): Promise<ListPage<ConversationDto>> {
  const staff = requireStaff(actor);
  const q = conversationList.schema.parse(input);
  assertWithinCap(q.page, q.pageSize);
  const conditions: (SQL | undefined)[] = [conversationScopeWhere(staff)];
  if (q.clientId) conditions.push(eq(conversations.clientId, q.clientId));
  if (q.departmentId) conditions.push(eq(conversations.departmentId, q.departmentId));
  if (q.operatorId) conditions.push(eq(conversations.operatorId, q.operatorId));
  if (q.status) conditions.push(eq(conversations.status, q.status));
  if (q.openedFrom) conditions.push(gte(conversations.openedAt, q.openedFrom));
  if (q.openedTo) conditions.push(lt(conversations.openedAt, q.openedTo));
  if (q.resolvedFrom) conditions.push(gte(conversations.resolvedAt, q.resolvedFrom));
  if (q.resolvedTo) conditions.push(lt(conversations.resolvedAt, q.resolvedTo));
  const where = and(...conditions);
  const descending = q.ordering.startsWith('-');
  const field = (descending ? q.ordering.slice(1) : q.ordering) as keyof typeof orderColumns;
  const column = orderColumns[field];
  const ordering = descending
    ? [sql`${column} desc`, sql`${conversations.id} desc`]
    : [sql`${column} asc`, sql`${conversations.id} asc`];
  const [rows, total] = await Promise.all([
    selectConversations(db)
      .where(where)
      .orderBy(...ordering)
      .limit(q.pageSize)
      .offset((q.page - 1) * q.pageSize),
    // Ordered like the default list, so the bounded count walks an index, never the table.
    cappedCount(
      db,
      db
        .select({ one: sql`1` })
        .from(conversations)
        .where(where)
        .orderBy(sql`${conversations.openedAt} desc`),
    ),
  ]);
  return { count: total, page: q.page, pageSize: q.pageSize, results: rows.map(toConversationDto) };
}
