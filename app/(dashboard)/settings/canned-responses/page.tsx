import { getTranslations } from 'next-intl/server';
import { requireSessionActor } from '@/app/session';
import { getDb } from '@/db/client';
import { listCannedResponses } from '@/lib/canned-responses/list-canned-responses';
import { listDepartmentOptions } from '@/lib/departments/list-department-options';
import { CannedResponseForm } from '@/components/canned-responses/canned-response-form';

export const dynamic = 'force-dynamic';

/**
 * Canned responses per department: admins manage every department's, supervisors their own;
 * operators see the ones they can insert with `/` in the chat.
 */
export default async function CannedResponsesPage() {
  const actor = await requireSessionActor();
  const t = await getTranslations('cannedResponses');
  const db = await getDb();
  const [responses, allDepartments] = await Promise.all([
    listCannedResponses({ db, actor }),
    listDepartmentOptions({ db, actor }),
  ]);
  const manager = actor.role === 'admin' || actor.role === 'supervisor';
  const departments =
    actor.role === 'admin'
      ? allDepartments
      : allDepartments.filter((d) => actor.departmentIds.includes(d.id));
  return (
    <div className="flex max-w-3xl flex-col gap-4">
      <div>
        <h1 className="text-2xl font-semibold">{t('title')}</h1>
        <p className="text-sm opacity-80">{t('intro')}</p>
      </div>
      {manager && departments.length > 0 ? (
        <section className="rounded-box bg-base-100 p-3" aria-labelledby="canned-add">
          <h2 id="canned-add" className="mb-2 font-semibold">
            {t('add')}
          </h2>
          <CannedResponseForm departments={departments} />
        </section>
      ) : (
        <p className="text-sm opacity-80">{t('readOnly')}</p>
      )}
      {responses.length === 0 && <p className="opacity-70">{t('empty')}</p>}
      <ul className="flex flex-col gap-2" data-testid="canned-responses">
        {responses.map((r) => (
          <li key={r.id} className="rounded-box bg-base-100 p-3" data-testid="canned-response">
            <CannedResponseForm departments={departments} response={r} readOnly={!manager} />
          </li>
        ))}
      </ul>
    </div>
  );
}
