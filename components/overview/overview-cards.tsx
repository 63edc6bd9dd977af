'use client';

import { useNow, useTranslations } from 'next-intl';
import { useRef, useState } from 'react';
import { getOverviewAction } from '@/app/(dashboard)/actions';
import type { DeskOverview } from '@/lib/stats/get-desk-overview';
import { durationParts } from '../format-duration';
import { useLiveEvents } from '../live/live-provider';

function Stat({
  title,
  value,
  desc,
  testId,
}: {
  title: string;
  value: React.ReactNode;
  desc?: React.ReactNode;
  testId: string;
}) {
  return (
    <div className="stat rounded-box bg-base-100" data-testid={testId}>
      <div className="stat-title">{title}</div>
      <div className="stat-value text-3xl">{value}</div>
      {desc && <div className="stat-desc whitespace-normal">{desc}</div>}
    </div>
  );
}

/**
 * The overview's cards, kept current: every live event (debounced) reloads the numbers, a
 * reconnection too; the longest wait ticks with the clock.
 */
export function OverviewCards({ initial }: { initial: DeskOverview }) {
  const t = useTranslations('overview');
  const td = useTranslations('duration');
  const now = useNow({ updateInterval: 30_000 });
  const [data, setData] = useState(initial);
  const timer = useRef<ReturnType<typeof setTimeout> | null>(null);
  useLiveEvents(() => {
    if (timer.current) clearTimeout(timer.current);
    timer.current = setTimeout(() => {
      void getOverviewAction().then((result) => result.ok && setData(result.data));
    }, 500);
  });
  const duration = (seconds: number) => {
    const { key, values } = durationParts(seconds);
    return td(key, values);
  };
  const open = data.clients.new + data.clients.inProgress + data.clients.waiting;
  const wait = data.queue.oldestSince
    ? (now.getTime() - new Date(data.queue.oldestSince).getTime()) / 1000
    : null;
  return (
    <div className="grid grid-cols-1 gap-3 sm:grid-cols-2 xl:grid-cols-3">
      <Stat
        testId="stat-open"
        title={t('openClients')}
        value={open}
        desc={`${t('statuses.new')} ${data.clients.new} · ${t('statuses.inProgress')} ${data.clients.inProgress} · ${t('statuses.waiting')} ${data.clients.waiting} · ${t('statuses.blocked')} ${data.clients.blocked}`}
      />
      <Stat
        testId="stat-queue"
        title={t('queue')}
        value={data.queue.count}
        desc={wait === null ? t('nobodyWaiting') : t('longestWait', { duration: duration(wait) })}
      />
      <Stat
        testId="stat-operators"
        title={t('operatorsOnline')}
        value={
          <>
            {data.operators.online}{' '}
            <span className="text-base font-normal opacity-70">
              {t('ofTotal', { total: data.operators.total })}
            </span>
          </>
        }
        desc={
          <span className="flex items-center gap-2">
            <progress
              className="progress w-24"
              value={data.operators.load}
              max={Math.max(1, data.operators.capacity)}
              aria-label={t('load', { load: data.operators.load, capacity: data.operators.capacity })}
            />
            {t('load', { load: data.operators.load, capacity: data.operators.capacity })}
          </span>
        }
      />
      <Stat
        testId="stat-messages"
        title={t('messagesToday')}
        value={data.messagesToday.inbound + data.messagesToday.outbound}
        desc={t('inOut', data.messagesToday)}
      />
      <Stat
        testId="stat-first-response"
        title={t('firstResponse')}
        value={data.firstResponseMedianSec === null ? '—' : duration(data.firstResponseMedianSec)}
        desc={data.firstResponseMedianSec === null ? t('noAnswersYet') : t('median')}
      />
      <Stat testId="stat-resolved" title={t('resolvedToday')} value={data.clients.resolvedToday} />
    </div>
  );
}
