import type { MessageDto } from '@/lib/messages/list-messages';
import { MessageActions } from './message-actions';
import { MessageAttachments } from './message-attachments';
import { LocalTime } from './relative-time';
import { RetryButton } from './retry-button';

const deliveryBadge: Record<string, string> = {
  queued: 'badge-ghost',
  sending: 'badge-info',
  sent: 'badge-success',
  failed: 'badge-error',
};

function describe(message: MessageDto): string {
  if (message.text) return message.text;
  if (message.contentKind === 'text' || message.attachments.length > 0) return '';
  return `[${message.contentKind.replace('_', ' ')}]`;
}

export function MessageBubble({ message }: { message: MessageDto }) {
  const outbound = message.direction === 'outbound';
  const author = outbound
    ? (message.operatorName ?? (message.senderKind === 'bot' ? 'Bot' : 'System'))
    : 'Client';
  const deleted = message.deletedAt !== null;
  const body = describe(message);
  return (
    <div
      className={`chat ${outbound ? 'chat-end' : 'chat-start'}`}
      data-testid="message"
      data-direction={message.direction}
      data-deleted={deleted ? 'true' : undefined}
    >
      <div className="chat-header text-xs opacity-70">
        {author}
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
          <MessageAttachments files={message.attachments} text={message.text} />
          {message.contentKind !== 'text' && message.attachments.length === 0 && message.text && (
            <span className="badge badge-sm mr-2">{message.contentKind.replace('_', ' ')}</span>
          )}
          {body}
        </div>
      )}
      {outbound && message.deliveryStatus && !deleted && (
        <div className="chat-footer mt-1 flex flex-wrap items-center gap-2 text-xs">
          <span
            className={`badge badge-sm ${deliveryBadge[message.deliveryStatus] ?? ''}`}
            data-testid="delivery-status"
          >
            {message.deliveryStatus}
          </span>
          {message.deliveryStatus === 'failed' && (
            <>
              <span className="text-error" data-testid="delivery-error">
                {message.deliveryError ?? 'Not delivered.'}
              </span>
              <RetryButton messageId={message.id} />
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
