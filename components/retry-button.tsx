'use client';

import { useTranslations } from 'next-intl';
import { useState, useTransition } from 'react';
import { retryMessageAction } from '@/app/(dashboard)/actions';
import { useChatRefresh } from './chat/chat-refresh';

/**
 * Sends a failed message again. For a message whose delivery is unknown — it may have reached
 * the client already — the operator confirms first: it is never resent without them knowing.
 */
export function RetryButton({ messageId, unknown = false }: { messageId: string; unknown?: boolean }) {
  const t = useTranslations('chat.message');
  const refresh = useChatRefresh();
  const [pending, startTransition] = useTransition();
  const [error, setError] = useState<string | null>(null);
  return (
    <>
      <button
        type="button"
        className="btn btn-xs"
        disabled={pending}
        onClick={() => {
          if (unknown && !window.confirm(t('sendAgainConfirm'))) return;
          startTransition(async () => {
            const result = await retryMessageAction(messageId, unknown);
            setError(result.ok ? null : result.message);
            refresh([messageId]);
          });
        }}
      >
        {unknown ? t('sendAgain') : t('retry')}
      </button>
      {error && <span className="text-error">{error}</span>}
    </>
  );
}
