import { useTranslations } from 'next-intl';
import type { OperatorStatus } from '@/db/schema';

// The colour is a dot beside the text: coloured text on a tinted badge is too faint to read
// (axe colour-contrast) in the light theme.
const dots: Record<OperatorStatus, string> = {
  online: 'status-success',
  away: 'status-warning',
  offline: 'status-neutral',
};

/** An operator's presence (online, away, offline), or "deactivated" for a disabled account. */
export function PresenceBadge({ status, isActive }: { status: OperatorStatus; isActive: boolean }) {
  const t = useTranslations('profile.statuses');
  const to = useTranslations('operators');
  return (
    <span
      className="badge badge-outline gap-1.5 whitespace-nowrap"
      data-status={isActive ? status : 'deactivated'}
    >
      <span aria-hidden className={`status ${isActive ? dots[status] : 'status-error'}`} />
      {isActive ? t(status) : to('deactivated')}
    </span>
  );
}
