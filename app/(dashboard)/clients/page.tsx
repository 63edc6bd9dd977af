import { getTimeZone, getTranslations } from 'next-intl/server';
import { z } from 'zod';
import { requireSessionActor } from '@/app/session';
import { getDb } from '@/db/client';
import { clientStatus } from '@/db/schema';
import { clientList, listClients, type ListClientsInput } from '@/lib/clients/list-clients';
import { listDepartmentOptions } from '@/lib/departments/list-department-options';
import { listOperatorOptions } from '@/lib/operators/list-operator-options';
import { calendarDay, localDayRange } from '@/lib/time/local-day-range';
import { ClientsFilters } from '@/components/clients/clients-filters';
import { ClientsTable } from '@/components/clients/clients-table';
import { ListPager } from '@/components/list/list-pager';

export const dynamic = 'force-dynamic';

const orderings = clientList.spec.ordering.flatMap((f) => [f, `-${f}`]) as [string, ...string[]];
const searchSchema = z.object({
  status: z.enum(clientStatus.enumValues).optional().catch(undefined),
  search: z.string().trim().max(200).optional().catch(undefined),
  department: z.uuid().optional().catch(undefined),
  operator: z.uuid().optional().catch(undefined),
  unassigned: z.enum(['true']).optional().catch(undefined),
  unread: z.enum(['true']).optional().catch(undefined),
  from: calendarDay.optional().catch(undefined),
  to: calendarDay.optional().catch(undefined),
  queue: z.enum(['true']).optional().catch(undefined),
  mine: z.enum(['true']).optional().catch(undefined),
  ordering: z.enum(orderings).optional().catch(undefined),
  page: z.coerce.number().int().min(1).max(100_000).catch(1).default(1),
  size: z.coerce
    .number()
    .int()
    .refine((n) => [25, 50, 100].includes(n))
    .catch(50)
    .default(50),
  cols: z.string().max(200).optional().catch(undefined),
});

export default async function ClientsPage({
  searchParams,
}: {
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  const actor = await requireSessionActor();
  const q = searchSchema.parse(await searchParams);
  const [t, timeZone] = await Promise.all([getTranslations('clients'), getTimeZone()]);
  const queueView = q.queue === 'true';
  const days = localDayRange(q.from, q.to, timeZone);
  const input: ListClientsInput = {
    ...(q.status ? { status: [q.status] } : {}),
    search: q.search || undefined,
    departmentId: q.department,
    assignedOperatorId: q.mine === 'true' ? actor.operatorId : q.operator,
    // The queue: clients nobody has, the longest-waiting first.
    ...(queueView || q.unassigned === 'true' ? { unassigned: true } : {}),
    ...(q.unread === 'true' ? { hasUnread: true } : {}),
    ...(days.from ? { lastMessageFrom: days.from.toISOString() } : {}),
    ...(days.to ? { lastMessageTo: days.to.toISOString() } : {}),
    ordering: (q.ordering ?? (queueView ? 'queuedAt' : '-lastMessageAt')) as ListClientsInput['ordering'],
    page: q.page,
    pageSize: q.size,
  };
  const db = await getDb();
  const [page, departments, operators] = await Promise.all([
    listClients({ db, actor, input }),
    listDepartmentOptions({ db, actor }),
    listOperatorOptions({ db, actor }),
  ]);
  const pages = Math.max(1, Math.ceil(page.count / page.pageSize));
  const hidden = q.cols ? q.cols.split(',') : queueView ? ['created', 'unread'] : ['waiting', 'created'];
  return (
    <div className="flex flex-col gap-4">
      <h1 className="text-2xl font-semibold">
        {queueView ? t('titleQueue') : q.mine ? t('titleMine') : t('title')}
      </h1>
      <ClientsFilters values={q} departments={departments} operators={operators} />
      <ClientsTable
        key={JSON.stringify(input)}
        initial={page.results}
        count={page.count}
        query={input}
        queueView={queueView}
        hidden={hidden}
        departments={departments}
        operators={operators}
      />
      <ListPager page={q.page} pages={pages} size={q.size} />
    </div>
  );
}
