import { and, eq, inArray } from 'drizzle-orm';
import { z } from 'zod';
import type { DbOrTx } from '@/db/client';
import { messages } from '@/db/schema';
import type { Actor } from '@/lib/auth/actor';
import { getClientOrThrow } from '@/lib/clients/get-client-or-throw';
import { loadMessageDtos, type MessageDto } from './message-dto';

export const getClientMessagesInput = z.object({
  clientId: z.uuid(),
  /** At most 100 ids: what a live view asks for after a burst of change events. */
  messageIds: z.array(z.uuid()).min(1).max(100),
});

/**
 * The messages with these ids that belong to this client, as the chat shows them, oldest first
 * — what a live chat reloads when change events name messages. Ids of other clients' messages
 * or of no message are left out silently (an event may outlive its message's client scope).
 * Access follows the client: `not_found` for a client the actor may not see; invalid input
 * throws a ZodError.
 */
export async function getClientMessages({
  db,
  actor,
  input,
}: {
  db: DbOrTx;
  actor: Actor;
  input: z.input<typeof getClientMessagesInput>;
}): Promise<MessageDto[]> {
  const { clientId, messageIds } = getClientMessagesInput.parse(input);
  await getClientOrThrow({ db, actor, clientId });
  const rows = await db
    .select({ id: messages.id })
    .from(messages)
    .where(and(eq(messages.clientId, clientId), inArray(messages.id, [...new Set(messageIds)])))
    .orderBy(messages.createdAt, messages.id);
  return loadMessageDtos({ db, actor, ids: rows.map((r) => r.id) });
}
