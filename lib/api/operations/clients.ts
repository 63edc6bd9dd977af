import { kickOutbox } from '@/lib/outbox/outbox-worker';
import { z } from 'zod';
import type { Db } from '@/db/client';
import { clientStatus } from '@/db/schema';
import { systemActor, type StaffActor } from '@/lib/auth/actor';
import { assignClient } from '@/lib/clients/assign-client';
import { drainQueueForOperator } from '@/lib/clients/drain-queue-for-operator';
import { getClientOrThrow, type ClientDto } from '@/lib/clients/get-client-or-throw';
import { clientList, listClients } from '@/lib/clients/list-clients';
import { moveClientStatus } from '@/lib/clients/move-client-status';
import { reopenClient } from '@/lib/clients/reopen-client';
import { resolveClient } from '@/lib/clients/resolve-client';
import { transferClient } from '@/lib/clients/transfer-client';
import { AppError } from '@/lib/errors';
import { getOperatorOrThrow } from '@/lib/operators/get-operator-or-throw';
import { apiListQuery, apiPage, apiPageSchema } from '../list-query';
import { defineOperation } from '../operation';
import { idParams, instant } from '../schemas';

export const clientResource = z
  .object({
    id: z.uuid(),
    display_name: z
      .string()
      .meta({ description: 'Name as shown in the desk (invisible characters removed).' }),
    username: z.string().nullable().meta({ description: 'Telegram @username, without the @.' }),
    telegram_user_id: z.number().int(),
    chat_id: z.number().int(),
    status: z.enum(clientStatus.enumValues).meta({
      description:
        'new: not answered yet · in_progress: answered, the client has not written since · waiting: the client wrote again after the answer · resolved · blocked: the client blocked the bot',
    }),
    department_id: z.uuid().nullable(),
    department_name: z.string().nullable(),
    assigned_operator_id: z.uuid().nullable(),
    assigned_operator_name: z.string().nullable(),
    language: z.string().nullable(),
    source: z.string().nullable().meta({ description: 'The /start deep-link payload the client came with.' }),
    unread_count: z.number().int().min(0),
    last_message_at: instant.nullable(),
    last_inbound_at: instant.nullable().meta({ description: 'When the client last wrote.' }),
    last_message_preview: z.string().nullable().meta({ description: 'The start of the latest message.' }),
    queued_at: instant
      .nullable()
      .meta({ description: 'When the client entered the queue (null when someone has them).' }),
    blocked_at: instant.nullable(),
    created_at: instant,
  })
  .meta({ id: 'Client' });

export function toClientResource(c: ClientDto): z.infer<typeof clientResource> {
  return {
    id: c.id,
    display_name: c.displayName,
    username: c.username,
    telegram_user_id: c.telegramUserId,
    chat_id: c.chatId,
    status: c.status as z.infer<typeof clientResource>['status'],
    department_id: c.departmentId,
    department_name: c.departmentName,
    assigned_operator_id: c.assignedOperatorId,
    assigned_operator_name: c.assignedOperatorName,
    language: c.language,
    source: c.source,
    unread_count: c.unreadCount,
    last_message_at: c.lastMessageAt,
    last_inbound_at: c.lastInboundAt,
    last_message_preview: c.lastMessagePreview,
    queued_at: c.queuedAt,
    blocked_at: c.blockedAt,
    created_at: c.createdAt,
  };
}

const clientsQuery = apiListQuery(clientList);

async function current(db: Db, actor: StaffActor, clientId: string) {
  return toClientResource(await getClientOrThrow({ db, actor, clientId }));
}

/**
 * The client after a transfer the caller made. A transfer can take the client out of the
 * caller's sight (a supervisor or an operator sending it to a department that is not theirs);
 * the change happened all the same, so the answer is the client, never a 404: as the caller sees
 * it now or, out of their sight, as it left them — its new department and status — with the
 * operator who has it there only if the caller may see that operator (null otherwise: the desk
 * never shows another department's people to them).
 */
async function afterTransfer(db: Db, actor: StaffActor, clientId: string) {
  try {
    return await current(db, actor, clientId);
  } catch (error) {
    if (!(error instanceof AppError && error.code === 'not_found')) throw error;
  }
  const moved = toClientResource(await getClientOrThrow({ db, actor: systemActor('api'), clientId }));
  if (!moved.assigned_operator_id) return moved;
  try {
    await getOperatorOrThrow({ db, actor, operatorId: moved.assigned_operator_id });
    return moved;
  } catch (error) {
    if (!(error instanceof AppError && error.code === 'not_found')) throw error;
    return { ...moved, assigned_operator_id: null, assigned_operator_name: null };
  }
}

/** After a change that freed an operator's place, the queue moves on (its own transaction). */
async function drainAfter(db: Db, operatorId: string | null) {
  if (operatorId) await drainQueueForOperator({ db, operatorId });
}

export const listClientsOperation = defineOperation({
  operationId: 'listClients',
  method: 'GET',
  path: '/clients',
  tag: 'clients',
  summary: 'List clients',
  description:
    'Clients the caller may see: admins all, supervisors their departments, operators their own and their departments’ queue. Search matches the name, @username or Telegram id.',
  query: clientsQuery.schema,
  response: apiPageSchema(clientResource, 'ClientPage'),
  handler: async ({ db, actor, query, url }) =>
    apiPage(url, await listClients({ db, actor, input: clientsQuery.toDomain(query) }), toClientResource),
});

