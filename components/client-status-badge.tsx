import { useTranslations } from 'next-intl';

const styles: Record<string, string> = {
  new: 'badge-info',
  in_progress: 'badge-primary',
  waiting: 'badge-warning',
  resolved: 'badge-success',
  blocked: 'badge-error',
};

/** A client's status as a coloured badge, in the viewer's language. */
export function ClientStatusBadge({ status }: { status: string }) {
  const t = useTranslations('clientStatus');
  const known = status in styles;
  return (
    <span className={`badge badge-soft ${styles[status] ?? 'badge-ghost'}`} data-status={status}>
      {known ? t(status as 'new') : status}
    </span>
  );
}
