'use client';

import { useState, useTransition } from 'react';
import { setMyStatusAction } from '@/app/(dashboard)/actions';

const options = [
  { value: 'online', label: 'Online', badge: 'status-success' },
  { value: 'away', label: 'Away', badge: 'status-warning' },
  { value: 'offline', label: 'Offline', badge: 'status-neutral' },
] as const;

type Status = (typeof options)[number]['value'];

export function StatusSelect({ status }: { status: Status }) {
  const [current, setCurrent] = useState<Status>(status);
  const [error, setError] = useState<string | null>(null);
  const [pending, startTransition] = useTransition();
  const active = options.find((o) => o.value === current) ?? options[2];

  return (
    <div className="flex items-center gap-2">
      <span aria-hidden className={`status ${active.badge}`} />
      <select
        aria-label="My status"
        className="select select-sm w-28"
        value={current}
        disabled={pending}
        onChange={(e) => {
          const next = e.target.value as Status;
          setCurrent(next);
          startTransition(async () => {
            const result = await setMyStatusAction(next);
            if (!result.ok) {
              setError(result.message);
              setCurrent(status);
            } else setError(null);
          });
        }}
      >
        {options.map((o) => (
          <option key={o.value} value={o.value}>
            {o.label}
          </option>
        ))}
      </select>
      {error && <span className="text-error text-xs">{error}</span>}
    </div>
  );
}
