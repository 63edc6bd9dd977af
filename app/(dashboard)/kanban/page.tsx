import { getTranslations } from 'next-intl/server';
import { z } from 'zod';
import { requireSessionActor } from '@/app/session';
import { getDb } from '@/db/client';
import { listClients } from '@/lib/clients/list-clients';
import { listDepartmentOptions } from '@/lib/departments/list-department-options';
import { listOperatorOptions } from '@/lib/operators/list-operator-options';
import type { ClientStatus } from '@/db/schema';
import { CLIENT_STATUSES as KANBAN_STATUSES } from '@/lib/clients/client-status';
import { KanbanBoard, type KanbanColumns } from '@/components/kanban/kanban-board';
import { KANBAN_PAGE_SIZE } from '@/components/kanban/kanban-page-size';

export const dynamic = 'force-dynamic';

const searchSchema = z.object({
  department: z.uuid().optional().catch(undefined),
  operator: z.uuid().optional().catch(undefined),
});

export default async function KanbanPage({
  searchParams,
}: {
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  const actor = await requireSessionActor();
  const q = searchSchema.parse(await searchParams);
  const db = await getDb();
  const filters = { departmentId: q.department, operatorId: q.operator };
  // Each column's page comes with its count (same filters, from the database): no separate
  // grouped count over every client, which counted the resolved ones a second time.
  const [t, departments, operators, ...pages] = await Promise.all([
    getTranslations('kanban'),
    listDepartmentOptions({ db, actor }),
    listOperatorOptions({ db, actor }),
    ...KANBAN_STATUSES.map((status) =>
      listClients({
        db,
        actor,
        input: {
          status: [status],
          departmentId: q.department,
          assignedOperatorId: q.operator,
          ordering: '-lastMessageAt',
          pageSize: KANBAN_PAGE_SIZE,
        },
      }),
    ),
  ]);
  const columns = Object.fromEntries(
    KANBAN_STATUSES.map((s, i) => [s, pages[i]?.results ?? []]),
  ) as KanbanColumns;
  const counts = Object.fromEntries(KANBAN_STATUSES.map((s, i) => [s, pages[i]?.count ?? 0])) as Record<
    ClientStatus,
    number
  >;
  return (
    <div className="flex flex-col gap-3">
      <h1 className="text-2xl font-semibold">{t('title')}</h1>
      <KanbanBoard
        key={`${q.department ?? ''}:${q.operator ?? ''}`}
        initialColumns={columns}
        initialCounts={counts}
        filters={filters}
        departments={departments}
        operators={operators}
      />
    </div>
  );
}
