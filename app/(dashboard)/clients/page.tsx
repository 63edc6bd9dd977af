import { getTimeZone, getTranslations } from 'next-intl/server';
import { z } from 'zod';
import { requireSessionActor } from '@/app/session';
import { getDb } from '@/db/client';
import { clientStatus } from '@/db/schema';
import { clientList, listClients, type ListClientsInput } from '@/lib/clients/list-clients';
import { listDepartmentOptions } from '@/lib/departments/list-department-options';
import { startOfDay } from '@/lib/stats/get-desk-overview';
import { listOperatorOptions } from '@/lib/operators/list-operator-options';
import { ClientsFilters } from '@/components/clients/clients-filters';
import { ClientsPager } from '@/components/clients/clients-pager';
import { ClientsTable } from '@/components/clients/clients-table';

export const dynamic = 'force-dynamic';

const day = z.string().regex(/^\d{4}-\d{2}-\d{2}$/);
const orderings = clientList.spec.ordering.flatMap((f) => [f, `-${f}`]) as [string, ...string[]];
const searchSchema = z.object({
  status: z.enum(clientStatus.enumValues).optional().catch(undefined),
  search: z.string().trim().max(200).optional().catch(undefined),
  department: z.uuid().optional().catch(undefined),
  operator: z.uuid().optional().catch(undefined),
  unassigned: z.enum(['true']).optional().catch(undefined),
  unread: z.enum(['true']).optional().catch(undefined),
  from: day.optional().catch(undefined),
  to: day.optional().catch(undefined),
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

/** Midnight of a yyyy-mm-dd day in the viewer's time zone. */
function dayStart(value: string, timeZone: string): Date {
  return startOfDay(new Date(`${value}T12:00:00Z`), timeZone);
}

export default async function ClientsPage({
  searchParams,
}: {
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  const actor = await requireSessionActor();
  const q = searchSchema.parse(await searchParams);
  const [t, timeZone] = await Promise.all([getTranslations('clients'), getTimeZone()]);
  const queueView = q.queue === 'true';
  const input: ListClientsInput = {
    ...(q.status ? { status: [q.status] } : {}),
    search: q.search || undefined,
    departmentId: q.department,
    assignedOperatorId: q.mine === 'true' ? actor.operatorId : q.operator,
    // The queue: clients nobody has, the longest-waiting first.
    ...(queueView || q.unassigned === 'true' ? { unassigned: true } : {}),
    ...(q.unread === 'true' ? { hasUnread: true } : {}),
    ...(q.from ? { lastMessageFrom: dayStart(q.from, timeZone).toISOString() } : {}),
    ...(q.to
      ? { lastMessageTo: new Date(dayStart(q.to, timeZone).getTime() + 86_400_000).toISOString() }
      : {}),
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
      <ClientsPager page={q.page} pages={pages} size={q.size} />
    </div>
  );
}
