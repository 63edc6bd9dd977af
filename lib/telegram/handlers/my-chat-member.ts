import { eq, sql } from 'drizzle-orm';
import { z } from 'zod';
import type { Tx } from '@/db/client';
import { clients } from '@/db/schema';
import { recordAudit } from '@/lib/audit/record-audit';
import { notifyDesk } from '@/lib/events/notify-desk';
import { emptyEffects } from '../effects';
import { chatSchema, telegramUserSchema } from '../update-schema';
import type { HandlerOutcome } from './types';
import { displayNameOf } from './upsert-client';

export const chatMemberUpdatedSchema = z.looseObject({
  chat: chatSchema,
  from: telegramUserSchema,
  date: z.number().int(),
  new_chat_member: z.looseObject({ status: z.string() }),
});

type ChatMemberUpdated = z.infer<typeof chatMemberUpdatedSchema>;

/**
 * In a private chat Telegram sends my_chat_member only when the user blocks (`kicked`) or
 * unblocks (`member`) the bot. Blocking stops all sends; unblocking restores the earlier status.
 */
export async function handleMyChatMember(tx: Tx, update: ChatMemberUpdated): Promise<HandlerOutcome> {
  const effects = emptyEffects();
  if (update.chat.type !== 'private') return { status: 'ignored', reason: 'not a private chat', effects };
  const [client] = await tx.select().from(clients).where(eq(clients.telegramUserId, update.from.id));
  if (!client) return { status: 'ignored', reason: 'no such client', effects };
  const actor = {
    kind: 'telegram' as const,
    telegramUserId: update.from.id,
    name: displayNameOf(update.from),
  };
  const now = new Date();
  const status = update.new_chat_member.status;

  if (status === 'kicked' && client.status !== 'blocked') {
    await tx
      .update(clients)
      .set({ status: 'blocked', statusBeforeBlock: client.status, blockedAt: now, updatedAt: now })
      .where(eq(clients.id, client.id));
    await recordAudit(tx, actor, {
      action: 'client.blocked',
      targetType: 'client',
      targetId: client.id,
      details: { via: 'my_chat_member' },
    });
  } else if (status === 'member' && client.status === 'blocked') {
    await tx
      .update(clients)
      .set({
        status: sql`coalesce(${clients.statusBeforeBlock}, 'new'::client_status)`,
        statusBeforeBlock: null,
        blockedAt: null,
        updatedAt: now,
      })
      .where(eq(clients.id, client.id));
    await recordAudit(tx, actor, {
      action: 'client.unblocked',
      targetType: 'client',
      targetId: client.id,
      details: { via: 'my_chat_member' },
    });
  } else {
    return {
      status: 'ignored',
      reason: `membership ${status} changes nothing`,
      clientId: client.id,
      effects,
    };
  }
  await notifyDesk(tx, {
    type: 'client.updated',
    clientId: client.id,
    departmentId: client.departmentId,
    operatorId: client.assignedOperatorId,
  });
  return { status: 'handled', clientId: client.id, effects };
}
