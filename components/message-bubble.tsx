import type { MessageDto } from '@/lib/messages/list-messages';
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
  if (message.contentKind === 'text') return '';
  return `[${message.contentKind.replace('_', ' ')}]`;
}

export function MessageBubble({ message }: { message: MessageDto }) {
  const outbound = message.direction === 'outbound';
  const author = outbound
    ? (message.operatorName ?? (message.senderKind === 'bot' ? 'Bot' : 'System'))
    : 'Client';
  return (
    <div
      className={`chat ${outbound ? 'chat-end' : 'chat-start'}`}
      data-testid="message"
      data-direction={message.direction}
    >
      <div className="chat-header text-xs opacity-70">
        {author}
        <span className="ml-2">
          <LocalTime iso={message.createdAt} />
        </span>
        {message.editedAt && <span className="ml-1 italic">edited</span>}
      </div>
      <div className={`chat-bubble whitespace-pre-wrap break-words ${outbound ? 'chat-bubble-primary' : ''}`}>
        {message.contentKind !== 'text' && message.text && (
          <span className="badge badge-sm mr-2">{message.contentKind.replace('_', ' ')}</span>
        )}
        {describe(message)}
      </div>
      {outbound && message.deliveryStatus && (
        <div className="chat-footer mt-1 flex items-center gap-2 text-xs">
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
        </div>
      )}
    </div>
  );
}
