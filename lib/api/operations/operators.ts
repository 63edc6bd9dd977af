import { z } from 'zod';
import type { Db } from '@/db/client';
import { operatorRole, operatorStatus } from '@/db/schema';
import { systemActor } from '@/lib/auth/actor';
import { drainQueue } from '@/lib/clients/drain-queue';
import { createOperator } from '@/lib/operators/create-operator';
import { createOperatorInvite } from '@/lib/operators/create-operator-invite';
import { getOperatorOrThrow, type OperatorDto } from '@/lib/operators/get-operator-or-throw';
import { listOperators, operatorList } from '@/lib/operators/list-operators';
import { setOperatorStatus } from '@/lib/operators/set-operator-status';
import {
  operatorCapacitySchema,
  operatorNameSchema,
  operatorPasswordSchema,
  updateOperator,
} from '@/lib/operators/update-operator';
import { apiListQuery, apiPage, apiPageSchema } from '../list-query';
import { defineOperation } from '../operation';
import { idParams, instant } from '../schemas';
import { getOperatorStats, type OperatorStatsTotals } from '@/lib/reports/get-operator-stats';

export const operatorResource = z
  .object({
    id: z.uuid(),
    name: z.string(),
    email: z.string(),
    role: z.enum(operatorRole.enumValues),
    status: z.enum(operatorStatus.enumValues),
    is_active: z.boolean(),
    capacity: z.number().int().meta({ description: 'Most clients in an active status they take at once.' }),
    active_clients: z
      .number()
      .int()
      .meta({ description: 'Clients assigned to them now in an active status (new, in progress, waiting).' }),
    load: z
      .number()
      .meta({ description: 'active_clients / capacity, 3 decimals (above 1 after a capacity cut).' }),
    last_seen_at: instant.nullable(),
    status_changed_at: instant.nullable(),
    telegram_linked: z
      .boolean()
      .meta({ description: 'A Telegram account is linked (notifications, replies).' }),
    telegram_linked_at: instant.nullable(),
    telegram_user_id: z
      .number()
      .int()
      .nullable()
      .optional()
      .meta({ description: 'The linked Telegram account: present for admins only.' }),
    department_ids: z.array(z.uuid()),
    created_at: instant,
    updated_at: instant,
  })
  .meta({ id: 'Operator' });

export function toOperatorResource(o: OperatorDto): z.infer<typeof operatorResource> {
  return {
    id: o.id,
    name: o.name,
    email: o.email,
    role: o.role,
    status: o.status,
    is_active: o.isActive,
    capacity: o.capacity,
    active_clients: o.activeClients,
    load: o.load,
    last_seen_at: o.lastSeenAt,
    status_changed_at: o.statusChangedAt,
    telegram_linked: o.telegramLinked,
    telegram_linked_at: o.telegramLinkedAt,
    ...(o.telegramUserId !== undefined ? { telegram_user_id: o.telegramUserId } : {}),
    department_ids: o.departmentIds,
    created_at: o.createdAt,
    updated_at: o.updatedAt,
  };
}

/** After a change that made room, the queues of these departments move on (own transaction). */
async function drainDepartments(db: Db, departmentIds: string[]) {
  if (departmentIds.length === 0) return;
  await db.transaction((tx) => drainQueue({ tx, actor: systemActor('queue'), departmentIds }));
}

const operatorsQuery = apiListQuery(operatorList);

export const listOperatorsOperation = defineOperation({
  operationId: 'listOperators',
  method: 'GET',
  path: '/operators',
  tag: 'operators',
  summary: 'List operators',
  description:
    'Admins see everyone; supervisors and operators the members of their departments (and themselves); tokens the members of their departments. Search matches the name or email.',
  query: operatorsQuery.schema,
  response: apiPageSchema(operatorResource, 'OperatorPage'),
  handler: async ({ db, actor, query, url }) =>
    apiPage(
      url,
      await listOperators({ db, actor, input: operatorsQuery.toDomain(query) }),
      toOperatorResource,
    ),
});

export const getOperatorOperation = defineOperation({
  operationId: 'getOperator',
  method: 'GET',
  path: '/operators/{id}',
  tag: 'operators',
  summary: 'Get an operator',
  params: idParams,
  response: operatorResource,
  errors: [404],
  handler: async ({ db, actor, params }) =>
    toOperatorResource(await getOperatorOrThrow({ db, actor, operatorId: params.id })),
});

