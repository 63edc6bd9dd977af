import { eq, sql } from 'drizzle-orm';
import type { Db, Tx } from '@/db/client';
import { rowsOf } from '@/db/rows';
import {
  clients,
  conversations,
  departments,
  messages,
  telegramUpdates,
  telegramUsers,
  type ContentKind,
} from '@/db/schema';
import { assignClient } from '@/lib/assignment/assign-client';
import type { TelegramActor } from '@/lib/auth/actor';
import { notifyDesk } from '@/lib/events/notify-desk';
import type { QueuedMessage } from '@/lib/jobs/dispatch-outbound';
import { queueBotMessage } from '@/lib/messages/queue-bot-message';
import { pickText } from './texts';
import {
  messageSchema,
  updateEnvelopeSchema,
  updateKind,
  type TelegramMessage,
  type TelegramUserPayload,
} from './update-schema';

export type IngestResult =
  | {
      status: 'stored';
      updateId: number;
      clientId: string;
      messageId: string | null;
      operatorId: string | null;
      outbound: QueuedMessage[];
    }
  | { status: 'duplicate'; updateId: number }
  | { status: 'ignored'; updateId: number | null; kind: string; reason: string };

const MEDIA_KINDS: ContentKind[] = [
  'photo',
  'document',
  'voice',
  'audio',
  'video',
  'video_note',
  'sticker',
  'animation',
  'venue', // before location: a venue message carries a location too
  'location',
  'contact',
  'poll',
];

export function contentKindOf(message: TelegramMessage): ContentKind {
  if (typeof message.text === 'string') return 'text';
  for (const kind of MEDIA_KINDS) if (kind in message) return kind;
  return 'unsupported';
}

function displayNameOf(user: TelegramUserPayload): string {
  const name = [user.first_name, user.last_name].filter(Boolean).join(' ').trim();
  return name || (user.username ? `@${user.username}` : `Telegram user ${user.id}`);
}

/**
 * Stores one webhook delivery. A known update is processed in one transaction — dedup by
 * update_id, upsert user and client, insert the message, assign — and committed before the
 * webhook answers 200. Anything we cannot handle is recorded and acknowledged, never retried.
 * Database errors propagate so the webhook answers 5xx and Telegram redelivers.
 */
export async function ingestTelegramUpdate({ db, body }: { db: Db; body: unknown }): Promise<IngestResult> {
  const envelope = updateEnvelopeSchema.safeParse(body);
  if (!envelope.success) {
    await db.insert(telegramUpdates).values({
      updateId: null,
      kind: 'malformed',
      status: 'ignored',
      error: 'Body is not a Telegram Update (no numeric update_id).',
      payload: jsonSafe(body),
    });
    return { status: 'ignored', updateId: null, kind: 'malformed', reason: 'no update_id' };
  }
  const update = envelope.data;
  const kind = updateKind(update);

  if (kind === 'message') {
    const parsed = messageSchema.safeParse(update.message);
    if (
      parsed.success &&
      parsed.data.chat.type === 'private' &&
      parsed.data.from &&
      !parsed.data.from.is_bot
    ) {
      const from = parsed.data.from;
      return db.transaction((tx) => storePrivateMessage(tx, update.update_id, parsed.data, from));
    }
    const reason = parsed.success ? 'not a private chat with a person' : 'message failed validation';
    return recordIgnored(db, update.update_id, kind, reason, update);
  }
  return recordIgnored(db, update.update_id, kind, `update type "${kind}" is not handled yet`, update);
}

async function recordIgnored(
  db: Db,
  updateId: number,
  kind: string,
  reason: string,
  payload: unknown,
): Promise<IngestResult> {
  const rows = await db
    .insert(telegramUpdates)
    .values({ updateId, kind, status: 'ignored', error: reason, payload: jsonSafe(payload) })
    .onConflictDoNothing()
    .returning({ id: telegramUpdates.id });
  if (rows.length === 0) return { status: 'duplicate', updateId };
  return { status: 'ignored', updateId, kind, reason };
}

