import { getTimeZone, getTranslations } from 'next-intl/server';
import { z } from 'zod';
import { requireSessionActor } from '@/app/session';
import { getDb } from '@/db/client';
import { actorType } from '@/db/schema';
import { apiSearchParams } from '@/lib/api/list-query';
import {
  listOperatorLogs,
  SEARCH_DEFAULT_HOURS,
  type ListOperatorLogsInput,
} from '@/lib/audit/list-operator-logs';
import { AppError } from '@/lib/errors';
import { listOperatorOptions } from '@/lib/operators/list-operator-options';
import { COUNT_CAP } from '@/lib/pagination/capped-count';
import { calendarDay, localDayRange } from '@/lib/time/local-day-range';
import { ListPager } from '@/components/list/list-pager';
import { LogsFilters } from '@/components/logs/logs-filters';
import { LogsTable } from '@/components/logs/logs-table';

export const dynamic = 'force-dynamic';

const searchSchema = z.object({
  search: z.string().trim().max(200).optional().catch(undefined),
  actor: z.uuid().optional().catch(undefined),
  actorType: z.enum(actorType.enumValues).optional().catch(undefined),
  // Comma-separated actions, as the list takes them.
  action: z
    .string()
    .trim()
    .regex(/^[a-z0-9_.]{1,100}(,[a-z0-9_.]{1,100}){0,19}$/)
    .optional()
    .catch(undefined),
  targetType: z.string().trim().min(1).max(50).optional().catch(undefined),
  targetId: z.string().trim().min(1).max(100).optional().catch(undefined),
  from: calendarDay.optional().catch(undefined),
  to: calendarDay.optional().catch(undefined),
  ordering: z.enum(['createdAt', '-createdAt']).optional().catch(undefined),
  page: z.coerce.number().int().min(1).max(100_000).catch(1).default(1),
  size: z.coerce
    .number()
    .int()
    .refine((n) => [25, 50, 100].includes(n))
    .catch(50)
    .default(50),
});

/**
 * The audit trail: every row for admins; for supervisors their own actions and the rows about
 * their departments and their members; for operators their own actions (the scope is
 * lib/audit's). Filters, search, ordering and page in the URL; "Export CSV" links the REST API's
 * streamed export with the same query (the session cookie signs it in).
 */
export default async function LogsPage({
  searchParams,
}: {
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  const actor = await requireSessionActor();
  const q = searchSchema.parse(await searchParams);
  const [t, timeZone] = await Promise.all([getTranslations('logs'), getTimeZone()]);
  const days = localDayRange(q.from, q.to, timeZone);
  const query = {
    search: q.search || undefined,
    operatorId: q.actor,
    ...(q.actorType ? { actorType: [q.actorType] } : {}),
    ...(q.action ? { action: q.action.split(',') } : {}),
    targetType: q.targetType,
    targetId: q.targetId,
    createdFrom: days.from,
    createdTo: days.to,
    ordering: q.ordering ?? '-createdAt',
  } satisfies Omit<ListOperatorLogsInput, 'page' | 'pageSize'>;
  const db = await getDb();
  const manager = actor.role !== 'operator';
  const [result, operators] = await Promise.all([
    listOperatorLogs({ db, actor, input: { ...query, page: q.page, pageSize: q.size } }).then(
      (page) => ({ page, error: null }),
      (error: unknown) => {
        // Past the list's depth: say what to do instead of failing the page.
        if (error instanceof AppError && error.code === 'bad_request')
          return { page: null, error: error.message };
        throw error;
      },
    ),
    manager ? listOperatorOptions({ db, actor }) : Promise.resolve([]),
  ]);
  const count = result.page?.count ?? 0;
  const pages = Math.max(1, Math.ceil(Math.min(count, COUNT_CAP) / q.size));
  const exportHref = `/api/v1/operator-logs/export.csv?${apiSearchParams(query).toString()}`;
  return (
    <div className="flex flex-col gap-4">
      <h1 className="text-2xl font-semibold">{manager ? t('title') : t('titleOwn')}</h1>
      <p className="text-sm opacity-80">{t(`scope.${actor.role}`)}</p>
      <LogsFilters
        key={JSON.stringify(q)}
        values={q}
        operators={operators}
        showActor={manager}
        searchHours={SEARCH_DEFAULT_HOURS}
      />
      {result.error ? (
        <div role="alert" className="alert alert-warning">
          {result.error}
        </div>
      ) : (
        <LogsTable
          rows={result.page?.results ?? []}
          count={count}
          capped={count >= COUNT_CAP}
          ordering={query.ordering}
          exportHref={exportHref}
        />
      )}
      <ListPager page={q.page} pages={pages} size={q.size} />
    </div>
  );
}
