import { and, count, eq, sql } from 'drizzle-orm';
import type { Tx } from '@/db/client';
import { attachments, clients, departments, messages } from '@/db/schema';
import { assignClient } from '@/lib/assignment/assign-client';
import type { TelegramActor } from '@/lib/auth/actor';
import { notifyDesk } from '@/lib/events/notify-desk';
import { queueBotMessage } from '@/lib/messages/queue-bot-message';
import { DOWNLOAD_LIMIT_BYTES } from '../download-file';
import { emptyEffects } from '../effects';
import { parseContent, type AttachmentInput } from '../parse-content';
import { formatBytes, pickText } from '../texts';
import type { TelegramMessage, TelegramUserPayload } from '../update-schema';
import type { HandlerOutcome } from './types';
import { displayNameOf, ensureConversation, upsertClient } from './upsert-client';

// Namespace for pg_advisory_xact_lock(int, int): album items of one chat are merged one at a time.
const ALBUM_LOCK_NAMESPACE = 727_002;

/**
 * Stores a client's message with its attachments, assigns the client if needed, and returns the
 * follow-up work: file downloads, the operator's Telegram notification, a queue auto-reply.
 * Items of a photo/video album (same media_group_id) are merged into one message.
 */
export async function storeClientMessage(
  tx: Tx,
  message: TelegramMessage,
  from: TelegramUserPayload,
): Promise<HandlerOutcome> {
  const effects = emptyEffects();
  const content = parseContent(message);
  const chatId = message.chat.id;

  let album: { id: string; text: string | null } | undefined;
  if (message.media_group_id) {
    await tx.execute(
      sql`select pg_advisory_xact_lock(${ALBUM_LOCK_NAMESPACE}, hashtext(${`${chatId}:${message.media_group_id}`}))`,
    );
    [album] = await tx
      .select({ id: messages.id, text: messages.text })
      .from(messages)
      .where(and(eq(messages.telegramChatId, chatId), eq(messages.mediaGroupId, message.media_group_id)))
      .limit(1);
  }

  const client = await upsertClient(tx, from, chatId, {
    sentAt: new Date(message.date * 1000),
    unread: album ? 0 : 1,
  });
  const conversationId = await ensureConversation(tx, client);

  let messageId: string;
  if (album) {
    messageId = album.id;
    const [{ n } = { n: 0 }] = await tx
      .select({ n: count() })
      .from(attachments)
      .where(eq(attachments.messageId, album.id));
    const ids = await insertAttachments(tx, album.id, content.attachments, n);
    effects.downloads.push(...ids.pending);
    const captions = [album.text, content.text].filter((t): t is string => Boolean(t));
    await tx
      .update(messages)
      .set({ contentKind: 'album', text: captions.length > 0 ? captions.join('\n') : null })
      .where(eq(messages.id, album.id));
    if (ids.tooLarge.length > 0)
      effects.outbound.push(await tellTooLarge(tx, client, conversationId, ids.tooLarge));
  } else {
    const replyTo = message.reply_to_message?.message_id ?? null;
    const [replied] = replyTo
      ? await tx
          .select({ id: messages.id })
          .from(messages)
          .where(and(eq(messages.telegramChatId, chatId), eq(messages.telegramMessageId, replyTo)))
      : [];
    const inserted = await tx
      .insert(messages)
      .values({
        clientId: client.id,
        conversationId,
        direction: 'inbound',
        senderKind: 'client',
        contentKind: content.kind,
        text: content.text,
        entities: content.entities,
        payload: content.payload,
        telegramChatId: chatId,
        telegramMessageId: message.message_id,
        mediaGroupId: message.media_group_id ?? null,
        replyToMessageId: replied?.id ?? null,
        replyToTelegramMessageId: replyTo,
        sentAtTelegram: new Date(message.date * 1000),
      })
      .onConflictDoNothing()
      .returning({ id: messages.id });
    const row = inserted[0];
    if (!row) {
      // The same Telegram message under another update_id: undo the unread bump, store nothing.
      await tx
        .update(clients)
        .set({ unreadCount: sql`greatest(${clients.unreadCount} - 1, 0)` })
        .where(eq(clients.id, client.id));
      return { status: 'ignored', reason: 'message already stored', clientId: client.id, effects };
    }
    messageId = row.id;
    const ids = await insertAttachments(tx, messageId, content.attachments, 0);
    effects.downloads.push(...ids.pending);
    if (ids.tooLarge.length > 0)
      effects.outbound.push(await tellTooLarge(tx, client, conversationId, ids.tooLarge));
  }

  // Before the assignment, so the assignment lock is held for as few statements as possible.
  // A new client's message is announced unassigned; the claim announces the operator next.
  await notifyDesk(tx, {
    type: album ? 'message.updated' : 'message.created',
    clientId: client.id,
    messageId,
    departmentId: client.departmentId,
    operatorId: client.assignedOperatorId,
  });

  let operatorId = client.assignedOperatorId;
  let notifyInTelegram = client.operatorInTelegram;
  if (!operatorId) {
    const actor: TelegramActor = { kind: 'telegram', telegramUserId: from.id, name: displayNameOf(from) };
    const assignment = await assignClient({
      tx,
      actor,
      clientId: client.id,
      departmentId: client.departmentId,
    });
    operatorId = assignment.operatorId;
    notifyInTelegram = assignment.operatorInTelegram;
    if (assignment.newlyQueued) {
      effects.outbound.push(await queueQueuedAutoReply(tx, { ...client, conversationId }));
    }
  }
  if (operatorId && notifyInTelegram) {
    effects.notifications.push(
      album ? { messageId, albumItemTelegramMessageId: message.message_id } : { messageId },
    );
  }

  return { status: 'stored', clientId: client.id, messageId, effects };
}