export const createOperatorOperation = defineOperation({
  operationId: 'createOperator',
  method: 'POST',
  path: '/operators',
  tag: 'operators',
  summary: 'Create an operator (admins)',
  body: z
    .object({
      email: z.email().max(320),
      name: operatorNameSchema,
      password: operatorPasswordSchema,
      role: z.enum(operatorRole.enumValues).optional().meta({ description: 'Default operator.' }),
      capacity: operatorCapacitySchema.optional().meta({
        description: 'Default: the smallest default capacity of their departments (10 without any).',
      }),
      department_ids: z.array(z.uuid()).max(100).optional(),
    })
    .strict()
    .meta({ id: 'OperatorCreate' }),
  response: operatorResource,
  status: 201,
  errors: [403, 409],
  handler: async ({ db, actor, body }) => {
    const created = await createOperator({
      db,
      actor,
      input: {
        email: body.email,
        name: body.name,
        password: body.password,
        role: body.role,
        capacity: body.capacity,
        departmentIds: body.department_ids,
      },
    });
    return toOperatorResource(await getOperatorOrThrow({ db, actor, operatorId: created.id }));
  },
});

export const updateOperatorOperation = defineOperation({
  operationId: 'updateOperator',
  method: 'PATCH',
  path: '/operators/{id}',
  tag: 'operators',
  summary: 'Change an operator (admins)',
  description:
    'Only the fields sent change; department_ids replaces the whole set. A role change, a new password or disabling ends their sessions. Disabling also sets them offline and returns their open clients to the queue. Admins cannot demote or disable themselves, and the desk keeps one active admin (409). More room (capacity, a department, enabling) hands queued clients out right away.',
  params: idParams,
  body: z
    .object({
      name: operatorNameSchema,
      role: z.enum(operatorRole.enumValues),
      is_active: z.boolean(),
      password: operatorPasswordSchema,
      capacity: operatorCapacitySchema,
      department_ids: z.array(z.uuid()).max(100),
    })
    .partial()
    .strict()
    .meta({ id: 'OperatorUpdate' }),
  response: operatorResource,
  errors: [403, 404, 409],
  handler: async ({ db, actor, params, body }) => {
    const updated = await updateOperator({
      db,
      actor,
      input: {
        operatorId: params.id,
        name: body.name,
        role: body.role,
        isActive: body.is_active,
        password: body.password,
        capacity: body.capacity,
        departmentIds: body.department_ids,
      },
    });
    await drainDepartments(db, updated.drainDepartmentIds);
    return toOperatorResource(await getOperatorOrThrow({ db, actor, operatorId: params.id }));
  },
});

export const setOperatorStatusOperation = defineOperation({
  operationId: 'setOperatorStatus',
  method: 'POST',
  path: '/operators/{id}/status',
  tag: 'operators',
  summary: 'Set an operator’s presence',
  description:
    'Operators set their own; supervisors the operators of their departments; admins anyone. Going online hands them queued clients of their departments at once.',
  params: idParams,
  body: z
    .object({ status: z.enum(operatorStatus.enumValues) })
    .strict()
    .meta({ id: 'OperatorStatusChange' }),
  response: operatorResource
    .extend({
      assigned_from_queue: z
        .number()
        .int()
        .meta({ description: 'Queued clients handed out because of this change.' }),
    })
    .meta({ id: 'OperatorStatusChanged' }),
  errors: [403, 404, 409],
  handler: async ({ db, actor, params, body }) => {
    const result = await setOperatorStatus({
      db,
      actor,
      input: { operatorId: params.id, status: body.status },
    });
    return {
      ...toOperatorResource(await getOperatorOrThrow({ db, actor, operatorId: params.id })),
      assigned_from_queue: result.assignedFromQueue,
    };
  },
});

