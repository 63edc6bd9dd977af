import { z } from 'zod';
import type { WorkingHours } from '@/db/schema';
import { createDepartment } from '@/lib/departments/create-department';
import { deactivateDepartment } from '@/lib/departments/deactivate-department';
import {
  defaultCapacitySchema,
  departmentDescriptionSchema,
  departmentNameSchema,
  idleMinutesSchema,
  localisedTextsSchema,
  responseTimeLimitSchema,
  sortOrderSchema,
  timeZoneSchema,
  workingDaysSchema,
} from '@/lib/departments/department-fields';
import { getDepartmentOrThrow, type DepartmentDto } from '@/lib/departments/get-department-or-throw';
import { departmentList, listDepartments } from '@/lib/departments/list-departments';
import { updateDepartment } from '@/lib/departments/update-department';
import { apiListQuery, apiPage, apiPageSchema } from '../list-query';
import { defineOperation } from '../operation';
import { idParams, instant } from '../schemas';

const texts = (description: string) =>
  z
    .record(z.string(), z.string())
    .nullable()
    .meta({ description: `${description} By language code (en, ru…) with "default" as the fallback.` });

const workingHoursResource = z
  .object({
    time_zone: z.string().meta({ description: 'IANA time zone, e.g. Europe/Berlin.' }),
    days: z.array(
      z.object({
        day: z.number().int().meta({ description: '0 = Sunday … 6 = Saturday.' }),
        from: z.string().meta({ example: '09:00' }),
        to: z.string().meta({ example: '18:00' }),
      }),
    ),
  })
  .nullable()
  .meta({
    id: 'WorkingHours',
    description: 'Opening intervals in the department’s time zone; null: always open.',
  });

export const departmentResource = z
  .object({
    id: z.uuid(),
    name: z.string(),
    description: z.string().nullable(),
    is_default: z.boolean().meta({ description: 'New clients start here. Exactly one department once set.' }),
    is_active: z.boolean().meta({ description: 'A deactivated department takes no new clients.' }),
    sort_order: z.number().int(),
    default_capacity: z
      .number()
      .int()
      .meta({ description: 'Capacity of operators created into this department without one of their own.' }),
    response_time_limit_sec: z
      .number()
      .int()
      .meta({ description: 'Seconds an assigned operator has to answer before the client moves on.' }),
    away_after_minutes: z.number().int().nullable().meta({
      description:
        'Minutes without dashboard or Telegram activity before an online operator becomes away; null: never.',
    }),
    offline_after_minutes: z.number().int().nullable().meta({
      description: 'Minutes without activity before an operator becomes offline; null: never.',
    }),
    working_hours: workingHoursResource,
    is_open_now: z.boolean().meta({ description: 'Within its working hours now.' }),
    greeting: texts('Sent on /start after the client chose this department.'),
    auto_reply_queued: texts('Sent when a client waits in the queue because nobody can take them.'),
    auto_reply_off_hours: texts('Sent outside the working hours.'),
    created_at: instant,
    updated_at: instant,
  })
  .meta({ id: 'Department' });

export function toDepartmentResource(d: DepartmentDto): z.infer<typeof departmentResource> {
  return {
    id: d.id,
    name: d.name,
    description: d.description,
    is_default: d.isDefault,
    is_active: d.isActive,
    sort_order: d.sortOrder,
    default_capacity: d.defaultCapacity,
    response_time_limit_sec: d.responseTimeLimitSec,
    away_after_minutes: d.awayAfterMinutes,
    offline_after_minutes: d.offlineAfterMinutes,
    working_hours: d.workingHours ? { time_zone: d.workingHours.timeZone, days: d.workingHours.days } : null,
    is_open_now: d.isOpenNow,
    greeting: d.greeting,
    auto_reply_queued: d.autoReplyQueued,
    auto_reply_off_hours: d.autoReplyOffHours,
    created_at: d.createdAt,
    updated_at: d.updatedAt,
  };
}

// The body's fields, snake_case, with the domain's own validators (lib/departments/department-fields.ts).
const workingHoursBody = z
  .object({ time_zone: timeZoneSchema, days: workingDaysSchema })
  .strict()
  .nullable()
  .meta({ description: 'Opening intervals (at most four a day, not overlapping); null: always open.' });

const textsBody = (description: string) =>
  localisedTextsSchema.nullable().meta({
    description: `${description} Keys: "default" or a language code (en, ru, pt…); null: the built-in text.`,
  });

const departmentFields = {
  name: departmentNameSchema,
  description: departmentDescriptionSchema.nullable(),
  is_default: z.boolean().meta({
    description:
      'true makes this the default department (the former default loses the flag in the same transaction).',
  }),
  is_active: z.boolean(),
  sort_order: sortOrderSchema,
  default_capacity: defaultCapacitySchema,
  response_time_limit_sec: responseTimeLimitSchema,
  away_after_minutes: idleMinutesSchema.meta({
    description:
      'Idle minutes before an online operator becomes away (1–10080); null: never. Less than offline_after_minutes.',
  }),
  offline_after_minutes: idleMinutesSchema.meta({
    description: 'Idle minutes before an operator becomes offline (1–10080); null: never.',
  }),
  working_hours: workingHoursBody,
  greeting: textsBody('Sent on /start after the client chose this department.'),
  auto_reply_queued: textsBody('Sent when a client waits in the queue.'),
  auto_reply_off_hours: textsBody('Sent outside the working hours.'),
};

