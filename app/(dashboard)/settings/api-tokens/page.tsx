import { notFound } from 'next/navigation';
import { getTimeZone, getTranslations } from 'next-intl/server';
import { requireSessionActor } from '@/app/session';
import { getDb } from '@/db/client';
import { listApiTokens, type ApiTokenListItem } from '@/lib/api-tokens/list-api-tokens';
import { listDepartmentOptions } from '@/lib/departments/list-department-options';
import { AppError } from '@/lib/errors';
import { ApiTokenTable } from '@/components/api-tokens/api-token-table';
import { CreateApiTokenForm } from '@/components/api-tokens/create-api-token-form';

export const dynamic = 'force-dynamic';

/**
 * Settings → API tokens (admins): create a token (shown once), see every token with its scope,
 * expiry and last use, revoke one. Anyone else gets the 404 page: listApiTokens refuses them.
 */
export default async function ApiTokensPage() {
  const actor = await requireSessionActor();
  const db = await getDb();
  let tokens: ApiTokenListItem[];
  try {
    tokens = await listApiTokens({ db, actor });
  } catch (error) {
    if (error instanceof AppError && error.code === 'forbidden') notFound();
    throw error;
  }
  const [t, departments, timeZone] = await Promise.all([
    getTranslations('apiTokens'),
    listDepartmentOptions({ db, actor }),
    getTimeZone(),
  ]);
  // en-CA formats a day as yyyy-mm-dd, the value of a date input.
  const today = new Intl.DateTimeFormat('en-CA', { timeZone }).format(new Date());
  return (
    <div className="flex max-w-6xl flex-col gap-4">
      <div className="flex flex-col gap-1">
        <h1 className="text-2xl font-semibold">{t('title')}</h1>
        <p className="text-sm opacity-80">
          {t('intro')}{' '}
          <a href="/api/docs" className="link">
            {t('docs')}
          </a>
        </p>
      </div>
      <section aria-labelledby="new-token" className="card bg-base-100 shadow-sm">
        <div className="card-body p-4">
          <h2 id="new-token" className="card-title text-lg">
            {t('createTitle')}
          </h2>
          <CreateApiTokenForm departments={departments} today={today} />
        </div>
      </section>
      <section aria-labelledby="token-list" className="flex flex-col gap-2">
        <h2 id="token-list" className="text-lg font-semibold">
          {t('listTitle')}
        </h2>
        <ApiTokenTable tokens={tokens} />
      </section>
    </div>
  );
}
