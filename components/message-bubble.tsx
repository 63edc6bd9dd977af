import { useTranslations } from 'next-intl';
import { deliveryFailureParts } from '@/lib/messages/delivery-failure-text';
import type { MessageDto } from '@/lib/messages/message-dto';
import { MessageActions } from './message-actions';
import { MessageAttachments } from './message-attachments';
import { ForwardedFrom, ReplyQuote } from './message-context';
import { MessageText } from './message-text';
import { LocalTime } from './relative-time';
import { RetryButton } from './retry-button';

const deliveryBadge: Record<string, string> = {
  queued: 'badge-ghost',
  sending: 'badge-info',
  sent: 'badge-success',
  failed: 'badge-error',
  unknown: 'badge-warning',
};

/**
 * One message of the chat: the client's on the left, the desk's on the right with its delivery
 * state, an internal note across the middle in the warning colour (never sent, so no delivery).
 */
export function MessageBubble({ message }: { message: MessageDto }) {
  const t = useTranslations('chat.message');
  const outbound = message.direction === 'outbound';
  const note = message.direction === 'internal';
  const desk = message.operatorName ?? (message.senderKind === 'bot' ? t('bot') : t('system'));
  const author = note ? t('noteBy', { name: desk }) : outbound ? desk : t('client');
  const deleted = message.deletedAt !== null;
  const payload = message.payload ?? {};
  const sticker =
    message.contentKind === 'sticker' && typeof payload.emoji === 'string' ? payload.emoji : null;
  const showText = message.text !== null && message.text !== '';
  return (
    <div
      id={`message-${message.id}`}
      className={`chat ${outbound || note ? 'chat-end' : 'chat-start'}`}
      data-testid="message"
      data-direction={message.direction}
      data-deleted={deleted ? 'true' : undefined}
    >
      <div className="chat-header text-xs opacity-70">
        <bdi>{author}</bdi>
        <span className="ml-2">
          <LocalTime iso={message.createdAt} />
        </span>
        {message.editedAt && !deleted && <span className="ml-1 italic">{t('edited')}</span>}
      </div>
      {deleted ? (
        <div className="chat-bubble italic opacity-60" data-testid="message-deleted">
          {t('deleted')}
        </div>
      ) : (
        <div
          className={`chat-bubble whitespace-pre-wrap break-words ${
            note
              ? 'chat-bubble-warning border-2 border-dashed border-warning-content/40'
              : outbound
                ? 'chat-bubble-primary'
                : ''
          }`}
          data-testid={note ? 'internal-note' : undefined}
        >
          {note && (
            <span className="mb-1 block text-xs font-semibold uppercase tracking-wide">{t('note')}</span>
          )}
          <ForwardedFrom origin={payload.forwardOrigin} />
          <ReplyQuote replyTo={message.replyTo} quote={payload.replyQuote} />
          <MessageAttachments files={message.attachments} text={message.text} sticker={sticker} />
          {message.contentKind !== 'text' && message.attachments.length === 0 && (
            <span className="badge badge-sm mr-2">{t(`kind.${message.contentKind}`)}</span>
          )}
          {showText ? (
            <MessageText text={message.text ?? ''} entities={message.entities} />
          ) : message.contentKind === 'text' ? (
            <span className="italic opacity-70">{t('empty')}</span>
          ) : null}
        </div>
      )}
      {outbound && message.deliveryStatus && !deleted && (
        <div className="chat-footer mt-1 flex flex-wrap items-center gap-2 text-xs">
          <span
            className={`badge badge-sm ${deliveryBadge[message.deliveryStatus] ?? ''}`}
            data-testid="delivery-status"
          >
            {t(`delivery.${message.deliveryStatus}`)}
          </span>
          {(message.deliveryStatus === 'failed' || message.deliveryStatus === 'unknown') && (
            <>
              <DeliveryError code={message.deliveryErrorCode} detail={message.deliveryError} />
              <RetryButton messageId={message.id} unknown={message.deliveryStatus === 'unknown'} />
            </>
          )}
          {(message.canEdit || message.canDelete) && (
            <MessageActions
              messageId={message.id}
              text={message.text ?? ''}
              canEdit={message.canEdit}
              canDelete={message.canDelete}
              isCaption={message.contentKind !== 'text'}
            />
          )}
        </div>
      )}
    </div>
  );
}

/**
 * Why a delivery failed, in the viewer's language: the code's sentence and the raw detail
 * (Telegram's own words) under it. A row from before codes shows its stored text as it is.
 */
function DeliveryError({ code, detail }: { code: MessageDto['deliveryErrorCode']; detail: string | null }) {
  const t = useTranslations('chat.message');
  const tf = useTranslations('deliveryFailure');
  const parts = code
    ? deliveryFailureParts(code, detail, (key, values) => tf(key as Parameters<typeof tf>[0], values))
    : { sentence: detail ?? t('notDelivered'), detail: null };
  return (
    // Body colour, not text-error: small red text on the page's background fails contrast (axe);
    // the red `failed` badge beside it carries the alarm.
    <span className="flex max-w-md flex-col" data-testid="delivery-error" data-code={code ?? undefined}>
      <span className="font-medium">{parts.sentence}</span>
      {parts.detail && <span className="break-words">{parts.detail}</span>}
    </span>
  );
}
