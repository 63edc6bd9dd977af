import { z } from 'zod';

/**
 * Where a forwarded message came from, as the desk stores and shows it ("Forwarded from …").
 * Bot API 7.0 `MessageOrigin`: `user` (sender_user), `hidden_user` (sender_user_name), `chat`
 * (sender_chat, author_signature) or `channel` (chat, message_id, author_signature), each with
 * the original `date` (Unix seconds). Older updates carry forward_from / forward_sender_name /
 * forward_from_chat / forward_from_message_id / forward_signature / forward_date instead.
 */
export type ForwardOrigin = {
  type: 'user' | 'hidden_user' | 'chat' | 'channel';
  /** A person's name, a chat's or channel's title. */
  name: string;
  userId?: number;
  chatId?: number;
  username?: string;
  /** The message id in the channel (t.me/<username>/<id> links to it). */
  messageId?: number;
  authorSignature?: string;
  /** Unix seconds of the original message. */
  date: number;
};

const user = z.looseObject({
  id: z.number().int(),
  first_name: z.string().default(''),
  last_name: z.string().optional(),
  username: z.string().optional(),
});
const chat = z.looseObject({
  id: z.number().int(),
  title: z.string().optional(),
  username: z.string().optional(),
  first_name: z.string().optional(),
  last_name: z.string().optional(),
});
const origin = z.discriminatedUnion('type', [
  z.looseObject({ type: z.literal('user'), date: z.number().int(), sender_user: user }),
  z.looseObject({ type: z.literal('hidden_user'), date: z.number().int(), sender_user_name: z.string() }),
  z.looseObject({
    type: z.literal('chat'),
    date: z.number().int(),
    sender_chat: chat,
    author_signature: z.string().optional(),
  }),
  z.looseObject({
    type: z.literal('channel'),
    date: z.number().int(),
    chat,
    message_id: z.number().int(),
    author_signature: z.string().optional(),
  }),
]);
const legacy = z.looseObject({
  forward_date: z.number().int(),
  forward_from: user.optional(),
  forward_sender_name: z.string().optional(),
  forward_from_chat: chat.optional(),
  forward_from_message_id: z.number().int().optional(),
  forward_signature: z.string().optional(),
});

function personName(u: { first_name: string; last_name?: string; username?: string; id: number }): string {
  return (
    [u.first_name, u.last_name].filter(Boolean).join(' ') || (u.username ? `@${u.username}` : `user ${u.id}`)
  );
}

function chatName(c: z.infer<typeof chat>): string {
  return (
    c.title ??
    ([c.first_name, c.last_name].filter(Boolean).join(' ') ||
      (c.username ? `@${c.username}` : `chat ${c.id}`))
  );
}

/** The message's forward origin (new or legacy fields), or null when it is not a forward. */
export function forwardOriginOf(message: Record<string, unknown>): ForwardOrigin | null {
  const parsed = origin.safeParse(message.forward_origin);
  if (parsed.success) {
    const o = parsed.data;
    switch (o.type) {
      case 'user':
        return {
          type: 'user',
          name: personName(o.sender_user),
          userId: o.sender_user.id,
          ...(o.sender_user.username ? { username: o.sender_user.username } : {}),
          date: o.date,
        };
      case 'hidden_user':
        return { type: 'hidden_user', name: o.sender_user_name, date: o.date };
      case 'chat':
        return {
          type: 'chat',
          name: chatName(o.sender_chat),
          chatId: o.sender_chat.id,
          ...(o.sender_chat.username ? { username: o.sender_chat.username } : {}),
          ...(o.author_signature ? { authorSignature: o.author_signature } : {}),
          date: o.date,
        };
      case 'channel':
        return {
          type: 'channel',
          name: chatName(o.chat),
          chatId: o.chat.id,
          ...(o.chat.username ? { username: o.chat.username } : {}),
          messageId: o.message_id,
          ...(o.author_signature ? { authorSignature: o.author_signature } : {}),
          date: o.date,
        };
    }
  }
  const old = legacy.safeParse(message);
  if (!old.success) return null;
  const f = old.data;
  if (f.forward_from) {
    return {
      type: 'user',
      name: personName(f.forward_from),
      userId: f.forward_from.id,
      ...(f.forward_from.username ? { username: f.forward_from.username } : {}),
      date: f.forward_date,
    };
  }
  if (f.forward_from_chat) {
    const isChannel = f.forward_from_message_id !== undefined;
    return {
      type: isChannel ? 'channel' : 'chat',
      name: chatName(f.forward_from_chat),
      chatId: f.forward_from_chat.id,
      ...(f.forward_from_chat.username ? { username: f.forward_from_chat.username } : {}),
      ...(isChannel ? { messageId: f.forward_from_message_id } : {}),
      ...(f.forward_signature ? { authorSignature: f.forward_signature } : {}),
      date: f.forward_date,
    };
  }
  return { type: 'hidden_user', name: f.forward_sender_name ?? 'a hidden user', date: f.forward_date };
}
