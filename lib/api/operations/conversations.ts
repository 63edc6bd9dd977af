import { z } from 'zod';
import { conversationStatus } from '@/db/schema';
import { getConversationOrThrow, type ConversationDto } from '@/lib/conversations/get-conversation-or-throw';
import { conversationList, listConversations } from '@/lib/conversations/list-conversations';
import { COUNT_CAP } from '@/lib/pagination/capped-count';
import { apiListQuery, apiPage, apiPageSchema } from '../list-query';
import { defineOperation } from '../operation';
import { idParams, instant } from '../schemas';

export const conversationResource = z
  .object({
    id: z.uuid(),
    client_id: z.uuid(),
    client_display_name: z.string(),
    department_id: z.uuid().nullable(),
    department_name: z.string().nullable(),
    operator_id: z
      .uuid()
      .nullable()
      .meta({ description: 'The operator who had the client last during the episode.' }),
    operator_name: z.string().nullable(),
    status: z.enum(conversationStatus.enumValues),
    opened_at: instant,
    first_response_at: instant.nullable(),
    resolved_at: instant.nullable(),
    resolved_by_id: z.uuid().nullable(),
    first_response_seconds: z
      .number()
      .int()
      .nullable()
      .meta({ description: 'first_response_at − opened_at, whole seconds; null until the desk answers.' }),
    resolution_seconds: z
      .number()
      .int()
      .nullable()
      .meta({ description: 'resolved_at − opened_at, whole seconds; null while open.' }),
    rating: z.number().int().nullable().meta({ description: 'The client’s rating (1–5), if given.' }),
    rating_comment: z.string().nullable(),
  })
  .meta({ id: 'Conversation' });

export function toConversationResource(c: ConversationDto): z.infer<typeof conversationResource> {
  return {
    id: c.id,
    client_id: c.clientId,
    client_display_name: c.clientDisplayName,
    department_id: c.departmentId,
    department_name: c.departmentName,
    operator_id: c.operatorId,
    operator_name: c.operatorName,
    status: c.status,
    opened_at: c.openedAt,
    first_response_at: c.firstResponseAt,
    resolved_at: c.resolvedAt,
    resolved_by_id: c.resolvedById,
    first_response_seconds: c.firstResponseSeconds,
    resolution_seconds: c.resolutionSeconds,
    rating: c.rating,
    rating_comment: c.ratingComment,
  };
}

const conversationsQuery = apiListQuery(conversationList);

export const listConversationsOperation = defineOperation({
  operationId: 'listConversations',
  method: 'GET',
  path: '/conversations',
  tag: 'conversations',
  summary: 'List support episodes',
  description: `A client's support episodes: from the first message after a resolution to the next resolution. Admins see all; supervisors the episodes of their departments (an open episode moves with its client on a transfer, a closed one stays with the department that handled it); operators the episodes they were the operator of (the open episode of each of their clients, and every episode they handled, even of clients since given to someone else); operator tokens their departments' episodes that no operator had (the queue's). Ordering by a time that is still missing (not answered, not resolved) puts those episodes last ascending and first descending. \`count\` is exact up to ${COUNT_CAP}; pages past it are refused (400): narrow the filters.`,
  query: conversationsQuery.schema,
  response: apiPageSchema(conversationResource, 'ConversationPage'),
  handler: async ({ db, actor, query, url }) =>
    apiPage(
      url,
      await listConversations({ db, actor, input: conversationsQuery.toDomain(query) }),
      toConversationResource,
    ),
});

export const getConversationOperation = defineOperation({
  operationId: 'getConversation',
  method: 'GET',
  path: '/conversations/{id}',
  tag: 'conversations',
  summary: 'Get a support episode',
  params: idParams,
  response: conversationResource,
  errors: [404],
  handler: async ({ db, actor, params }) =>
    toConversationResource(await getConversationOrThrow({ db, actor, conversationId: params.id })),
});

export const conversationOperations = [listConversationsOperation, getConversationOperation];
