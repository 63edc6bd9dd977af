'use client';

import { useFormatter, useNow } from 'next-intl';

/**
 * Relative time ("5 minutes ago", «5 минут назад») in the viewer's language, kept current every
 * 30 s; past a day, the date. next-intl's formatter, so the language and time zone are the
 * operator's (i18n/request.ts), on the server and in the browser alike.
 */
export function RelativeTime({ iso }: { iso: string | null }) {
  const format = useFormatter();
  const now = useNow({ updateInterval: 30_000 });
  if (!iso) return <span>—</span>;
  const at = new Date(iso);
  return (
    <time
      dateTime={iso}
      title={format.dateTime(at, { dateStyle: 'medium', timeStyle: 'short' })}
      suppressHydrationWarning
    >
      {now.getTime() - at.getTime() < 86_400_000
        ? format.relativeTime(at, now)
        : format.dateTime(at, { dateStyle: 'medium' })}
    </time>
  );
}

/** A clock time in the operator's language and time zone. */
export function LocalTime({ iso }: { iso: string }) {
  const format = useFormatter();
  const at = new Date(iso);
  return (
    <time
      dateTime={iso}
      title={format.dateTime(at, { dateStyle: 'medium', timeStyle: 'short' })}
      suppressHydrationWarning
    >
      {format.dateTime(at, { timeStyle: 'short' })}
    </time>
  );
}
