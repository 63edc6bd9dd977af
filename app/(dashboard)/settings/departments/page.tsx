import { notFound } from 'next/navigation';
import { getTimeZone, getTranslations } from 'next-intl/server';
import { z } from 'zod';
import { requireSessionActor } from '@/app/session';
import { getDb } from '@/db/client';
import type { DepartmentDto } from '@/lib/departments/get-department-or-throw';
import { listDepartments } from '@/lib/departments/list-departments';
import { DepartmentForm } from '@/components/departments/department-form';
import { DepartmentTable } from '@/components/departments/department-table';

export const dynamic = 'force-dynamic';

const searchSchema = z.object({ edit: z.uuid().optional().catch(undefined) });

/**
 * Settings → Departments (admins; anyone else gets the 404 page): every department, active or
 * not, with its settings; a form to add one; `?edit=<id>` opens one's form above the list.
 * Changes go through the server actions (audited in lib/departments).
 */
export default async function DepartmentsPage({
  searchParams,
}: {
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  const actor = await requireSessionActor();
  if (actor.role !== 'admin') notFound();
  const { edit } = searchSchema.parse(await searchParams);
  const db = await getDb();
  // Departments are few; read every page (100 a page) rather than cut the list.
  const all: DepartmentDto[] = [];
  for (let page = 1; ; page++) {
    const batch = await listDepartments({ db, actor, input: { page, pageSize: 100 } });
    all.push(...batch.results);
    if (all.length >= batch.count || batch.results.length === 0) break;
  }
  const [t, timeZone] = await Promise.all([getTranslations('departments'), getTimeZone()]);
  const editing = edit ? all.find((d) => d.id === edit) : undefined;
  return (
    <div className="flex max-w-6xl flex-col gap-4">
      <div className="flex flex-col gap-1">
        <h1 className="text-2xl font-semibold">{t('title')}</h1>
        <p className="text-sm opacity-80">{t('intro')}</p>
      </div>
      {editing ? (
        <section aria-labelledby="department-edit" className="card bg-base-100 shadow-sm">
          <div className="card-body p-4">
            <h2 id="department-edit" className="card-title text-lg break-words">
              {t('editTitle', { name: editing.name })}
            </h2>
            <DepartmentForm key={editing.id} department={editing} timeZone={timeZone} />
          </div>
        </section>
      ) : (
        <details className="card bg-base-100 shadow-sm" open={all.length === 0}>
          <summary className="cursor-pointer p-4 text-lg font-semibold">{t('createTitle')}</summary>
          <div className="px-4 pb-4">
            <DepartmentForm timeZone={timeZone} />
          </div>
        </details>
      )}
      <section aria-labelledby="department-list" className="flex flex-col gap-2">
        <h2 id="department-list" className="text-lg font-semibold">
          {t('listTitle')}
        </h2>
        <DepartmentTable departments={all} />
      </section>
    </div>
  );
}
