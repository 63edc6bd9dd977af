const styles: Record<string, string> = {
  new: 'badge-info',
  in_progress: 'badge-primary',
  waiting: 'badge-warning',
  resolved: 'badge-success',
  blocked: 'badge-error',
};

export function ClientStatusBadge({ status }: { status: string }) {
  return (
    <span className={`badge badge-soft ${styles[status] ?? 'badge-ghost'}`}>{status.replace('_', ' ')}</span>
  );
}
