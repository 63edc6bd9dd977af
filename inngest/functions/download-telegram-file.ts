import { NonRetriableError, RetryAfterError } from 'inngest';
import { inngest } from '@/inngest/client';
import { ATTACHMENT_DOWNLOAD_REQUESTED, attachmentDownloadRequestedData } from '@/inngest/events';
import { downloadAttachment } from '@/lib/attachments/download-attachment';
import { DeliveryRetryError } from '@/lib/messages/deliver-message';

/** Copies a client's file from Telegram into our storage, outside the webhook's response. */
export const downloadTelegramFile = inngest.createFunction(
  {
    id: 'download-telegram-file',
    triggers: [{ event: ATTACHMENT_DOWNLOAD_REQUESTED }],
    concurrency: [{ limit: 5 }],
    retries: 6,
  },
  async ({ event, step }) => {
    const data = attachmentDownloadRequestedData.safeParse(event.data);
    if (!data.success) throw new NonRetriableError('Invalid attachment download payload');
    return step.run('download', async () => {
      try {
        return await downloadAttachment({ attachmentId: data.data.attachmentId });
      } catch (error) {
        if (error instanceof DeliveryRetryError && error.retryAfterMs)
          throw new RetryAfterError(error.message, error.retryAfterMs);
        throw error;
      }
    });
  },
);
