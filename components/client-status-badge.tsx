import { useTranslations } from 'next-intl';

const styles: Record<string, string> = {
  new: 'badge-info',
  in_progress: 'badge-primary',
  waiting: 'badge-warning',
  resolved: 'badge-success',
  blocked: 'badge-error',
};

/**
 * A client's status as a coloured badge, in the viewer's language. Solid badges: daisyUI's
 * colour/content pairs meet WCAG AA contrast in both themes, the soft ones (colour text on a
 * tint) do not.
 */
export function ClientStatusBadge({ status }: { status: string }) {
  const t = useTranslations('clientStatus');
  const known = status in styles;
  return (
    <span className={`badge whitespace-nowrap ${styles[status] ?? 'badge-ghost'}`} data-status={status}>
      {known ? t(status as 'new') : status}
    </span>
  );
}
