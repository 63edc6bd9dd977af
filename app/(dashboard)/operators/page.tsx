import { getTranslations } from 'next-intl/server';
import { z } from 'zod';
import { requireSessionActor } from '@/app/session';
import { getDb } from '@/db/client';
import { operatorRole, operatorStatus } from '@/db/schema';
import { listDepartmentOptions } from '@/lib/departments/list-department-options';
import { listOperators, operatorList, type ListOperatorsInput } from '@/lib/operators/list-operators';
import { summarizeOperatorStats } from '@/lib/reports/get-operator-stats';
import { ListPager } from '@/components/list/list-pager';
import { OperatorsFilters } from '@/components/operators/operators-filters';
import { OperatorsTable } from '@/components/operators/operators-table';

export const dynamic = 'force-dynamic';

const orderings = operatorList.spec.ordering.flatMap((f) => [f, `-${f}`]) as [string, ...string[]];
const searchSchema = z.object({
  search: z.string().trim().max(200).optional().catch(undefined),
  role: z.enum(operatorRole.enumValues).optional().catch(undefined),
  status: z.enum(operatorStatus.enumValues).optional().catch(undefined),
  department: z.uuid().optional().catch(undefined),
  active: z.enum(['true', 'false']).optional().catch(undefined),
  ordering: z.enum(orderings).optional().catch(undefined),
  page: z.coerce.number().int().min(1).max(100_000).catch(1).default(1),
  size: z.coerce
    .number()
    .int()
    .refine((n) => [25, 50, 100].includes(n))
    .catch(25)
    .default(25),
});

/**
 * The operators list: everyone for admins (who also create, change, disable and invite them),
 * the members of their departments (and themselves) for supervisors and operators, read only —
 * the scope and every rule are lib/operators'. Filters, search, ordering and page in the URL.
 */
export default async function OperatorsPage({
  searchParams,
}: {
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  const actor = await requireSessionActor();
  const q = searchSchema.parse(await searchParams);
  const t = await getTranslations('operators');
  const input: ListOperatorsInput = {
    search: q.search || undefined,
    ...(q.role ? { role: [q.role] } : {}),
    ...(q.status ? { status: [q.status] } : {}),
    departmentId: q.department,
    ...(q.active ? { isActive: q.active === 'true' } : {}),
    ordering: (q.ordering ?? operatorList.spec.defaultOrdering) as ListOperatorsInput['ordering'],
    page: q.page,
    pageSize: q.size,
  };
  const db = await getDb();
  const [page, departments] = await Promise.all([
    listOperators({ db, actor, input }),
    listDepartmentOptions({ db, actor }),
  ]);
  // Their last 7 local days (operator-stats job): everyone's for managers, one's own for operators.
  const stats = await summarizeOperatorStats({
    db,
    actor,
    operatorIds: page.results.map((o) => o.id),
    days: 7,
  });
  const pages = Math.max(1, Math.ceil(page.count / page.pageSize));
  const admin = actor.role === 'admin';
  return (
    <div className="flex flex-col gap-4">
      <h1 className="text-2xl font-semibold">{t('title')}</h1>
      {!admin && <p className="text-sm opacity-80">{t('readOnly')}</p>}
      <OperatorsFilters key={q.search ?? ''} values={q} departments={departments} />
      <OperatorsTable
        rows={page.results}
        count={page.count}
        ordering={String(input.ordering ?? operatorList.spec.defaultOrdering)}
        departments={departments}
        canManage={admin}
        selfId={actor.operatorId}
        stats={stats}
      />
      <ListPager page={q.page} pages={pages} size={q.size} />
    </div>
  );
}
