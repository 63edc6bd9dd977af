import { getTimeZone, getTranslations } from 'next-intl/server';
import { requireSessionActor } from '@/app/session';
import { getDb } from '@/db/client';
import { getDeskOverview } from '@/lib/stats/get-desk-overview';
import { OverviewCards } from '@/components/overview/overview-cards';

export const dynamic = 'force-dynamic';

export default async function OverviewPage() {
  const actor = await requireSessionActor();
  const [t, timeZone] = await Promise.all([getTranslations('overview'), getTimeZone()]);
  const overview = await getDeskOverview({ db: await getDb(), actor, timeZone });
  return (
    <div className="flex flex-col gap-4">
      <h1 className="text-2xl font-semibold">{t('title')}</h1>
      <OverviewCards initial={overview} />
    </div>
  );
}
