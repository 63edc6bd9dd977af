import { getTranslations } from 'next-intl/server';
import { z } from 'zod';
import { requireSessionActor } from '@/app/session';
import { getDb } from '@/db/client';
import { countClientsByStatus } from '@/lib/clients/count-clients-by-status';
import { listClients } from '@/lib/clients/list-clients';
import { listDepartmentOptions } from '@/lib/departments/list-department-options';
import { listOperatorOptions } from '@/lib/operators/list-operator-options';
import { CLIENT_STATUSES as KANBAN_STATUSES } from '@/lib/clients/client-status';
import { KanbanBoard, type KanbanColumns } from '@/components/kanban/kanban-board';

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
  const [t, counts, departments, operators, ...pages] = await Promise.all([
    getTranslations('kanban'),
    countClientsByStatus({ db, actor, ...filters }),
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
          pageSize: 30,
        },
      }),
    ),
  ]);
  const columns = Object.fromEntries(
    KANBAN_STATUSES.map((s, i) => [s, pages[i]?.results ?? []]),
  ) as KanbanColumns;
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
