'use client';

import { useEffect } from 'react';
import { markClientReadAction } from '@/app/(dashboard)/actions';

/**
 * Clears the client's unread count while their chat is open: when it opens and whenever a newer
 * message appears in it (the server decides whether this viewer's reading counts).
 */
export function MarkRead({
  clientId,
  latestMessageId,
}: {
  clientId: string;
  latestMessageId: string | null;
}) {
  useEffect(() => {
    if (!latestMessageId || document.visibilityState === 'hidden') return;
    void markClientReadAction(clientId);
  }, [clientId, latestMessageId]);
  return null;
}
