import { z } from 'zod';
import type { Db } from '@/db/client';
import type { Actor } from '@/lib/auth/actor';
import { requireStaff } from '@/lib/auth/permissions';
import type { QueuedMessage } from '@/lib/messages/queue-bot-message';
import { queueOperatorReply } from './queue-operator-reply';

export const sendOperatorMessageInput = z.object({
  clientId: z.uuid(),
  text: z
    .string()
    .trim()
    .min(1, 'Write a message first.')
    .max(20_000, 'That message is too long (20,000 characters at most).'),
});

/**
 * Stores an operator's reply as `queued` (with the audit row, in one transaction) and returns it
 * for dispatch. An operator answering a queued client takes the client.
 */
export async function sendOperatorMessage({
  db,
  actor,
  input,
}: {
  db: Db;
  actor: Actor;
  input: z.input<typeof sendOperatorMessageInput>;
}): Promise<QueuedMessage & { clientId: string }> {
  requireStaff(actor);
  const { clientId, text } = sendOperatorMessageInput.parse(input);
  return db.transaction((tx) => queueOperatorReply(tx, actor, { clientId, contentKind: 'text', text }));
}
