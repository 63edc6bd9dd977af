import { useTranslations } from 'next-intl';
import type { ForwardOrigin } from '@/lib/telegram/forward-origin';
import type { ReplyPreviewDto } from '@/lib/messages/message-dto';
import { safeDisplayText, visibleName } from '@/lib/text/visible-text';

const ORIGIN_KINDS: ForwardOrigin['type'][] = ['user', 'hidden_user', 'chat', 'channel'];

function isOrigin(value: unknown): value is ForwardOrigin {
  if (!value || typeof value !== 'object') return false;
  const o = value as Record<string, unknown>;
  return (
    typeof o.type === 'string' && (ORIGIN_KINDS as string[]).includes(o.type) && typeof o.name === 'string'
  );
}

/**
 * "Forwarded from …" above a forwarded message, so nobody reads it as the client's own words;
 * a channel post links to it when the channel is public.
 */
export function ForwardedFrom({ origin }: { origin: unknown }) {
  const t = useTranslations('chat.message');
  if (!isOrigin(origin)) return null;
  const name = visibleName(origin.name) ?? (origin.username ? `@${origin.username}` : t('someone'));
  const link =
    origin.type === 'channel' && origin.username && origin.messageId
      ? `https://t.me/${origin.username}/${origin.messageId}`
      : null;
  return (
    <div className="mb-1 text-xs italic opacity-80" data-testid="forwarded-from">
      {t('forwardedFrom')}{' '}
      {link ? (
        <a href={link} className="link" target="_blank" rel="noreferrer noopener">
          <bdi>{name}</bdi>
        </a>
      ) : (
        <bdi className="font-medium">{name}</bdi>
      )}
      {t(`origin.${origin.type}`)}
      {origin.authorSignature ? (
        <>
          {' '}
          · <bdi>{visibleName(origin.authorSignature)}</bdi>
        </>
      ) : null}
    </div>
  );
}

/** The message a reply answers, quoted above it (and the quoted part, when the client chose one). */
export function ReplyQuote({ replyTo, quote }: { replyTo: ReplyPreviewDto | null; quote: unknown }) {
  const t = useTranslations('chat.message');
  const quoted = typeof quote === 'string' ? quote : null;
  if (!replyTo && !quoted) return null;
  const who = replyTo
    ? replyTo.direction === 'inbound'
      ? t('client')
      : replyTo.direction === 'internal'
        ? t('note')
        : replyTo.senderKind === 'bot'
          ? t('bot')
          : t('operator')
    : t('quote');
  const item = replyTo?.item ? t('albumItem', { number: replyTo.item.number, of: replyTo.item.of }) : null;
  const text = quoted ?? replyTo?.text ?? item ?? (replyTo ? `[${t(`kind.${replyTo.contentKind}`)}]` : '');
  return (
    <a
      href={replyTo ? `#message-${replyTo.id}` : undefined}
      className="mb-1 block border-l-2 border-current pl-2 text-xs opacity-80"
      data-testid="reply-quote"
    >
      <span className="font-medium">
        {who}
        {item && text !== item ? ` · ${item}` : ''}
      </span>
      <span className="line-clamp-2" dir="auto">
        {safeDisplayText(text).text}
      </span>
    </a>
  );
}
