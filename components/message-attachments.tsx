import { useTranslations } from 'next-intl';
import type { AttachmentDto } from '@/lib/messages/message-dto';

/** Image types shown inline; the files route serves exactly these as `inline`. */
const THUMBNAIL_TYPES = new Set(['image/jpeg', 'image/png', 'image/webp', 'image/gif']);

/** Bytes as "512 B", "12 KB", "3.4 MB"; null as `unknown`. */
export function formatBytes(bytes: number | null, unknown = 'unknown size'): string {
  if (bytes === null) return unknown;
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${Math.ceil(bytes / 1024)} KB`;
  return `${(bytes / 1024 / 1024).toFixed(1)} MB`;
}

const AUDIO_TYPES = new Set(['audio/ogg', 'audio/mpeg', 'audio/mp4']);
const VIDEO_TYPES = new Set(['video/mp4', 'video/webm']);

/**
 * A sticker as a person sees it in Telegram: a static one as its image, an animated (.tgs,
 * Lottie) one as its emoji — browsers cannot play it without a Lottie player — and a video
 * (.webm) one as a looping muted video, with its emoji until it is stored.
 */
function Sticker({ file, emoji }: { file: AttachmentDto; emoji: string | null }) {
  const t = useTranslations('chat.message');
  const href = `/api/files/${file.id}`;
  const stored = file.status === 'stored';
  if (stored && file.mimeType === 'image/webp') {
    return (
      <img
        src={href}
        alt={emoji ? `${t('sticker')} ${emoji}` : t('sticker')}
        className="h-32 w-32 object-contain"
        data-testid="sticker-image"
      />
    );
  }
  if (stored && file.mimeType === 'video/webm') {
    return (
      <video
        src={href}
        autoPlay
        loop
        muted
        playsInline
        className="h-32 w-32"
        aria-label={emoji ? `${t('sticker')} ${emoji}` : t('sticker')}
        data-testid="sticker-video"
      />
    );
  }
  const animated = file.mimeType === 'application/x-tgsticker' ? t('animatedSticker') : t('sticker');
  return (
    <span className="flex items-center gap-2" data-testid="sticker-emoji">
      <span className="text-5xl leading-none" role="img" aria-label={animated}>
        {emoji ?? '🖼️'}
      </span>
      <span className="text-xs opacity-70">{animated}</span>
    </span>
  );
}

function AttachmentItem({ file, sticker }: { file: AttachmentDto; sticker: string | null }) {
  const t = useTranslations('chat.message');
  const label = (f: AttachmentDto) => f.fileName ?? t(`kind.${f.kind}`);
  const href = `/api/files/${file.id}`;
  if (file.kind === 'sticker') {
    return <Sticker file={file} emoji={sticker} />;
  }
  switch (file.status) {
    case 'pending':
      return (
        <span className="flex items-center gap-2 text-sm opacity-80" data-testid="attachment-pending">
          <span className="loading loading-dots loading-xs" /> {label(file)} — {t('downloading')}
        </span>
      );
    case 'too_large':
      return (
        <span className="text-sm italic opacity-80" data-testid="attachment-too-large">
          {t('tooLarge', { name: label(file), size: formatBytes(file.sizeBytes, t('unknownSize')) })}
        </span>
      );
    case 'failed':
      return (
        <span className="text-sm text-error" data-testid="attachment-failed">
          {label(file)}: {file.error ?? t('fileFailed')}
        </span>
      );
    case 'stored':
      if (file.mimeType && THUMBNAIL_TYPES.has(file.mimeType)) {
        return (
          <a href={href} target="_blank" rel="noreferrer" data-testid="attachment-image">
            <img
              src={href}
              alt={file.fileName ?? t('photo')}
              loading="lazy"
              className="max-h-80 max-w-80 rounded-md object-contain"
            />
          </a>
        );
      }
      if (file.mimeType && AUDIO_TYPES.has(file.mimeType)) {
        return (
          <audio controls preload="none" src={href} className="max-w-72" data-testid="attachment-audio" />
        );
      }
      if (file.mimeType && VIDEO_TYPES.has(file.mimeType)) {
        return (
          <video
            controls
            preload="metadata"
            src={href}
            className={`max-h-80 max-w-80 rounded-md ${file.kind === 'video_note' ? 'rounded-full' : ''}`}
            data-testid="attachment-video"
          />
        );
      }
      return (
        <a
          href={href}
          className="link flex items-center gap-1 text-sm"
          download
          data-testid="attachment-link"
        >
          📄 {label(file)}{' '}
          <span className="opacity-70">({formatBytes(file.sizeBytes, t('unknownSize'))})</span>
        </a>
      );
  }
}

/** The files of one message, with their caption when it differs from the message text. */
export function MessageAttachments({
  files,
  text,
  sticker = null,
}: {
  files: AttachmentDto[];
  text: string | null;
  /** A sticker's emoji, shown for stickers a browser cannot draw. */
  sticker?: string | null;
}) {
  if (files.length === 0) return null;
  return (
    <div className="mb-1 flex flex-col gap-2">
      {files.map((file) => (
        <div key={file.id} className="flex flex-col gap-1">
          <AttachmentItem file={file} sticker={sticker} />
          {file.caption && file.caption !== text && <span className="text-sm">{file.caption}</span>}
        </div>
      ))}
    </div>
  );
}
