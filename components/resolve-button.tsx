'use client';

import { useState, useTransition } from 'react';
import { resolveClientAction } from '@/app/(dashboard)/actions';

/** Ends the client's support episode; their next message opens a new one. */
export function ResolveButton({ clientId }: { clientId: string }) {
  const [pending, startTransition] = useTransition();
  const [error, setError] = useState<string | null>(null);
  return (
    <div className="ml-auto flex items-center gap-2">
      {error && <span className="text-error text-xs">{error}</span>}
      <button
        type="button"
        className="btn btn-success btn-sm"
        disabled={pending}
        onClick={() =>
          startTransition(async () => {
            const result = await resolveClientAction(clientId);
            setError(result.ok ? null : result.message);
          })
        }
      >
        {pending ? <span className="loading loading-spinner loading-xs" /> : 'Resolve'}
      </button>
    </div>
  );
}
