import { z } from 'zod';

// Only the fields we use are declared; unknown fields pass through untouched so nothing is lost.

export const telegramUserSchema = z.looseObject({
  id: z.number().int(),
  is_bot: z.boolean().default(false),
  first_name: z.string().default(''),
  last_name: z.string().optional(),
  username: z.string().optional(),
  language_code: z.string().max(35).optional(),
  is_premium: z.boolean().optional(),
});

export const chatSchema = z.looseObject({
  id: z.number().int(),
  type: z.enum(['private', 'group', 'supergroup', 'channel']),
  title: z.string().optional(),
  username: z.string().optional(),
});

export const messageEntitySchema = z.looseObject({
  type: z.string(),
  offset: z.number().int(),
  length: z.number().int(),
});

const fileSchema = z.looseObject({
  file_id: z.string(),
  file_unique_id: z.string(),
  file_size: z.number().int().optional(),
});

// Postgres text refuses NUL characters: strip them at the boundary so such a message is kept.
const cleanText = z.string().transform((t) => t.replaceAll('\u0000', ''));

export const messageSchema = z.looseObject({
  message_id: z.number().int(),
  date: z.number().int(),
  chat: chatSchema,
  from: telegramUserSchema.optional(),
  text: cleanText.optional(),
  entities: z.array(messageEntitySchema).optional(),
  caption: cleanText.optional(),
  caption_entities: z.array(messageEntitySchema).optional(),
  media_group_id: z.string().optional(),
  edit_date: z.number().int().optional(),
  reply_to_message: z.looseObject({ message_id: z.number().int() }).optional(),
  photo: z.array(fileSchema.extend({ width: z.number(), height: z.number() })).optional(),
  document: fileSchema
    .extend({ file_name: z.string().optional(), mime_type: z.string().optional() })
    .optional(),
});

export type TelegramMessage = z.infer<typeof messageSchema>;
export type TelegramUserPayload = z.infer<typeof telegramUserSchema>;

export const updateEnvelopeSchema = z.looseObject({ update_id: z.number().int().nonnegative() });

/** Update kinds Telegram can send; the first present key names the update. */
export const knownUpdateKinds = [
  'message',
  'edited_message',
  'channel_post',
  'edited_channel_post',
  'business_connection',
  'business_message',
  'edited_business_message',
  'deleted_business_messages',
  'message_reaction',
  'message_reaction_count',
  'inline_query',
  'chosen_inline_result',
  'callback_query',
  'shipping_query',
  'pre_checkout_query',
  'purchased_paid_media',
  'poll',
  'poll_answer',
  'my_chat_member',
  'chat_member',
  'chat_join_request',
  'chat_boost',
  'removed_chat_boost',
] as const;

export function updateKind(update: Record<string, unknown>): string {
  for (const key of Object.keys(update)) {
    if (key !== 'update_id') return key;
  }
  return 'empty';
}