async function insertAttachments(
  tx: Tx,
  messageId: string,
  items: AttachmentInput[],
  startPosition: number,
): Promise<{ pending: string[]; tooLarge: AttachmentInput[] }> {
  if (items.length === 0) return { pending: [], tooLarge: [] };
  const rows = await tx
    .insert(attachments)
    .values(
      items.map((item, i) => {
        const large = item.sizeBytes !== null && item.sizeBytes > DOWNLOAD_LIMIT_BYTES;
        return {
          messageId,
          position: startPosition + i,
          ...item,
          status: large ? ('too_large' as const) : ('pending' as const),
          error: large
            ? `Larger than Telegram's 20 MB bot download limit (${formatBytes(item.sizeBytes)}).`
            : null,
        };
      }),
    )
    .returning({ id: attachments.id, status: attachments.status });
  return {
    pending: rows.filter((r) => r.status === 'pending').map((r) => r.id),
    tooLarge: items.filter((item) => item.sizeBytes !== null && item.sizeBytes > DOWNLOAD_LIMIT_BYTES),
  };
}

async function tellTooLarge(
  tx: Tx,
  client: { id: string; language: string | null; chatId: number },
  conversationId: string | null,
  items: AttachmentInput[],
) {
  const first = items[0];
  const text = pickText(null, client.language, 'fileTooLarge', {
    name: first?.fileName ?? 'file',
    size: formatBytes(first?.sizeBytes),
  });
  return queueBotMessage(tx, { clientId: client.id, conversationId, chatId: client.chatId, text });
}

/** The department's "you are in the queue" auto-reply, stored `queued` for sending after commit. */
async function queueQueuedAutoReply(
  tx: Tx,
  client: {
    id: string;
    departmentId: string | null;
    language: string | null;
    chatId: number;
    conversationId: string | null;
  },
) {
  const [department] = client.departmentId
    ? await tx
        .select({ autoReplyQueued: departments.autoReplyQueued })
        .from(departments)
        .where(eq(departments.id, client.departmentId))
    : [];
  const text = pickText(department?.autoReplyQueued, client.language, 'queued');
  return queueBotMessage(tx, {
    clientId: client.id,
    conversationId: client.conversationId,
    chatId: client.chatId,
    text,
  });
}