type DepartmentBody = Partial<{
  [K in keyof typeof departmentFields]: z.output<(typeof departmentFields)[K]>;
}>;

function hours(value: DepartmentBody['working_hours']): WorkingHours | null | undefined {
  return value === undefined
    ? undefined
    : value === null
      ? null
      : { timeZone: value.time_zone, days: value.days };
}

/** The domain's input from a body (a field left out stays undefined: unchanged, or its default). */
function toDomainFields(body: DepartmentBody) {
  return {
    name: body.name,
    description: body.description,
    isDefault: body.is_default,
    isActive: body.is_active,
    sortOrder: body.sort_order,
    defaultCapacity: body.default_capacity,
    responseTimeLimitSec: body.response_time_limit_sec,
    awayAfterMinutes: body.away_after_minutes,
    offlineAfterMinutes: body.offline_after_minutes,
    workingHours: hours(body.working_hours),
    greeting: body.greeting,
    autoReplyQueued: body.auto_reply_queued,
    autoReplyOffHours: body.auto_reply_off_hours,
  };
}

const departmentsQuery = apiListQuery(departmentList);

export const listDepartmentsOperation = defineOperation({
  operationId: 'listDepartments',
  method: 'GET',
  path: '/departments',
  tag: 'departments',
  summary: 'List departments',
  description:
    'Every staff member and token sees every department (transfers may go to any of them). Search matches the name.',
  query: departmentsQuery.schema,
  response: apiPageSchema(departmentResource, 'DepartmentPage'),
  handler: async ({ db, actor, query, url }) =>
    apiPage(
      url,
      await listDepartments({ db, actor, input: departmentsQuery.toDomain(query) }),
      toDepartmentResource,
    ),
});

export const getDepartmentOperation = defineOperation({
  operationId: 'getDepartment',
  method: 'GET',
  path: '/departments/{id}',
  tag: 'departments',
  summary: 'Get a department',
  params: idParams,
  response: departmentResource,
  errors: [404],
  handler: async ({ db, actor, params }) =>
    toDepartmentResource(await getDepartmentOrThrow({ db, actor, departmentId: params.id })),
});

export const createDepartmentOperation = defineOperation({
  operationId: 'createDepartment',
  method: 'POST',
  path: '/departments',
  tag: 'departments',
  summary: 'Create a department (admins)',
  body: z
    .object(departmentFields)
    .partial()
    .required({ name: true })
    .strict()
    .meta({ id: 'DepartmentCreate' }),
  response: departmentResource,
  status: 201,
  errors: [403, 409],
  handler: async ({ db, actor, body }) => {
    const created = await createDepartment({
      db,
      actor,
      input: { ...toDomainFields(body), name: body.name },
    });
    return toDepartmentResource(await getDepartmentOrThrow({ db, actor, departmentId: created.id }));
  },
});

export const updateDepartmentOperation = defineOperation({
  operationId: 'updateDepartment',
  method: 'PATCH',
  path: '/departments/{id}',
  tag: 'departments',
  summary: 'Change a department (admins)',
  description:
    'Only the fields sent change. The default flag moves (is_default: true on another department), it is never just removed; the default department cannot be deactivated.',
  params: idParams,
  body: z.object(departmentFields).partial().strict().meta({ id: 'DepartmentUpdate' }),
  response: departmentResource,
  errors: [403, 404, 409],
  handler: async ({ db, actor, params, body }) => {
    await updateDepartment({ db, actor, input: { departmentId: params.id, ...toDomainFields(body) } });
    return toDepartmentResource(await getDepartmentOrThrow({ db, actor, departmentId: params.id }));
  },
});

export const deactivateDepartmentOperation = defineOperation({
  operationId: 'deactivateDepartment',
  method: 'POST',
  path: '/departments/{id}/deactivate',
  tag: 'departments',
  summary: 'Deactivate a department (admins)',
  description:
    'It takes no new clients: it leaves the /start menu, transfers to it are refused, and its clients who come back after a resolution start in the default department. The clients it has stay (their operators finish with them; its queue still drains). The default department cannot be deactivated (409). Reactivate with PATCH is_active: true.',
  params: idParams,
  response: departmentResource,
  errors: [403, 404, 409],
  handler: async ({ db, actor, params }) => {
    await deactivateDepartment({ db, actor, input: { departmentId: params.id } });
    return toDepartmentResource(await getDepartmentOrThrow({ db, actor, departmentId: params.id }));
  },
});

export const departmentOperations = [
  listDepartmentsOperation,
  getDepartmentOperation,
  createDepartmentOperation,
  updateDepartmentOperation,
  deactivateDepartmentOperation,
];
