import type { Tx } from '@/db/client';
import { attachments } from '@/db/schema';
import type { OperatorActor } from '@/lib/auth/actor';
import { DOWNLOAD_LIMIT_BYTES } from '@/lib/telegram/download-file';
import type { ParsedContent } from '@/lib/telegram/parse-content';
import type { TelegramMessage } from '@/lib/telegram/update-schema';
import { queueOperatorReply, type QueuedReply } from './queue-operator-reply';

/**
 * Stores a reply an operator wrote in their own Telegram chat with the bot (answering a
 * notification about `clientId`) as that operator's outbound message, `queued`: its text and
 * entities, its files (fetched into our storage afterwards, for the dashboard: their ids are
 * returned) and the operator's message itself, which deliverMessage relays with copyMessage
 * and edits of which are relayed too. Same permission, claim, transition and audit as a
 * dashboard reply (queueOperatorReply). Runs in the webhook's transaction.
 */
export async function sendComposedReply(
  tx: Tx,
  actor: OperatorActor,
  clientId: string,
  message: TelegramMessage,
  content: ParsedContent,
): Promise<QueuedReply> {
  const queued = await queueOperatorReply(tx, actor, {
    clientId,
    contentKind: content.kind,
    text: content.text,
    entities: content.entities,
    payload: content.payload,
    composedInTelegram: {
      chatId: message.chat.id,
      messageId: message.message_id,
      payload: message,
    },
  });
  if (content.attachments.length === 0) return queued;
  // A `pending` file is recorded in the outbox by the database: the worker downloads it.
  await tx.insert(attachments).values(
    content.attachments.map((item, position) => {
      const large = item.sizeBytes !== null && item.sizeBytes > DOWNLOAD_LIMIT_BYTES;
      return {
        ...item,
        messageId: queued.messageId,
        position,
        // The id Telegram gives the client's copy is recorded when it is delivered.
        telegramMessageId: null,
        status: large ? ('too_large' as const) : ('pending' as const),
        error: large ? "Larger than Telegram's 20 MB bot download limit: kept in Telegram only." : null,
      };
    }),
  );
  return queued;
}
