'use client';

import { useState, useTransition } from 'react';
import { retryMessageAction } from '@/app/(dashboard)/actions';

/**
 * Sends a failed message again. For a message whose delivery is unknown — it may have reached
 * the client already — the operator confirms first: it is never resent without them knowing.
 */
export function RetryButton({ messageId, unknown = false }: { messageId: string; unknown?: boolean }) {
  const [pending, startTransition] = useTransition();
  const [error, setError] = useState<string | null>(null);
  return (
    <>
      <button
        type="button"
        className="btn btn-xs"
        disabled={pending}
        onClick={() => {
          if (
            unknown &&
            !window.confirm('This message may already have reached the client. Send it again anyway?')
          )
            return;
          startTransition(async () => {
            const result = await retryMessageAction(messageId, unknown);
            setError(result.ok ? null : result.message);
          });
        }}
      >
        {unknown ? 'Send again anyway' : 'Retry'}
      </button>
      {error && <span className="text-error">{error}</span>}
    </>
  );
}
