import { z } from 'zod';

const idsSchema = z.looseObject({
  message_id: z.unknown().optional(),
  from: z.looseObject({ id: z.unknown() }).optional(),
  chat: z.looseObject({ id: z.unknown(), type: z.unknown().optional() }).optional(),
  message: z.looseObject({ chat: z.looseObject({ id: z.unknown() }).optional() }).optional(),
});

// Kinds whose payload is a Message: its chat, sender and number.
const MESSAGE_KINDS = new Set(['message', 'edited_message', 'business_message', 'edited_business_message']);

const isNumber = (value: unknown): value is number => typeof value === 'number';

/**
 * Why the ids of an update cannot have come from Telegram, or null when they can (or when they
 * are absent or not numbers — the handlers' own validation deals with that). Telegram's user ids
 * are positive; a chat id is never 0; in a private chat the chat id is the other person's user
 * id, so a message in it that comes from someone else is forged; message ids start at 1. (Bot
 * API, types User, Chat and Message.) Such an update is recorded as malformed, not handled: it
 * would otherwise create a client for user 0 or file one user's message under another's chat.
 */
export function impossibleIds(kind: string, value: unknown): string | null {
  const parsed = idsSchema.safeParse(value);
  if (!parsed.success) return null;
  const { from, chat, message_id: messageId, message } = parsed.data;
  if (from && isNumber(from.id) && from.id <= 0) return `from.id ${from.id} is not a user id`;
  if (chat && isNumber(chat.id) && chat.id === 0) return 'chat.id is 0';
  if (message?.chat && isNumber(message.chat.id) && message.chat.id === 0) return 'message.chat.id is 0';
  if (MESSAGE_KINDS.has(kind) && isNumber(messageId) && messageId <= 0) {
    return `message_id ${messageId} is not a message id`;
  }
  if (chat?.type === 'private' && isNumber(chat.id)) {
    if (chat.id < 0) return `private chat.id ${chat.id} is not a user id`;
    // my_chat_member and messages in a private chat come from its one person.
    if (from && isNumber(from.id) && from.id !== chat.id)
      return 'chat.id differs from from.id in a private chat';
  }
  return null;
}
