import { z } from 'zod';

// Event names are declared once, here: `domain/noun.verb-past`.
export const MESSAGE_QUEUED = 'telegram/message.queued';
export const ATTACHMENT_DOWNLOAD_REQUESTED = 'telegram/attachment.download-requested';
export const OPERATOR_NOTIFY_REQUESTED = 'telegram/operator.notify-requested';

export const messageQueuedData = z.object({
  messageId: z.uuid(),
  chatId: z.number().int(),
});

export type MessageQueuedData = z.infer<typeof messageQueuedData>;

export const attachmentDownloadRequestedData = z.object({ attachmentId: z.uuid() });

export const operatorNotifyRequestedData = z.object({
  messageId: z.uuid(),
  albumItemTelegramMessageId: z.number().int().optional(),
});

/** An admin asked for a job to run now (the Jobs page); the job's function runs it. */
export const JOB_RUN_REQUESTED = 'desk/job.run-requested';

export const jobRunRequestedData = z.object({
  job: z.string().min(1),
  dryRun: z.boolean(),
  operatorId: z.uuid().nullable(),
});
export type JobRunRequestedData = z.infer<typeof jobRunRequestedData>;
