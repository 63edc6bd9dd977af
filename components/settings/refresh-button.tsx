'use client';

import { useRouter } from 'next/navigation';
import { useTransition } from 'react';

/** Re-renders the current server page (asks the server again) without a full reload. */
export function RefreshButton({ label }: { label: string }) {
  const router = useRouter();
  const [pending, startTransition] = useTransition();
  return (
    <button
      type="button"
      className="btn btn-sm"
      disabled={pending}
      onClick={() => startTransition(() => router.refresh())}
    >
      {pending && <span className="loading loading-spinner loading-xs" aria-hidden />}
      {label}
    </button>
  );
}
