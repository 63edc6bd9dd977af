import { eq } from 'drizzle-orm';
import type { DbOrTx } from '@/db/client';
import { clients } from '@/db/schema';
import type { StaffActor } from '@/lib/auth/actor';
import { AppError } from '@/lib/errors';
import { applyClientEvent, lockClient, openEpisode, recordFirstResponse } from './apply-client-event';
import { takeUnassignedClient } from './claim-client';

export type AnsweredClient = {
  /** The episode the answer belongs to. */
  conversationId: string | null;
  operatorId: string | null;
  chatId: number;
};

/**
 * The desk answered the client (a reply was stored for sending): an operator answering a
 * client nobody has takes it; the status becomes `in_progress` (a resolved client's follow-up
 * opens a new episode); the episode's first-response time is set if it was not; the unread
 * count clears. Caller checked the actor may reply. Errors: `conflict` when the client blocked
 * the bot, `not_found` when it does not exist.
 */
export async function markClientAnswered(
  tx: DbOrTx,
  actor: StaffActor,
  clientId: string,
  at = new Date(),
): Promise<AnsweredClient> {
  const client = await lockClient(tx, clientId);
  if (!client) throw new AppError('not_found', 'Client not found.');
  if (client.status === 'blocked') {
    throw new AppError(
      'conflict',
      'This client has blocked the bot; Telegram will not deliver messages to them.',
    );
  }
  if (actor.kind === 'operator' && client.assignedOperatorId === null) {
    await takeUnassignedClient(tx, actor, client);
  }
  const applied = await applyClientEvent(tx, client, { type: 'answered' }, { now: at });
  let conversationId = applied.conversationId;
  if (applied.episode === 'open') {
    conversationId = await openEpisode(tx, client, { firstResponseAt: at });
  } else {
    await recordFirstResponse(tx, conversationId, at);
  }
  await tx
    .update(clients)
    .set({ unreadCount: 0, lastMessageAt: at, updatedAt: at })
    .where(eq(clients.id, clientId));
  return { conversationId, operatorId: client.assignedOperatorId, chatId: client.chatId };
}
