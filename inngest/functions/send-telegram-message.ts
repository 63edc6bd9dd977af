import { NonRetriableError, RetryAfterError } from 'inngest';
import { inngest } from '@/inngest/client';
import { MESSAGE_QUEUED, messageQueuedData } from '@/inngest/events';
import { deliverMessage, DeliveryRetryError, giveUpDelivery } from '@/lib/messages/deliver-message';

/**
 * Delivers one queued outbound message. Flow control lives here, not in the domain code:
 * at most ~30 sends per second overall (Telegram's bulk limit) and one run at a time per chat,
 * which keeps a chat's messages in order and under its 1/s limit together with the throttle.
 */
export const sendTelegramMessage = inngest.createFunction(
  {
    id: 'send-telegram-message',
    triggers: [{ event: MESSAGE_QUEUED }],
    throttle: { limit: 30, period: '1s', burst: 5 },
    concurrency: [{ limit: 1, key: 'event.data.chatId' }],
    retries: 8,
    onFailure: async ({ event, error }) => {
      const data = messageQueuedData.safeParse(event.data.event.data);
      if (data.success) await giveUpDelivery(data.data.messageId, error.message);
    },
  },
  async ({ event, step }) => {
    const data = messageQueuedData.safeParse(event.data);
    if (!data.success) throw new NonRetriableError('Invalid telegram/message.queued payload');
    return step.run('deliver', async () => {
      try {
        return await deliverMessage({ messageId: data.data.messageId });
      } catch (error) {
        if (error instanceof DeliveryRetryError) {
          if (error.retryAfterMs) throw new RetryAfterError(error.message, error.retryAfterMs);
          throw error;
        }
        throw error;
      }
    });
  },
);
