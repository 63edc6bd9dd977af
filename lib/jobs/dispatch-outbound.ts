import { inngest } from '@/inngest/client';
import { MESSAGE_QUEUED } from '@/inngest/events';
import { isInngestConfigured } from '@/lib/env';
import { deliverMessage } from '@/lib/messages/deliver-message';

export type QueuedMessage = { messageId: string; chatId: number };

/**
 * Hands queued outbound messages to the send job. With Inngest configured they go through the
 * throttled function; with none configured, or none reachable, the same domain function runs
 * inline so a reply is never stuck in `queued`.
 */
export async function dispatchOutbound(queued: QueuedMessage[]): Promise<void> {
  if (queued.length === 0) return;
  if (isInngestConfigured()) {
    try {
      await inngest.send(queued.map((q) => ({ name: MESSAGE_QUEUED, data: q })));
      return;
    } catch (error) {
      console.warn('Inngest unreachable, sending inline:', error instanceof Error ? error.message : error);
    }
  }
  for (const q of queued) {
    await deliverMessage({ messageId: q.messageId, mode: 'inline' });
  }
}
