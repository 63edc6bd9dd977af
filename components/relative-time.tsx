'use client';

import { useEffect, useState } from 'react';

function format(iso: string, now: number): string {
  const diff = Math.round((now - new Date(iso).getTime()) / 1000);
  if (diff < 60) return 'just now';
  if (diff < 3600) return `${Math.floor(diff / 60)} min ago`;
  if (diff < 86400) return `${Math.floor(diff / 3600)} h ago`;
  return new Date(iso).toLocaleDateString();
}

/** Relative time that keeps itself current; the server's rendering may differ by seconds. */
export function RelativeTime({ iso }: { iso: string | null }) {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const id = setInterval(() => setNow(Date.now()), 30_000);
    return () => clearInterval(id);
  }, []);
  if (!iso) return <span>—</span>;
  return (
    <time dateTime={iso} title={iso} suppressHydrationWarning>
      {format(iso, now)}
    </time>
  );
}

/** A clock time in the viewer's own time zone (the server's would be wrong for most operators). */
export function LocalTime({ iso }: { iso: string }) {
  return (
    <time dateTime={iso} title={iso} suppressHydrationWarning>
      {new Date(iso).toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' })}
    </time>
  );
}
