import type { AttachmentDto } from '@/lib/messages/list-messages';

/** Image types shown inline; the files route serves exactly these as `inline`. */
const THUMBNAIL_TYPES = new Set(['image/jpeg', 'image/png', 'image/webp', 'image/gif']);

export function formatBytes(bytes: number | null): string {
  if (bytes === null) return 'unknown size';
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${Math.ceil(bytes / 1024)} KB`;
  return `${(bytes / 1024 / 1024).toFixed(1)} MB`;
}

function label(file: AttachmentDto): string {
  return file.fileName ?? file.kind.replace('_', ' ');
}

function AttachmentItem({ file }: { file: AttachmentDto }) {
  const href = `/api/files/${file.id}`;
  switch (file.status) {
    case 'pending':
      return (
        <span className="flex items-center gap-2 text-sm opacity-80" data-testid="attachment-pending">
          <span className="loading loading-dots loading-xs" /> {label(file)} — downloading…
        </span>
      );
    case 'too_large':
      return (
        <span className="text-sm italic opacity-80" data-testid="attachment-too-large">
          File too large for the bot to download ({label(file)}, {formatBytes(file.sizeBytes)})
        </span>
      );
    case 'failed':
      return (
        <span className="text-sm text-error" data-testid="attachment-failed">
          {label(file)}: {file.error ?? 'the file could not be stored.'}
        </span>
      );
    case 'stored':
      if (file.mimeType && THUMBNAIL_TYPES.has(file.mimeType)) {
        return (
          <a href={href} target="_blank" rel="noreferrer" data-testid="attachment-image">
            <img
              src={href}
              alt={file.fileName ?? 'photo'}
              loading="lazy"
              className="max-h-80 max-w-80 rounded-md object-contain"
            />
          </a>
        );
      }
      return (
        <a
          href={href}
          className="link flex items-center gap-1 text-sm"
          download
          data-testid="attachment-link"
        >
          📄 {label(file)} <span className="opacity-70">({formatBytes(file.sizeBytes)})</span>
        </a>
      );
  }
}

/** The files of one message, with their caption when it differs from the message text. */
export function MessageAttachments({ files, text }: { files: AttachmentDto[]; text: string | null }) {
  if (files.length === 0) return null;
  return (
    <div className="mb-1 flex flex-col gap-2">
      {files.map((file) => (
        <div key={file.id} className="flex flex-col gap-1">
          <AttachmentItem file={file} />
          {file.caption && file.caption !== text && <span className="text-sm">{file.caption}</span>}
        </div>
      ))}
    </div>
  );
}
