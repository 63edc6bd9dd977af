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

const deliveryLabel: Record<string, string> = { unknown: 'delivery unknown' };

export function MessageBubble({ message }: { message: MessageDto }) {
  const outbound = message.direction === 'outbound';
  const author = outbound
    ? (message.operatorName ?? (message.senderKind === 'bot' ? 'Bot' : 'System'))
    : 'Client';
  const deleted = message.deletedAt !== null;
  const payload = message.payload ?? {};
  const sticker =
    message.contentKind === 'sticker' && typeof payload.emoji === 'string' ? payload.emoji : null;
  const showText = message.text !== null && message.text !== '';
  return (
    <div
      id={`message-${message.id}`}
      className={`chat ${outbound ? 'chat-end' : 'chat-start'}`}
      data-testid="message"
      data-direction={message.direction}
      data-deleted={deleted ? 'true' : undefined}
    >
      <div className="chat-header text-xs opacity-70">
        <bdi>{author}</bdi>
        <span className="ml-2">
          <LocalTime iso={message.createdAt} />
        </span>
        {message.editedAt && !deleted && <span className="ml-1 italic">edited</span>}
      </div>
      {deleted ? (
        <div className="chat-bubble italic opacity-60" data-testid="message-deleted">
          message deleted
        </div>
      ) : (
        <div
          className={`chat-bubble whitespace-pre-wrap break-words ${outbound ? 'chat-bubble-primary' : ''}`}
        >
          <ForwardedFrom origin={payload.forwardOrigin} />
          <ReplyQuote replyTo={message.replyTo} quote={payload.replyQuote} />
          <MessageAttachments files={message.attachments} text={message.text} sticker={sticker} />
          {message.contentKind !== 'text' && message.attachments.length === 0 && (
            <span className="badge badge-sm mr-2">{message.contentKind.replace('_', ' ')}</span>
          )}
          {showText ? (
            <MessageText text={message.text ?? ''} entities={message.entities} />
          ) : message.contentKind === 'text' ? (
            <span className="italic opacity-70">(empty message)</span>
          ) : null}
        </div>
      )}
      {outbound && message.deliveryStatus && !deleted && (
        <div className="chat-footer mt-1 flex flex-wrap items-center gap-2 text-xs">
          <span
            className={`badge badge-sm ${deliveryBadge[message.deliveryStatus] ?? ''}`}
            data-testid="delivery-status"
          >
            {deliveryLabel[message.deliveryStatus] ?? message.deliveryStatus}
          </span>
          {(message.deliveryStatus === 'failed' || message.deliveryStatus === 'unknown') && (
            <>
              <span className="max-w-md text-error" data-testid="delivery-error">
                {message.deliveryError ?? 'Not delivered.'}
              </span>
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
