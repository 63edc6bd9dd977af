import { eq } from 'drizzle-orm';
import type { DbOrTx } from '@/db/client';
import { messages, type Message } from '@/db/schema';
import type { Actor } from '@/lib/auth/actor';
import { canViewClient, requireStaff } from '@/lib/auth/permissions';
import { getClientOrThrow, type ClientDto } from '@/lib/clients/get-client-or-throw';
import { AppError } from '@/lib/errors';
import { TelegramApiError, TelegramNotConfiguredError } from '@/lib/telegram/bot-api';

/** Telegram lets a bot edit or delete its messages for 48 hours; we keep the same window. */
export const CHANGE_WINDOW_MS = 48 * 60 * 60 * 1000;

const PAST = { edit: 'edited', delete: 'deleted' } as const;

type MessageRef = Pick<Message, 'direction' | 'senderKind' | 'operatorId'>;

/**
 * Who may edit or delete an operator's sent message: its author; admins any operator's
 * message; supervisors those in their departments' chats. Bot and system messages: nobody.
 */
export function canChangeOperatorMessage(
  actor: Actor,
  message: MessageRef,
  client: { departmentId: string | null; assignedOperatorId: string | null },
): boolean {
  if (message.direction !== 'outbound' || message.senderKind !== 'operator' || !message.operatorId)
    return false;
  if (actor.kind !== 'operator' && actor.kind !== 'api_token') return false;
  if (!canViewClient(actor, client)) return false;
  if (actor.role === 'admin') return true;
  if (actor.role === 'supervisor') {
    return client.departmentId !== null && actor.departmentIds.includes(client.departmentId);
  }
  return actor.kind === 'operator' && message.operatorId === actor.operatorId;
}

/** Still inside Telegram's edit/delete window. */
export function isWithinChangeWindow(deliveredAt: Date | null, now = new Date()): boolean {
  return deliveredAt !== null && now.getTime() - deliveredAt.getTime() <= CHANGE_WINDOW_MS;
}

/**
 * Loads a message for an edit or a delete and checks everything but the change itself:
 * `not_found` for messages the actor cannot see, `forbidden` for other people's messages,
 * `conflict` when it was not delivered, is deleted or is older than 48 hours.
 */
export async function getChangeableMessageOrThrow({
  db,
  actor,
  messageId,
  verb,
  now = new Date(),
}: {
  db: DbOrTx;
  actor: Actor;
  messageId: string;
  verb: 'edit' | 'delete';
  now?: Date;
}): Promise<{ message: Message; client: ClientDto }> {
  requireStaff(actor);
  const [message] = await db.select().from(messages).where(eq(messages.id, messageId));
  if (!message) throw new AppError('not_found', 'Message not found.');
  const client = await getClientOrThrow({ db, actor, clientId: message.clientId });
  if (!canChangeOperatorMessage(actor, message, client)) {
    throw new AppError('forbidden', `You can only ${verb} operator messages you sent.`);
  }
  if (message.deletedAt) throw new AppError('conflict', 'This message has already been deleted.');
  if (message.deliveryStatus !== 'sent' || !message.telegramMessageId) {
    throw new AppError('conflict', `Only a message delivered to Telegram can be ${PAST[verb]}.`);
  }
  if (!isWithinChangeWindow(message.deliveredAt, now)) {
    throw new AppError(
      'conflict',
      `Telegram only allows bots to ${verb} messages within 48 hours of sending them; this one is older.`,
    );
  }
  return { message, client };
}

/**
 * A failed Telegram call as an AppError carrying Telegram's own description: `rate_limited` (with
 * Telegram's `retry_after` as `details.retryAfterSec`), `unavailable` (unreachable, 5xx, no bot
 * token) or `conflict` (refused). Anything else is returned as it is.
 */
export function telegramErrorToAppError(error: unknown, what: string): unknown {
  if (error instanceof TelegramNotConfiguredError) return new AppError('unavailable', error.message);
  if (!(error instanceof TelegramApiError)) return error;
  if (error.isRateLimit) {
    // Telegram's own wait, so the API's 429 says it in Retry-After (lib/api/operation.ts).
    const retryAfterSec = error.retryAfterSec ?? 1;
    return new AppError(
      'rate_limited',
      `Telegram is rate limiting the bot; try again in ${retryAfterSec} s. (${error.message})`,
      { retryAfterSec },
    );
  }
  if (error.isTransient) return new AppError('unavailable', `Telegram is unreachable: ${error.message}`);
  return new AppError('conflict', `Telegram refused to ${what}: ${error.message}`);
}
