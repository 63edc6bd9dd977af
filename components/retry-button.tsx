'use client';

import { useState, useTransition } from 'react';
import { retryMessageAction } from '@/app/(dashboard)/actions';

export function RetryButton({ messageId }: { messageId: string }) {
  const [pending, startTransition] = useTransition();
  const [error, setError] = useState<string | null>(null);
  return (
    <>
      <button
        type="button"
        className="btn btn-xs"
        disabled={pending}
        onClick={() =>
          startTransition(async () => {
            const result = await retryMessageAction(messageId);
            setError(result.ok ? null : result.message);
          })
        }
      >
        Retry
      </button>
      {error && <span className="text-error">{error}</span>}
    </>
  );
}
