import { eq } from 'drizzle-orm';
import { z } from 'zod';
import type { Tx } from '@/db/client';
import { clients } from '@/db/schema';
import type { TelegramActor } from '@/lib/auth/actor';
import { blockClient } from '@/lib/clients/block-client';
import { unblockClient } from '@/lib/clients/unblock-client';
import { displayNameOf } from '../display-name';
import { emptyEffects } from '../effects';
import { chatSchema, telegramUserSchema } from '../update-schema';
import type { HandlerOutcome } from './types';

export const chatMemberUpdatedSchema = z.looseObject({
  chat: chatSchema,
  from: telegramUserSchema,
  date: z.number().int(),
  new_chat_member: z.looseObject({ status: z.string() }),
});

type ChatMemberUpdated = z.infer<typeof chatMemberUpdatedSchema>;

/**
 * In a private chat Telegram sends my_chat_member only when the user blocks (`kicked`) or
 * unblocks (`member`) the bot (Bot API, Update.my_chat_member). Both go through the client's
 * named transitions (lib/clients), as does a 403 on a send, so unblocking restores the earlier
 * status whichever way the block was seen.
 */
export async function handleMyChatMember(tx: Tx, update: ChatMemberUpdated): Promise<HandlerOutcome> {
  const effects = emptyEffects();
  if (update.chat.type !== 'private') return { status: 'ignored', reason: 'not a private chat', effects };
  const [client] = await tx
    .select({ id: clients.id })
    .from(clients)
    .where(eq(clients.telegramUserId, update.from.id));
  if (!client) return { status: 'ignored', reason: 'no such client', effects };
  const actor: TelegramActor = {
    kind: 'telegram',
    telegramUserId: update.from.id,
    name: displayNameOf(update.from),
  };
  const status = update.new_chat_member.status;
  if (status === 'kicked') {
    const blocked = await blockClient({ tx, actor, clientId: client.id, source: 'my_chat_member' });
    if (blocked.freedOperatorId) effects.drains.push(blocked.freedOperatorId);
    if (blocked.changed) return { status: 'handled', clientId: client.id, effects };
  } else if (status === 'member') {
    const unblocked = await unblockClient({ tx, actor, clientId: client.id });
    if (unblocked.changed) return { status: 'handled', clientId: client.id, effects };
  }
  return { status: 'ignored', reason: `membership ${status} changes nothing`, clientId: client.id, effects };
}
