import { z } from 'zod';
import type { ContentKind } from '@/db/schema';
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
  sticker: 'sticker.webp',
  audio: 'audio.mp3',
};

function attachment(kind: ContentKind, message: TelegramMessage, f: z.infer<typeof file>): AttachmentInput {
  return {
    kind,
    telegramMessageId: message.message_id,
    telegramFileId: f.file_id,
    telegramFileUniqueId: f.file_unique_id,
    fileName: f.file_name ?? defaultNames[kind] ?? null,
    mimeType: f.mime_type ?? (kind === 'photo' ? 'image/jpeg' : null),
    sizeBytes: f.file_size ?? null,
    width: f.width ?? null,
    height: f.height ?? null,
    durationSec: f.duration === undefined ? null : Math.round(f.duration),
    caption: message.caption ?? null,
    captionEntities: message.caption_entities ?? null,
  };
}

/** Turns any inbound message into stored content; nothing a client sends is dropped. */
export function parseContent(message: TelegramMessage): ParsedContent {
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
      const payload = kind === 'sticker' && parsed.data.emoji ? { emoji: parsed.data.emoji } : null;
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
  const known = Object.keys(raw).find(
    (k) =>
      ![
        'message_id',
        'date',
        'chat',
        'from',
        'message_thread_id',
        'reply_to_message',
        'forward_origin',
        'via_bot',
      ].includes(k),
  );
  return {
    kind: 'unsupported',
    text: caption ?? `[${known ?? 'unknown'} message]`,
    entities: captionEntities,
    payload: known ? { [known]: raw[known] } : null,
    attachments: [],
  };
}