export const inviteOperatorOperation = defineOperation({
  operationId: 'inviteOperator',
  method: 'POST',
  path: '/operators/{id}/invite',
  tag: 'operators',
  summary: 'Create a Telegram invite link for an operator (admins)',
  description:
    'A single-use deep link (t.me/<bot>?start=op_…, valid 72 hours) that links the Telegram account opening it to the operator. A new invite cancels the earlier unused ones. 409 when the operator is disabled or no bot username is configured.',
  params: idParams,
  response: z
    .object({
      url: z.url().meta({ description: 'Give it to the operator only: whoever opens it first is linked.' }),
      expires_at: instant,
    })
    .meta({ id: 'OperatorInvite' }),
  status: 201,
  errors: [403, 404, 409],
  handler: async ({ db, actor, params }) => {
    const invite = await createOperatorInvite({ db, actor, input: { operatorId: params.id } });
    return { url: invite.url, expires_at: invite.expiresAt };
  },
});

const seconds = z.number().int().nullable();
const ratingAverage = z
  .number()
  .nullable()
  .meta({ description: 'Mean rating (1–5), 2 decimals; null without ratings.' });
const totalsResource = (t: OperatorStatsTotals) => ({
  handled_conversations: t.handledConversations,
  messages_sent: t.messagesSent,
  ratings_count: t.ratingsCount,
  rating_average: t.ratingAverage,
});

export const operatorStatsResource = z
  .object({
    operator_id: z.uuid(),
    time_zone: z
      .string()
      .meta({ description: 'The IANA zone the days are counted in: the operator’s own, UTC without one.' }),
    since: z
      .string()
      .meta({ description: 'The first day of the period (yyyy-mm-dd).', example: '2026-11-01' }),
    days: z.array(
      z
        .object({
          day: z.string().meta({ example: '2026-11-29' }),
          handled_conversations: z.number().int().meta({
            description: 'Distinct episodes they wrote in, or that were theirs and were resolved, that day.',
          }),
          messages_sent: z.number().int().meta({ description: 'Outbound messages they wrote that day.' }),
          first_response_median_sec: seconds.meta({
            description:
              'Median seconds from an episode’s start to the first answer, of their episodes first answered that day.',
          }),
          resolution_median_sec: seconds.meta({
            description: 'Median seconds from start to resolution of their episodes resolved that day.',
          }),
          ratings_count: z
            .number()
            .int()
            .meta({ description: 'Clients’ ratings of their episodes resolved that day.' }),
          rating_average: ratingAverage,
        })
        .meta({ id: 'OperatorDayStats' }),
    ),
    totals: z
      .object({
        handled_conversations: z.number().int(),
        messages_sent: z.number().int(),
        ratings_count: z.number().int(),
        rating_average: ratingAverage,
      })
      .meta({ id: 'OperatorStatsTotals' }),
  })
  .meta({ id: 'OperatorStats' });

export const getOperatorStatsOperation = defineOperation({
  operationId: 'getOperatorStats',
  method: 'GET',
  path: '/operators/{id}/stats',
  tag: 'operators',
  summary: 'An operator’s daily figures',
  description:
    'The operator-stats job’s figures of each of the operator’s last `days` local days (their time zone; a day appears once it has ended and been counted), oldest first, with totals. Admins read anyone’s, supervisors their departments’ members’, operators their own (a colleague’s: 403); an operator-role token no one’s.',
  params: idParams,
  query: z
    .object({
      days: z.coerce
        .number()
        .int()
        .min(1)
        .max(366)
        .default(30)
        .meta({ description: 'How many local days back from today (default 30, at most 366).' }),
    })
    .strict(),
  response: operatorStatsResource,
  errors: [403, 404],
  handler: async ({ db, actor, params, query }) => {
    const stats = await getOperatorStats({ db, actor, operatorId: params.id, days: query.days });
    return {
      operator_id: stats.operatorId,
      time_zone: stats.timeZone,
      since: stats.since,
      days: stats.days.map((d) => ({
        day: d.day,
        handled_conversations: d.handledConversations,
        messages_sent: d.messagesSent,
        first_response_median_sec: d.firstResponseMedianSec,
        resolution_median_sec: d.resolutionMedianSec,
        ratings_count: d.ratingsCount,
        rating_average: d.ratingAverage,
      })),
      totals: totalsResource(stats.totals),
    };
  },
});

export const operatorOperations = [
  listOperatorsOperation,
  getOperatorOperation,
  createOperatorOperation,
  updateOperatorOperation,
  setOperatorStatusOperation,
  inviteOperatorOperation,
  getOperatorStatsOperation,
];