async function storePrivateMessage(
  tx: Tx,
  updateId: number,
  message: TelegramMessage,
  from: TelegramUserPayload,
): Promise<IngestResult> {
  const claimed = await tx
    .insert(telegramUpdates)
    .values({ updateId, kind: 'message', status: 'processed' })
    .onConflictDoNothing()
    .returning({ id: telegramUpdates.id });
  if (claimed.length === 0) return { status: 'duplicate', updateId };

  const sentAt = new Date(message.date * 1000);
  const now = new Date();
  const actor: TelegramActor = { kind: 'telegram', telegramUserId: from.id, name: displayNameOf(from) };

  await tx
    .insert(telegramUsers)
    .values({
      id: from.id,
      isBot: from.is_bot,
      firstName: from.first_name,
      lastName: from.last_name ?? null,
      username: from.username ?? null,
      languageCode: from.language_code ?? null,
      isPremium: from.is_premium ?? false,
    })
    .onConflictDoUpdate({
      target: telegramUsers.id,
      set: {
        firstName: from.first_name,
        lastName: from.last_name ?? null,
        username: from.username ?? null,
        languageCode: from.language_code ?? null,
        isPremium: from.is_premium ?? false,
        updatedAt: now,
      },
    });

  // One statement upserts the client; a resolved or blocked client who writes again is reopened.
  const clientRows = rowsOf<{
    id: string;
    department_id: string | null;
    assigned_operator_id: string | null;
    current_conversation_id: string | null;
    language: string | null;
    reopened: boolean;
  }>(
    await tx.execute(sql`
      with previous as (
        select status from clients where telegram_user_id = ${from.id}
      )
      insert into clients (telegram_user_id, chat_id, display_name, language, department_id, last_message_at, last_inbound_at, unread_count)
      values (
        ${from.id}, ${message.chat.id}, ${displayNameOf(from)}, ${from.language_code ?? null},
        (select id from departments where is_default and is_active limit 1),
        ${sentAt.toISOString()}, ${sentAt.toISOString()}, 1
      )
      on conflict (telegram_user_id) do update set
        display_name = excluded.display_name,
        language = coalesce(excluded.language, clients.language),
        last_message_at = greatest(clients.last_message_at, excluded.last_message_at),
        last_inbound_at = greatest(clients.last_inbound_at, excluded.last_inbound_at),
        unread_count = clients.unread_count + 1,
        status = case when clients.status in ('resolved', 'blocked') then 'new'::client_status else clients.status end,
        blocked_at = null,
        -- A resolved client starts a new episode and is assigned afresh.
        current_conversation_id = case when clients.status = 'resolved' then null else clients.current_conversation_id end,
        assigned_operator_id = case when clients.status = 'resolved' then null else clients.assigned_operator_id end,
        assigned_at = case when clients.status = 'resolved' then null else clients.assigned_at end,
        updated_at = now()
      returning id, department_id, assigned_operator_id, current_conversation_id, language,
        coalesce((select status from previous) in ('resolved', 'blocked'), false) as reopened
    `),
  );
  const client = clientRows[0];
  if (!client) throw new Error('client upsert returned no row');

  let conversationId = client.current_conversation_id;
  if (!conversationId) {
    const [conversation] = await tx
      .insert(conversations)
      .values({
        clientId: client.id,
        departmentId: client.department_id,
        operatorId: client.assigned_operator_id,
      })
      .returning({ id: conversations.id });
    conversationId = conversation?.id ?? null;
    await tx.update(clients).set({ currentConversationId: conversationId }).where(eq(clients.id, client.id));
  }

  const contentKind = contentKindOf(message);
  const inserted = await tx
    .insert(messages)
    .values({
      clientId: client.id,
      conversationId,
      direction: 'inbound',
      senderKind: 'client',
      contentKind,
      text: message.text ?? message.caption ?? null,
      entities: message.entities ?? message.caption_entities ?? null,
      payload: contentKind === 'text' ? null : mediaPayload(message, contentKind),
      telegramChatId: message.chat.id,
      telegramMessageId: message.message_id,
      mediaGroupId: message.media_group_id ?? null,
      replyToTelegramMessageId: message.reply_to_message?.message_id ?? null,
      sentAtTelegram: sentAt,
    })
    .onConflictDoNothing()
    .returning({ id: messages.id });
  const messageId = inserted[0]?.id ?? null;
  if (!messageId) {
    // The same Telegram message under another update_id: undo the unread bump, store nothing.
    await tx
      .update(clients)
      .set({ unreadCount: sql`greatest(${clients.unreadCount} - 1, 0)` })
      .where(eq(clients.id, client.id));
    return { status: 'duplicate', updateId };
  }

  let operatorId = client.assigned_operator_id;
  const outbound: QueuedMessage[] = [];
  if (!operatorId) {
    const assignment = await assignClient({
      tx,
      actor,
      clientId: client.id,
      departmentId: client.department_id,
    });
    operatorId = assignment.operatorId;
    if (assignment.newlyQueued) {
      const [department] = client.department_id
        ? await tx
            .select({ autoReplyQueued: departments.autoReplyQueued })
            .from(departments)
            .where(eq(departments.id, client.department_id))
        : [];
      const text = pickText(department?.autoReplyQueued, client.language, 'queued');
      outbound.push(
        await queueBotMessage(tx, { clientId: client.id, conversationId, chatId: message.chat.id, text }),
      );
    }
  }

  await notifyDesk(tx, {
    type: 'message.created',
    clientId: client.id,
    messageId,
    departmentId: client.department_id,
    operatorId,
  });
  return { status: 'stored', updateId, clientId: client.id, messageId, operatorId, outbound };
}

function mediaPayload(message: TelegramMessage, kind: ContentKind): Record<string, unknown> | null {
  const value: unknown = (message as Record<string, unknown>)[kind];
  return value && typeof value === 'object' ? { [kind]: value } : null;
}

function jsonSafe(value: unknown): unknown {
  if (value === undefined) return null;
  try {
    return JSON.parse(JSON.stringify(value));
  } catch {
    return String(value);
  }
}
