import { and, eq, sql } from 'drizzle-orm';
import type { Tx } from '@/db/client';
import { attachments, messages } from '@/db/schema';
import type { TelegramActor } from '@/lib/auth/actor';
import { receiveClientMessage } from '@/lib/clients/receive-client-message';
import { upsertTelegramClient } from '@/lib/clients/upsert-telegram-client';
import { notifyDesk } from '@/lib/events/notify-desk';
import { queueBotMessage } from '@/lib/messages/queue-bot-message';
import { displayNameOf } from '../display-name';
import { DOWNLOAD_LIMIT_BYTES } from '../download-file';
import { emptyEffects } from '../effects';
import { parseContent, type AttachmentInput } from '../parse-content';
import { replyTargetSql } from '../reply-target';
import { formatBytes, pickText } from '../texts';
import type { TelegramMessage, TelegramUserPayload } from '../update-schema';
import type { HandlerOutcome } from './types';

// Namespace for pg_advisory_xact_lock(int, int): album items of one chat are merged one at a time.
const ALBUM_LOCK_NAMESPACE = 727_002;

/**
 * Stores a client's message with its attachments, applies the client's transition (status,
 * unread count, episode, routing — lib/clients) and returns the follow-up work: file downloads,
 * the operator's Telegram notification, a queue auto-reply. Items of a photo/video album (same
 * media_group_id) are merged into one message whose files and captions keep the order the
 * client sent them in (Telegram message ids increase in sending order), whatever order and
 * concurrency Telegram delivers them with; the album is keyed by its first item's id.
 */
export async function storeClientMessage(
  tx: Tx,
  message: TelegramMessage,
  from: TelegramUserPayload,
): Promise<HandlerOutcome> {
  const effects = emptyEffects();
  const content = parseContent(message);
  const chatId = message.chat.id;
  const sentAt = new Date(message.date * 1000);
  // The update was made storable on arrival (storable-json.ts): kept as it came.
  const raw: Record<string, unknown> = message;

  let album: { id: string } | undefined;
  if (message.media_group_id) {
    await tx.execute(
      sql`select pg_advisory_xact_lock(${ALBUM_LOCK_NAMESPACE}, hashtext(${`${chatId}:${message.media_group_id}`}))`,
    );
    [album] = await tx
      .select({ id: messages.id })
      .from(messages)
      .where(and(eq(messages.telegramChatId, chatId), eq(messages.mediaGroupId, message.media_group_id)))
      .limit(1);
  }

  const [existing] = album
    ? await tx
        .select({ id: attachments.id })
        .from(attachments)
        .where(
          and(eq(attachments.messageId, album.id), eq(attachments.telegramMessageId, message.message_id)),
        )
    : await tx
        .select({ id: messages.id })
        .from(messages)
        .where(and(eq(messages.telegramChatId, chatId), eq(messages.telegramMessageId, message.message_id)));
  if (existing) return { status: 'ignored', reason: 'message already stored', effects };

  const client = await upsertTelegramClient(tx, from, chatId, { sentAt });

  let messageId: string;
  let tooLarge: AttachmentInput[] = [];
  if (album) {
    messageId = album.id;
    const ids = await insertAttachments(tx, album.id, content.attachments);
    await reorderAlbum(tx, album.id, raw);
    tooLarge = ids.tooLarge;
  } else {
    const replyTo = message.reply_to_message?.message_id ?? null;
    const [row] = await tx
      .insert(messages)
      .values({
        clientId: client.id,
        conversationId: client.currentConversationId,
        direction: 'inbound',
        senderKind: 'client',
        contentKind: content.kind,
        text: content.text,
        entities: content.entities,
        payload: content.payload,
        telegramPayload: message.media_group_id ? { items: [raw] } : raw,
        telegramChatId: chatId,
        telegramMessageId: message.message_id,
        mediaGroupId: message.media_group_id ?? null,
        replyToMessageId: sql`${replyTargetSql(chatId, replyTo)}`,
        replyToTelegramMessageId: replyTo,
        sentAtTelegram: sentAt,
      })
      .returning({ id: messages.id });
    if (!row) throw new Error('message insert returned no row');
    messageId = row.id;
    const ids = await insertAttachments(tx, messageId, content.attachments);
    tooLarge = ids.tooLarge;
  }

  // Before the routing, so the assignment lock is held for as few statements as possible. A new
  // client's message is announced unassigned; the claim announces the operator next.
  await notifyDesk(tx, {
    type: album ? 'message.updated' : 'message.created',
    clientId: client.id,
    messageId,
    departmentId: client.departmentId,
    operatorId: client.assignedOperatorId,
  });

  const actor: TelegramActor = { kind: 'telegram', telegramUserId: from.id, name: displayNameOf(from) };
  const received = await receiveClientMessage(tx, actor, client, {
    messageId,
    unread: album ? 0 : 1,
    transition: !album,
  });
  if (tooLarge.length > 0) {
    await tellTooLarge(tx, { ...client, conversationId: received.conversationId }, tooLarge);
  }
  if (received.operatorId && received.operatorInTelegram) {
    effects.notifications.push(
      album ? { messageId, albumItemTelegramMessageId: message.message_id } : { messageId },
    );
  }
  return { status: 'stored', clientId: client.id, messageId, effects };
}

