import { z } from 'zod';
import { actorType } from '@/db/schema';
import { exportOperatorLogs } from '@/lib/audit/export-operator-logs';
import { getOperatorLogOrThrow, type OperatorLogDto } from '@/lib/audit/get-operator-log-or-throw';
import { listOperatorLogs, operatorLogList, SEARCH_DEFAULT_HOURS } from '@/lib/audit/list-operator-logs';
import { COUNT_CAP } from '@/lib/pagination/capped-count';
import { apiListQuery, apiPage, apiPageSchema } from '../list-query';
import { defineOperation } from '../operation';
import { instant } from '../schemas';

export const operatorLogResource = z
  .object({
    id: z.number().int(),
    created_at: instant,
    actor_type: z.enum(actorType.enumValues),
    actor_label: z.string().meta({ description: 'Who acted, as they were called then.' }),
    operator_id: z.uuid().nullable(),
    api_token_id: z.uuid().nullable(),
    telegram_user_id: z
      .number()
      .int()
      .nullable()
      .meta({ description: 'For actions of a Telegram user (a client): their Telegram user id.' }),
    action: z.string().meta({ example: 'client.assigned' }),
    target_type: z.string().nullable().meta({ example: 'client' }),
    target_id: z.string().nullable(),
    department_id: z
      .uuid()
      .nullable()
      .meta({ description: 'The department the row is about, as it was when the row was written.' }),
    details: z.record(z.string(), z.unknown()),
    ip: z.string().nullable(),
    user_agent: z.string().nullable(),
  })
  .meta({ id: 'OperatorLog' });

export function toOperatorLogResource(l: OperatorLogDto): z.infer<typeof operatorLogResource> {
  return {
    id: l.id,
    created_at: l.createdAt,
    actor_type: l.actorType,
    actor_label: l.actorLabel,
    operator_id: l.operatorId,
    api_token_id: l.apiTokenId,
    telegram_user_id: l.telegramUserId,
    action: l.action,
    target_type: l.targetType,
    target_id: l.targetId,
    department_id: l.departmentId,
    details: l.details,
    ip: l.ip,
    user_agent: l.userAgent,
  };
}

const SCOPE = `Admins see every row; supervisors their own actions, the rows about their departments (department_id: the target client's, message's or department's department when the row was written) and the rows about the operators of their departments; operators their own actions only (a token: the token's own).`;
const SEARCH = `\`search\` matches the actor label or the action (substring, case-insensitive) or the target id (exact), within created_from–created_to: without created_from, the ${SEARCH_DEFAULT_HOURS} hours before created_to (or now).`;

const logsQuery = apiListQuery(operatorLogList);

export const listOperatorLogsOperation = defineOperation({
  operationId: 'listOperatorLogs',
  method: 'GET',
  path: '/operator-logs',
  tag: 'operator-logs',
  summary: 'List the audit trail',
  description: `${SCOPE} ${SEARCH} \`count\` is exact up to ${COUNT_CAP}; pages past it are refused (400): narrow the time window, or export.`,
  query: logsQuery.schema,
  response: apiPageSchema(operatorLogResource, 'OperatorLogPage'),
  handler: async ({ db, actor, query, url }) =>
    apiPage(
      url,
      await listOperatorLogs({ db, actor, input: logsQuery.toDomain(query) }),
      toOperatorLogResource,
    ),
});

// The list's query without paging: the export streams every matching row.
const exportQuery = logsQuery.schema.omit({ page: true, page_size: true });

export const exportOperatorLogsOperation = defineOperation({
  operationId: 'exportOperatorLogs',
  method: 'GET',
  path: '/operator-logs/export.csv',
  tag: 'operator-logs',
  summary: 'Export the audit trail as CSV',
  description: `Every row the list would give for the same filters, search and ordering, streamed as CSV (RFC 4180, UTF-8 with a byte order mark; cells a spreadsheet would run as a formula start with '). ${SCOPE} The export is itself recorded in the trail (operator_logs.exported).`,
  query: exportQuery,
  rawResponse: {
    contentType: 'text/csv',
    description:
      'Columns: id, created_at, actor_type, actor_label, operator_id, api_token_id, telegram_user_id, action, target_type, target_id, department_id, ip, user_agent, details (JSON).',
  },
  handler: async ({ db, actor, query }) => {
    const {
      page: _page,
      pageSize: _pageSize,
      ...input
    } = logsQuery.toDomain({ ...query, page: 1, page_size: 1 });
    const stream = await exportOperatorLogs({ db, actor, input });
    const day = new Date().toISOString().slice(0, 10);
    return new Response(stream, {
      status: 200,
      headers: {
        'content-type': 'text/csv; charset=utf-8',
        'content-disposition': `attachment; filename="operator-logs-${day}.csv"`,
        'cache-control': 'no-store',
      },
    });
  },
});

export const getOperatorLogOperation = defineOperation({
  operationId: 'getOperatorLog',
  method: 'GET',
  path: '/operator-logs/{id}',
  tag: 'operator-logs',
  summary: 'Get one audit row',
  params: z.object({
    id: z
      .string()
      .regex(/^[1-9]\d{0,14}$/)
      .transform(Number)
      .meta({ description: 'The row’s id (an integer).' }),
  }),
  response: operatorLogResource,
  errors: [404],
  handler: async ({ db, actor, params }) =>
    toOperatorLogResource(await getOperatorLogOrThrow({ db, actor, logId: params.id })),
});

export const operatorLogOperations = [
  listOperatorLogsOperation,
  exportOperatorLogsOperation,
  getOperatorLogOperation,
];
