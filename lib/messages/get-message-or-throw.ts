import { eq } from 'drizzle-orm';
import { z } from 'zod';
import type { DbOrTx } from '@/db/client';
import { messages } from '@/db/schema';
import type { Actor } from '@/lib/auth/actor';
import { getClientOrThrow } from '@/lib/clients/get-client-or-throw';
import { AppError } from '@/lib/errors';
import { loadMessageDtos, type MessageDto } from './message-dto';

export const getMessageInput = z.object({
  messageId: z.uuid(),
  /** When given, the message must belong to this client (a REST path names both). */
  clientId: z.uuid().optional(),
});

/**
 * One message as the chat and the API show it. Access follows its client: `not_found` for a
 * message the actor may not see, or one of another client than `clientId` — never `forbidden`,
 * so ids cannot be probed.
 */
export async function getMessageOrThrow({
  db,
  actor,
  input,
}: {
  db: DbOrTx;
  actor: Actor;
  input: z.input<typeof getMessageInput>;
}): Promise<MessageDto> {
  const { messageId, clientId } = getMessageInput.parse(input);
  const notFound = new AppError('not_found', 'Message not found.');
  const [row] = await db
    .select({ clientId: messages.clientId })
    .from(messages)
    .where(eq(messages.id, messageId));
  if (!row || (clientId !== undefined && row.clientId !== clientId)) throw notFound;
  try {
    await getClientOrThrow({ db, actor, clientId: row.clientId });
  } catch (error) {
    throw error instanceof AppError && error.code === 'not_found' ? notFound : error;
  }
  const [message] = await loadMessageDtos({ db, actor, ids: [messageId] });
  if (!message) throw notFound;
  return message;
}
