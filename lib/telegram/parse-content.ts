import { z } from 'zod';
import type { ContentKind } from '@/db/schema';
import { forwardOriginOf } from './forward-origin';
import type { TelegramMessage } from './update-schema';

/** What an inbound attachment row needs; the bytes are fetched later by the download job. */
export type AttachmentInput = {
  kind: ContentKind;
  telegramMessageId: number;
  telegramFileId: string;
  telegramFileUniqueId: string;
  fileName: string | null;
  mimeType: string | null;
  sizeBytes: number | null;
  width: number | null;
  height: number | null;
  durationSec: number | null;
  caption: string | null;
  captionEntities: unknown[] | null;
};

export type ParsedContent = {
  kind: ContentKind;
  /** Text, caption, or a readable rendering of a location/contact/poll. */
  text: string | null;
  entities: unknown[] | null;
  payload: Record<string, unknown> | null;
  attachments: AttachmentInput[];
};

const file = z.looseObject({
  file_id: z.string(),
  file_unique_id: z.string(),
  file_size: z.number().int().optional(),
  file_name: z.string().optional(),
  mime_type: z.string().optional(),
  width: z.number().int().optional(),
  height: z.number().int().optional(),
  duration: z.number().optional(),
  emoji: z.string().optional(),
  set_name: z.string().optional(),
  type: z.string().optional(),
  is_animated: z.boolean().optional(),
  is_video: z.boolean().optional(),
});
const photoSizes = z.array(file).min(1);
const location = z.looseObject({ latitude: z.number(), longitude: z.number() });
const venue = z.looseObject({ location, title: z.string(), address: z.string() });
const contact = z.looseObject({
  phone_number: z.string(),
  first_name: z.string(),
  last_name: z.string().optional(),
  user_id: z.number().optional(),
});
const poll = z.looseObject({
  question: z.string(),
  options: z.array(z.looseObject({ text: z.string() })),
  type: z.string().optional(),
});

// Order matters: an animation also carries `document`, a venue also carries `location`.
const FILE_KINDS = ['animation', 'video_note', 'video', 'voice', 'audio', 'sticker', 'document'] as const;

const defaultNames: Partial<Record<ContentKind, string>> = {
  photo: 'photo.jpg',
  voice: 'voice.ogg',
  video_note: 'video-note.mp4',
  video: 'video.mp4',
  animation: 'animation.mp4',
  audio: 'audio.mp3',
};

/**
 * A sticker's real file type (Bot API, Sticker): static stickers are WEBP images, animated ones
 * TGS (gzipped Lottie JSON), video ones WEBM.
 */
export function stickerFormat(f: { is_animated?: boolean; is_video?: boolean }) {
  if (f.is_video) return { format: 'video', fileName: 'sticker.webm', mimeType: 'video/webm' } as const;
  if (f.is_animated)
    return { format: 'animated', fileName: 'sticker.tgs', mimeType: 'application/x-tgsticker' } as const;
  return { format: 'static', fileName: 'sticker.webp', mimeType: 'image/webp' } as const;
}

// Fields of a Message that describe it rather than carry its content (Bot API, Message).
const ENVELOPE_KEYS = new Set([
  'message_id',
  'message_thread_id',
  'date',
  'chat',
  'from',
  'sender_chat',
  'sender_boost_count',
  'sender_business_bot',
  'business_connection_id',
  'reply_to_message',
  'external_reply',
  'quote',
  'reply_to_story',
  'via_bot',
  'edit_date',
  'has_protected_content',
  'is_from_offline',
  'is_topic_message',
  'is_automatic_forward',
  'media_group_id',
  'author_signature',
  'forward_origin',
  'forward_from',
  'forward_from_chat',
  'forward_from_message_id',
  'forward_signature',
  'forward_sender_name',
  'forward_date',
  'link_preview_options',
  'effect_id',
  'reply_markup',
  'show_caption_above_media',
  'has_media_spoiler',
  'paid_star_count',
  'entities',
  'caption_entities',
  'caption',
  'text',
]);

/** Context shown with any content: where a forward came from, the quoted part of a reply. */
function contextOf(message: TelegramMessage): Record<string, unknown> | null {
  const raw = message as Record<string, unknown>;
  // Most messages carry none of it: skip the parsing (this runs on the ingest hot path).
  if (!('forward_origin' in raw || 'forward_date' in raw || 'quote' in raw || 'external_reply' in raw))
    return null;
  const forwardOrigin = forwardOriginOf(raw);
  const quote = z.looseObject({ text: z.string() }).safeParse(raw.quote);
  const external = z.looseObject({ origin: z.unknown() }).safeParse(raw.external_reply);
  const externalOrigin = external.success ? forwardOriginOf({ forward_origin: external.data.origin }) : null;
  const context = {
    ...(forwardOrigin ? { forwardOrigin } : {}),
    ...(quote.success ? { replyQuote: quote.data.text } : {}),
    ...(externalOrigin ? { externalReplyOrigin: externalOrigin } : {}),
  };
  return Object.keys(context).length > 0 ? context : null;
}