export const getClientOperation = defineOperation({
  operationId: 'getClient',
  method: 'GET',
  path: '/clients/{id}',
  tag: 'clients',
  summary: 'Get a client',
  params: idParams,
  response: clientResource,
  errors: [404],
  handler: async ({ db, actor, params }) => current(db, actor, params.id),
});

const updateClientBody = z
  .object({
    status: z.enum(clientStatus.enumValues).optional().meta({
      description:
        'Through the desk’s client transitions: resolved ends the episode, leaving resolved reopens it; blocked cannot be set.',
    }),
    department_id: z
      .uuid()
      .optional()
      .meta({ description: 'Transfer to this department (as POST …/transfer, and answered as it is).' }),
  })
  .strict()
  .meta({ id: 'ClientUpdate' });

export const updateClientOperation = defineOperation({
  operationId: 'updateClient',
  method: 'PATCH',
  path: '/clients/{id}',
  tag: 'clients',
  summary: 'Change a client’s status or department',
  params: idParams,
  body: updateClientBody,
  response: clientResource,
  errors: [403, 404, 409, 422],
  handler: async ({ db, actor, params, body }) => {
    const freed = await db.transaction(async (tx) => {
      const out: (string | null)[] = [];
      if (body.department_id) {
        const moved = await transferClient({
          tx,
          actor,
          input: { clientId: params.id, departmentId: body.department_id },
        });
        out.push(moved.freedOperatorId);
      }
      if (body.status) {
        const moved = await moveClientStatus({
          tx,
          actor,
          input: { clientId: params.id, status: body.status },
        });
        out.push(moved.freedOperatorId);
      }
      return out;
    });
    for (const operatorId of new Set(freed)) await drainAfter(db, operatorId);
    return body.department_id ? afterTransfer(db, actor, params.id) : current(db, actor, params.id);
  },
});

export const assignClientOperation = defineOperation({
  operationId: 'assignClient',
  method: 'POST',
  path: '/clients/{id}/assign',
  tag: 'clients',
  summary: 'Assign a client to an operator, or return it to the queue',
  description:
    'Admins and supervisors give the client to any active operator of its department (or null: back to the queue); operators may take a queued client themselves or return their own.',
  params: idParams,
  body: z
    .object({
      operator_id: z
        .uuid()
        .nullable()
        .meta({ description: 'The operator; null returns the client to the queue.' }),
    })
    .strict()
    .meta({ id: 'ClientAssignment' }),
  response: clientResource,
  errors: [403, 404, 409, 422],
  handler: async ({ db, actor, params, body }) => {
    const assigned = await db.transaction((tx) =>
      assignClient({ tx, actor, input: { clientId: params.id, operatorId: body.operator_id } }),
    );
    // A client returned to the queue waits for someone else: draining now would hand it straight
    // back to the operator who just let it go (they have the most room).
    if (assigned.operatorId) await drainAfter(db, assigned.previousOperatorId);
    return current(db, actor, params.id);
  },
});

export const transferClientOperation = defineOperation({
  operationId: 'transferClient',
  method: 'POST',
  path: '/clients/{id}/transfer',
  tag: 'clients',
  summary: 'Transfer a client to another department',
  description:
    'Their operator keeps them if they work there; otherwise they are routed in the new department. When the transfer takes the client out of the caller’s sight (a department that is not theirs), the answer is the client as it left them: its new department and status, and its operator there only if the caller may see that operator (null otherwise).',
  params: idParams,
  body: z.object({ department_id: z.uuid() }).strict().meta({ id: 'ClientTransfer' }),
  response: clientResource,
  errors: [403, 404],
  handler: async ({ db, actor, params, body }) => {
    const moved = await db.transaction((tx) =>
      transferClient({ tx, actor, input: { clientId: params.id, departmentId: body.department_id } }),
    );
    await drainAfter(db, moved.freedOperatorId);
    return afterTransfer(db, actor, params.id);
  },
});

export const resolveClientOperation = defineOperation({
  operationId: 'resolveClient',
  method: 'POST',
  path: '/clients/{id}/resolve',
  tag: 'clients',
  summary: 'Resolve a client (end the support episode)',
  params: idParams,
  response: clientResource,
  errors: [403, 404],
  handler: async ({ db, actor, params }) => {
    const resolved = await db.transaction((tx) =>
      resolveClient({ tx, actor, input: { clientId: params.id } }),
    );
    kickOutbox(); // the rating request, queued with the resolve
    await drainAfter(db, resolved.freedOperatorId);
    return current(db, actor, params.id);
  },
});

export const reopenClientOperation = defineOperation({
  operationId: 'reopenClient',
  method: 'POST',
  path: '/clients/{id}/reopen',
  tag: 'clients',
  summary: 'Reopen a resolved client’s last episode',
  params: idParams,
  response: clientResource,
  errors: [403, 404, 409],
  handler: async ({ db, actor, params }) => {
    await db.transaction((tx) => reopenClient({ tx, actor, input: { clientId: params.id } }));
    return current(db, actor, params.id);
  },
});

export const clientOperations = [
  listClientsOperation,
  getClientOperation,
  updateClientOperation,
  assignClientOperation,
  transferClientOperation,
  resolveClientOperation,
  reopenClientOperation,
];
