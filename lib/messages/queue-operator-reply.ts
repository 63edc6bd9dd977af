import type { DbOrTx } from '@/db/client';
import { messages, type ContentKind } from '@/db/schema';
import { recordAudit } from '@/lib/audit/record-audit';
import type { Actor } from '@/lib/auth/actor';
import { canReplyToClient, requireStaff } from '@/lib/auth/permissions';
import { getClientOrThrow, type ClientDto } from '@/lib/clients/get-client-or-throw';
import { markClientAnswered } from '@/lib/clients/mark-client-answered';
import { AppError } from '@/lib/errors';
import { notifyDesk } from '@/lib/events/notify-desk';
import type { QueuedMessage } from '@/lib/messages/queue-bot-message';

export type QueuedReply = QueuedMessage & { clientId: string };

/**
 * The client a staff actor may reply to, or an AppError: `not_found` for clients they cannot
 * see, `forbidden` where viewing is allowed but replying is not, `conflict` when the client
 * has blocked the bot.
 */
export async function getReplyableClientOrThrow({
  db,
  actor,
  clientId,
}: {
  db: DbOrTx;
  actor: Actor;
  clientId: string;
}): Promise<ClientDto> {
  requireStaff(actor);
  const client = await getClientOrThrow({ db, actor, clientId });
  if (!canReplyToClient(actor, client)) throw new AppError('forbidden', 'You cannot reply to this client.');
  if (client.status === 'blocked') {
    throw new AppError(
      'conflict',
      'This client has blocked the bot; Telegram will not deliver messages to them.',
    );
  }
  return client;
}

/** A reply an operator wrote in their own Telegram chat with the bot (relayed with copyMessage). */
export type TelegramComposedReply = {
  chatId: number;
  messageId: number;
  /** The operator's Message object as Telegram sent it. */
  payload: Record<string, unknown>;
};

/**
 * The part every staff reply shares, inside the caller's transaction: check the actor may reply,
 * apply the client's `answered` transition (lib/clients: an operator answering a queued client
 * takes it, status `in_progress`, first-response time, unread cleared), insert the outbound
 * message as `queued`, write the `message.sent` audit row and notify live views. Callers add
 * their own rows (attachments) in the same transaction and dispatch after commit.
 */
export async function queueOperatorReply(
  tx: DbOrTx,
  actor: Actor,
  input: {
    clientId: string;
    contentKind: ContentKind;
    text: string | null;
    /** Telegram formatting entities of `text` (UTF-16 offsets), for a reply written in Telegram. */
    entities?: unknown[] | null;
    payload?: Record<string, unknown> | null;
    composedInTelegram?: TelegramComposedReply;
    auditDetails?: Record<string, unknown>;
  },
): Promise<QueuedReply> {
  const staff = requireStaff(actor);
  const { clientId } = input;
  const client = await getReplyableClientOrThrow({ db: tx, actor, clientId });
  const now = new Date();
  const answered = await markClientAnswered(tx, staff, clientId, now);
  const [message] = await tx
    .insert(messages)
    .values({
      clientId,
      conversationId: answered.conversationId,
      direction: 'outbound',
      senderKind: staff.kind === 'operator' ? 'operator' : 'system',
      operatorId: staff.kind === 'operator' ? staff.operatorId : null,
      contentKind: input.contentKind,
      text: input.text,
      entities: input.entities ?? null,
      payload: input.payload ?? null,
      telegramPayload: input.composedInTelegram?.payload ?? null,
      operatorTelegramChatId: input.composedInTelegram?.chatId ?? null,
      operatorTelegramMessageId: input.composedInTelegram?.messageId ?? null,
      telegramChatId: client.chatId,
      deliveryStatus: 'queued',
      deliveryDueAt: now,
    })
    .returning({ id: messages.id });
  if (!message) throw new Error('message insert returned no row');
  await recordAudit(tx, actor, {
    action: 'message.sent',
    targetType: 'client',
    targetId: clientId,
    details: {
      messageId: message.id,
      length: input.text?.length ?? 0,
      ...(input.composedInTelegram ? { via: 'telegram' } : {}),
      ...input.auditDetails,
    },
  });
  await notifyDesk(tx, {
    type: 'message.created',
    clientId,
    messageId: message.id,
    departmentId: client.departmentId,
    operatorId: answered.operatorId,
  });
  return { messageId: message.id, chatId: client.chatId, clientId };
}