function withContext(content: ParsedContent, message: TelegramMessage): ParsedContent {
  const context = contextOf(message);
  return context ? { ...content, payload: { ...content.payload, ...context } } : content;
}

function attachment(kind: ContentKind, message: TelegramMessage, f: z.infer<typeof file>): AttachmentInput {
  const sticker = kind === 'sticker' ? stickerFormat(f) : null;
  return {
    kind,
    telegramMessageId: message.message_id,
    telegramFileId: f.file_id,
    telegramFileUniqueId: f.file_unique_id,
    fileName: f.file_name ?? sticker?.fileName ?? defaultNames[kind] ?? null,
    mimeType: f.mime_type ?? sticker?.mimeType ?? (kind === 'photo' ? 'image/jpeg' : null),
    sizeBytes: f.file_size ?? null,
    width: f.width ?? null,
    height: f.height ?? null,
    durationSec: f.duration === undefined ? null : Math.round(f.duration),
    caption: message.caption ?? null,
    captionEntities: message.caption_entities ?? null,
  };
}

/**
 * Turns any message into stored content: its kind, text (or caption, or a readable rendering),
 * entities, files and a payload with what else matters to a reader (location, contact, poll,
 * sticker emoji and format, where a forward came from, the quoted part of a reply). Nothing a
 * client sends is dropped: the whole Message is also stored as it came (messages.telegram_payload).
 */
export function parseContent(message: TelegramMessage): ParsedContent {
  return withContext(parseBody(message), message);
}

function parseBody(message: TelegramMessage): ParsedContent {
  const raw = message as Record<string, unknown>;
  const caption = message.caption ?? null;
  const captionEntities = message.caption_entities ?? null;

  if (typeof message.text === 'string') {
    return {
      kind: 'text',
      text: message.text,
      entities: message.entities ?? null,
      payload: null,
      attachments: [],
    };
  }
  const photo = photoSizes.safeParse(raw.photo);
  if (photo.success) {
    // Telegram lists sizes smallest first; keep the largest.
    const largest = photo.data.reduce((a, b) =>
      (b.width ?? 0) * (b.height ?? 0) >= (a.width ?? 0) * (a.height ?? 0) ? b : a,
    );
    return {
      kind: 'photo',
      text: caption,
      entities: captionEntities,
      payload: null,
      attachments: [attachment('photo', message, largest)],
    };
  }
  for (const kind of FILE_KINDS) {
    const parsed = file.safeParse(raw[kind]);
    if (parsed.success) {
      const payload =
        kind === 'sticker'
          ? {
              sticker: {
                emoji: parsed.data.emoji ?? null,
                format: stickerFormat(parsed.data).format,
                setName: parsed.data.set_name ?? null,
              },
              ...(parsed.data.emoji ? { emoji: parsed.data.emoji } : {}),
            }
          : null;
      return {
        kind,
        text: caption,
        entities: captionEntities,
        payload,
        attachments: [attachment(kind, message, parsed.data)],
      };
    }
  }
  const v = venue.safeParse(raw.venue);
  if (v.success) {
    return {
      kind: 'venue',
      text: `📍 ${v.data.title}\n${v.data.address}`,
      entities: null,
      payload: { venue: v.data },
      attachments: [],
    };
  }
  const l = location.safeParse(raw.location);
  if (l.success) {
    return {
      kind: 'location',
      text: `📍 ${l.data.latitude}, ${l.data.longitude}`,
      entities: null,
      payload: { location: l.data },
      attachments: [],
    };
  }
  const c = contact.safeParse(raw.contact);
  if (c.success) {
    const name = [c.data.first_name, c.data.last_name].filter(Boolean).join(' ');
    return {
      kind: 'contact',
      text: `👤 ${name}: ${c.data.phone_number}`,
      entities: null,
      payload: { contact: c.data },
      attachments: [],
    };
  }
  const p = poll.safeParse(raw.poll);
  if (p.success) {
    const text = [`📊 ${p.data.question}`, ...p.data.options.map((o) => `• ${o.text}`)].join('\n');
    return { kind: 'poll', text, entities: null, payload: { poll: p.data }, attachments: [] };
  }
  const dice = z.looseObject({ emoji: z.string(), value: z.number().int() }).safeParse(raw.dice);
  if (dice.success) {
    return {
      kind: 'unsupported',
      text: `${dice.data.emoji} ${dice.data.value}`,
      entities: null,
      payload: { dice: dice.data },
      attachments: [],
    };
  }
  const known = Object.keys(raw).find((k) => !ENVELOPE_KEYS.has(k));
  return {
    kind: 'unsupported',
    text: caption ?? `[${known ? known.replaceAll('_', ' ') : 'unknown'} message]`,
    entities: captionEntities,
    payload: known ? { [known]: raw[known] } : null,
    attachments: [],
  };
}
