import { z } from 'zod';

// Event names are declared once, here: `domain/noun.verb-past`.
export const MESSAGE_QUEUED = 'telegram/message.queued';

export const messageQueuedData = z.object({
  messageId: z.uuid(),
  chatId: z.number().int(),
});

export type MessageQueuedData = z.infer<typeof messageQueuedData>;