/**
 * After an item joined an album: files are numbered 0…n−1 in Telegram message id order, the
 * album takes its first item's message id and date, its text is the items' captions in that
 * order, and the item's full payload joins the album's.
 */
async function reorderAlbum(tx: Tx, albumId: string, raw: Record<string, unknown>) {
  await tx.execute(sql`
    update attachments a set position = ordered.n - 1
    from (select id, row_number() over (order by telegram_message_id, created_at) as n
          from attachments where message_id = ${albumId}) ordered
    where a.id = ordered.id and a.position is distinct from ordered.n - 1`);
  await tx.execute(sql`
    update messages m set
      content_kind = 'album',
      telegram_message_id = first.telegram_message_id,
      sent_at_telegram = least(m.sent_at_telegram, ${new Date(Number(raw.date ?? 0) * 1000).toISOString()}::timestamptz),
      text = (select nullif(string_agg(a.caption, E'\\n' order by a.position), '')
              from attachments a where a.message_id = m.id and a.caption <> ''),
      telegram_payload = jsonb_build_object('items',
        coalesce(m.telegram_payload -> 'items', '[]'::jsonb) || ${JSON.stringify([raw])}::jsonb)
    from (select min(telegram_message_id) as telegram_message_id from attachments where message_id = ${albumId}) first
    where m.id = ${albumId}`);
}

/**
 * Stores a message's files; each `pending` one is recorded in the outbox by the database (the
 * worker downloads it after commit). Returns the files too large to download.
 */
async function insertAttachments(
  tx: Tx,
  messageId: string,
  items: AttachmentInput[],
): Promise<{ tooLarge: AttachmentInput[] }> {
  if (items.length === 0) return { tooLarge: [] };
  await tx.insert(attachments).values(
    items.map((item, i) => {
      const large = item.sizeBytes !== null && item.sizeBytes > DOWNLOAD_LIMIT_BYTES;
      return {
        messageId,
        position: i,
        ...item,
        status: large ? ('too_large' as const) : ('pending' as const),
        error: large
          ? `Larger than Telegram's 20 MB bot download limit (${formatBytes(item.sizeBytes)}).`
          : null,
      };
    }),
  );
  return {
    tooLarge: items.filter((item) => item.sizeBytes !== null && item.sizeBytes > DOWNLOAD_LIMIT_BYTES),
  };
}

async function tellTooLarge(
  tx: Tx,
  client: { id: string; language: string | null; chatId: number; conversationId: string | null },
  items: AttachmentInput[],
) {
  const first = items[0];
  const text = pickText(null, client.language, 'fileTooLarge', {
    name: first?.fileName ?? 'file',
    size: formatBytes(first?.sizeBytes),
  });
  return queueBotMessage(tx, {
    clientId: client.id,
    conversationId: client.conversationId,
    chatId: client.chatId,
    text,
  });
}
