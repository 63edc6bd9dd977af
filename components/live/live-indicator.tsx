'use client';

import { useTranslations } from 'next-intl';
import { useLiveStatus } from './live-provider';

/** A small badge saying whether the page receives live updates. */
export function LiveIndicator() {
  const t = useTranslations('live');
  const status = useLiveStatus();
  const label = status === 'live' ? t('connected') : status === 'polling' ? t('polling') : t('reconnecting');
  const dot =
    status === 'live' ? 'status-success' : status === 'polling' ? 'status-warning' : 'status-neutral';
  return (
    <span
      className="flex items-center gap-1 text-xs"
      title={label}
      data-testid="live-status"
      data-status={status}
    >
      <span aria-hidden className={`status ${dot}`} />
      <span className="sr-only sm:not-sr-only">{label}</span>
    </span>
  );
}
