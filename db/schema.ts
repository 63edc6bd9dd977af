import { relations, sql, type SQL, type SQLWrapper } from 'drizzle-orm';
import {
  bigint,
  bigserial,
  boolean,
  date,
  index,
  integer,
  jsonb,
  pgEnum,
  pgTable,
  primaryKey,
  real,
  smallint,
  text,
  timestamp,
  uniqueIndex,
  uuid,
} from 'drizzle-orm/pg-core';
import { CLIENT_STATUS_VALUES } from './client-statuses';

// ---------------------------------------------------------------------------------------------
// Enums
// ---------------------------------------------------------------------------------------------

export const operatorRole = pgEnum('operator_role', ['admin', 'supervisor', 'operator']);
export const operatorStatus = pgEnum('operator_status', ['online', 'away', 'offline']);
export const clientStatus = pgEnum('client_status', CLIENT_STATUS_VALUES);
export const conversationStatus = pgEnum('conversation_status', ['open', 'resolved']);
/**
 * inbound: from the client · outbound: from the desk to the client · internal: a note the desk
 * wrote for itself, never sent to Telegram (migration 0011 added it; a migration applied in the
 * same run as 0011 must not use the value: Postgres allows a new enum value only after commit).
 */
export const messageDirection = pgEnum('message_direction', ['inbound', 'outbound', 'internal']);
export const senderKind = pgEnum('sender_kind', ['client', 'operator', 'bot', 'system']);
export const contentKind = pgEnum('content_kind', [
  'text',
  'photo',
  'document',
  'voice',
  'audio',
  'video',
  'video_note',
  'sticker',
  'animation',
  'location',
  'venue',
  'contact',
  'poll',
  'album',
  'unsupported',
]);
/**
 * Outbound delivery: queued → sending → sent | failed | unknown. `unknown`: the send reached
 * Telegram but no answer came back (timeout, connection lost, the desk stopped mid-send), so it
 * may or may not have arrived; Telegram has no idempotency key, so it is never resent by itself.
 */
export const deliveryStatus = pgEnum('delivery_status', ['queued', 'sending', 'sent', 'failed', 'unknown']);
/**
 * Why an outbound message was not (or may not have been) delivered, as a code the dashboard
 * translates (messages/*.json `deliveryFailure`); lib/messages/delivery-failure.ts says what
 * each means and what goes with it in `delivery_error`.
 */
export const deliveryErrorCode = pgEnum('delivery_error_code', [
  'client_missing',
  'client_blocked',
  'bot_not_configured',
  'file_not_stored',
  'file_missing',
  'storage_unavailable',
  'rate_limited',
  'telegram_unreachable',
  'telegram_refused',
  'outcome_unknown',
  'stopped_mid_send',
  'gave_up',
]);
export const attachmentStatus = pgEnum('attachment_status', ['pending', 'stored', 'too_large', 'failed']);
export const actorType = pgEnum('actor_type', ['operator', 'system', 'telegram', 'api_token']);
/** How a background job run was started: its schedule, a person ("run now"), or `npm run job`. */
export const jobTrigger = pgEnum('job_trigger', ['schedule', 'manual', 'cli']);
/** running → succeeded | failed. A run whose process died stays `running` until found abandoned. */
/** What an outbox row asks for (lib/outbox/run-outbox-item.ts runs each kind). */
export const outboxKind = pgEnum('outbox_kind', [
  'send_message',
  'download_attachment',
  'notify_operator',
  'bot_call',
  'drain_queue',
  'relay_edit',
]);
export const jobRunStatus = pgEnum('job_run_status', ['running', 'succeeded', 'failed']);
export const telegramUpdateStatus = pgEnum('telegram_update_status', ['processed', 'ignored', 'failed']);
export const authTokenKind = pgEnum('auth_token_kind', ['operator_invite', 'login_link']);

const createdAt = () => timestamp('created_at', { withTimezone: true }).notNull().defaultNow();
const updatedAt = () => timestamp('updated_at', { withTimezone: true }).notNull().defaultNow();

/** Working hours per weekday (0 = Sunday) in the department's IANA time zone; null = always open. */
export type WorkingHours = {
  timeZone: string;
  days: { day: number; from: string; to: string }[];
};

/** Localised bot texts keyed by language code, with `default` as the fallback. */
export type LocalisedTexts = Record<string, string>;

// ---------------------------------------------------------------------------------------------
// Tables
// ---------------------------------------------------------------------------------------------

export const departments = pgTable(
  'departments',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    name: text('name').notNull(),
    description: text('description'),
    isDefault: boolean('is_default').notNull().default(false),
    isActive: boolean('is_active').notNull().default(true),
    sortOrder: integer('sort_order').notNull().default(0),
    /** Capacity given to operators who join this department without one of their own. */
    defaultCapacity: integer('default_capacity').notNull().default(10),
    /** Seconds an assigned operator has to answer before the client moves on. */
    responseTimeLimitSec: integer('response_time_limit_sec').notNull().default(300),
    workingHours: jsonb('working_hours').$type<WorkingHours>(),
    /**
     * Minutes without dashboard or Telegram activity after which an online operator of this
     * department becomes away (sync-operator-status); null: never. An operator of several
     * departments follows the most lenient one.
     */
    awayAfterMinutes: integer('away_after_minutes').default(15),
    /** Minutes without activity after which an online or away operator becomes offline; null: never. */
    offlineAfterMinutes: integer('offline_after_minutes').default(60),
    /** Sent when the client is queued because nobody is online. */
    autoReplyQueued: jsonb('auto_reply_queued').$type<LocalisedTexts>(),
    /** Sent outside working hours. */
    autoReplyOffHours: jsonb('auto_reply_off_hours').$type<LocalisedTexts>(),
    greeting: jsonb('greeting').$type<LocalisedTexts>(),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    uniqueIndex('departments_name_key').on(sql`lower(${t.name})`),
    // At most one default department.
    uniqueIndex('departments_default_key')
      .on(t.isDefault)
      .where(sql`${t.isDefault}`),
  ],
);

export const operators = pgTable(
  'operators',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    email: text('email').notNull(),
    name: text('name').notNull(),
    passwordHash: text('password_hash'),
    role: operatorRole('role').notNull().default('operator'),
    status: operatorStatus('status').notNull().default('offline'),
    capacity: integer('capacity').notNull().default(10),
    /**
     * Clients assigned to this operator in an active status (new, in progress, waiting): the load
     * automatic assignment balances. Kept by triggers on `clients` (migration 0003), so every
     * path that assigns, resolves, blocks or deletes a client keeps it exact; never set it here.
     */
    activeClients: integer('active_clients').notNull().default(0),
    isActive: boolean('is_active').notNull().default(true),
    /**
     * Signed into every session token at sign-in and compared on each request: a token carrying
     * an older number is refused. A trigger (migration 0005) raises it whenever `role`,
     * `is_active` or `password_hash` changes, on every path; sign-out raises it explicitly.
     */
    sessionVersion: integer('session_version').notNull().default(1),
    lastSeenAt: timestamp('last_seen_at', { withTimezone: true }),
    lastAssignedAt: timestamp('last_assigned_at', { withTimezone: true }),
    statusChangedAt: timestamp('status_changed_at', { withTimezone: true }),
    /**
     * The status was set by sync-operator-status (idle), not by the operator: their next activity
     * brings them back online. Any status change by a person clears it.
     */
    statusAuto: boolean('status_auto').notNull().default(false),
    telegramUserId: bigint('telegram_user_id', { mode: 'number' }),
    telegramLinkedAt: timestamp('telegram_linked_at', { withTimezone: true }),
    /** The dashboard's language for this operator (`en`, `ru`); null: from the browser. */
    locale: text('locale'),
    /** IANA time zone the dashboard shows times in; null: the browser's. */
    timeZone: text('time_zone'),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    uniqueIndex('operators_email_key').on(sql`lower(${t.email})`),
    uniqueIndex('operators_telegram_user_id_key').on(t.telegramUserId),
    index('operators_status_idx').on(t.status, t.isActive),
  ],
);

export const operatorDepartments = pgTable(
  'operator_departments',
  {
    operatorId: uuid('operator_id')
      .notNull()
      .references(() => operators.id, { onDelete: 'cascade' }),
    departmentId: uuid('department_id')
      .notNull()
      .references(() => departments.id, { onDelete: 'cascade' }),
    createdAt: createdAt(),
  },
  (t) => [
    primaryKey({ columns: [t.operatorId, t.departmentId] }),
    index('operator_departments_department_idx').on(t.departmentId, t.operatorId),
  ],
);

export const telegramUsers = pgTable(
  'telegram_users',
  {
    /** Telegram's user id: the stable identity; names and usernames change. */
    id: bigint('id', { mode: 'number' }).primaryKey(),
    isBot: boolean('is_bot').notNull().default(false),
    firstName: text('first_name').notNull(),
    lastName: text('last_name'),
    username: text('username'),
    languageCode: text('language_code'),
    isPremium: boolean('is_premium').notNull().default(false),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    index('telegram_users_username_idx').on(sql`lower(${t.username})`),
    // The clients list's search by @username (substring): see clients_display_name_trgm_idx.
    index('telegram_users_username_trgm_idx').using('gin', sql`lower(${t.username}) gin_trgm_ops`),
  ],
);

export const clients = pgTable(
  'clients',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    telegramUserId: bigint('telegram_user_id', { mode: 'number' })
      .notNull()
      .references(() => telegramUsers.id),
    /** Private chat id (equals the user id for private chats, kept separately for clarity). */
    chatId: bigint('chat_id', { mode: 'number' }).notNull(),
    displayName: text('display_name').notNull(),
    status: clientStatus('status').notNull().default('new'),
    departmentId: uuid('department_id').references(() => departments.id, { onDelete: 'set null' }),
    assignedOperatorId: uuid('assigned_operator_id').references(() => operators.id, { onDelete: 'set null' }),
    assignedAt: timestamp('assigned_at', { withTimezone: true }),
    /** When the client entered the department queue (null when assigned or resolved). */
    queuedAt: timestamp('queued_at', { withTimezone: true }),
    currentConversationId: uuid('current_conversation_id'),
    language: text('language'),
    /** Deep-link payload of /start, e.g. an ad campaign. */
    source: text('source'),
    notes: text('notes'),
    lastMessageAt: timestamp('last_message_at', { withTimezone: true }),
    lastInboundAt: timestamp('last_inbound_at', { withTimezone: true }),
    unreadCount: integer('unread_count').notNull().default(0),
    /**
     * When the assigned operator must have answered by: set when a client awaiting an answer
     * (new, waiting) gets an operator or starts awaiting one, to now + the department's
     * response-time limit; cleared when answered, unassigned or closed. Kept by a trigger
     * (migration 0014) on every path; the reassign-by-load job passes overdue clients on.
     */
    answerDueAt: timestamp('answer_due_at', { withTimezone: true }),
    blockedAt: timestamp('blocked_at', { withTimezone: true }),
    /** The status to restore when a client who blocked the bot unblocks it. */
    statusBeforeBlock: clientStatus('status_before_block'),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    uniqueIndex('clients_telegram_user_id_key').on(t.telegramUserId),
    // Operator's own list and load counting.
    index('clients_assigned_operator_idx').on(t.assignedOperatorId, t.status, t.lastMessageAt),
    // Department lists and the kanban. The lists' order (lib/clients/list-clients.ts: last
    // message first, clients without one last, ties by id) is these indexes' own order, so a
    // page of one status is a range of the index, not a sort of every matching client.
    index('clients_department_status_idx').on(
      t.departmentId,
      t.status,
      t.lastMessageAt.desc().nullsLast(),
      t.id.desc().nullsFirst(),
    ),
    // Global lists sorted by activity.
    index('clients_last_message_idx').on(t.lastMessageAt.desc().nullsLast(), t.id.desc().nullsFirst()),
    index('clients_status_idx').on(t.status, t.lastMessageAt.desc().nullsLast(), t.id.desc().nullsFirst()),
    // Overdue answers, found every minute by the reassign-by-load job.
    index('clients_answer_due_idx')
      .on(t.answerDueAt)
      .where(sql`${t.answerDueAt} is not null`),
    // The waiting queue, drained oldest first.
    index('clients_queue_idx')
      .on(t.departmentId, t.queuedAt)
      .where(sql`${t.assignedOperatorId} is null and ${t.queuedAt} is not null`),
    // The name search (substring, any case): trigrams (pg_trgm), which a pattern with a leading
    // wildcard can use; a btree on lower(display_name) could not.
    index('clients_display_name_trgm_idx').using('gin', sql`lower(${t.displayName}) gin_trgm_ops`),
  ],
);

/**
 * One support episode of a client: from the first message after a resolution to the next
 * resolution. Response and resolution times and ratings belong to an episode, not to the client.
 */
export const conversations = pgTable(
  'conversations',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    clientId: uuid('client_id')
      .notNull()
      .references(() => clients.id, { onDelete: 'cascade' }),
    departmentId: uuid('department_id').references(() => departments.id, { onDelete: 'set null' }),
    operatorId: uuid('operator_id').references(() => operators.id, { onDelete: 'set null' }),
    status: conversationStatus('status').notNull().default('open'),
    openedAt: timestamp('opened_at', { withTimezone: true }).notNull().defaultNow(),
    firstResponseAt: timestamp('first_response_at', { withTimezone: true }),
    resolvedAt: timestamp('resolved_at', { withTimezone: true }),
    resolvedById: uuid('resolved_by_id').references(() => operators.id, { onDelete: 'set null' }),
    rating: smallint('rating'),
    ratingComment: text('rating_comment'),
  },
  (t) => [
    index('conversations_client_idx').on(t.clientId, t.openedAt),
    index('conversations_operator_idx').on(t.operatorId, t.openedAt),
    index('conversations_opened_idx').on(t.openedAt),
    index('conversations_department_idx').on(t.departmentId, t.openedAt),
    index('conversations_resolved_idx').on(t.resolvedAt),
    // Ordering the episodes list by response and resolution time (GET /conversations): the
    // expressions exactly as lib/conversations/list-conversations.ts orders by them.
    index('conversations_first_response_time_idx').on(sql`(${t.firstResponseAt} - ${t.openedAt})`),
    index('conversations_resolution_time_idx').on(sql`(${t.resolvedAt} - ${t.openedAt})`),
    uniqueIndex('conversations_one_open_key')
      .on(t.clientId)
      .where(sql`${t.status} = 'open'`),
  ],
);

export const messages = pgTable(
  'messages',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    clientId: uuid('client_id')
      .notNull()
      .references(() => clients.id, { onDelete: 'cascade' }),
    conversationId: uuid('conversation_id').references(() => conversations.id, { onDelete: 'set null' }),
    direction: messageDirection('direction').notNull(),
    senderKind: senderKind('sender_kind').notNull(),
    operatorId: uuid('operator_id').references(() => operators.id, { onDelete: 'set null' }),
    contentKind: contentKind('content_kind').notNull().default('text'),
    text: text('text'),
    /** Telegram formatting entities (offsets in UTF-16 units), kept as Telegram sent them. */
    entities: jsonb('entities').$type<unknown[]>(),
    /** Non-text payloads (location, contact, poll, venue…), the forward origin, a bot keyboard. */
    payload: jsonb('payload').$type<Record<string, unknown>>(),
    /**
     * The Telegram Message object as received — the client's message, or for a reply an
     * operator wrote in Telegram, the operator's own message — so nothing Telegram sent is lost.
     */
    telegramPayload: jsonb('telegram_payload').$type<Record<string, unknown>>(),
    /** A reply written in the operator's Telegram chat: that message (edits of it are relayed). */
    operatorTelegramChatId: bigint('operator_telegram_chat_id', { mode: 'number' }),
    operatorTelegramMessageId: bigint('operator_telegram_message_id', { mode: 'number' }),
    telegramChatId: bigint('telegram_chat_id', { mode: 'number' }).notNull(),
    telegramMessageId: bigint('telegram_message_id', { mode: 'number' }),
    /** Extra Telegram message ids when one message had to be split into several. */
    telegramExtraMessageIds: jsonb('telegram_extra_message_ids').$type<number[]>(),
    mediaGroupId: text('media_group_id'),
    replyToMessageId: uuid('reply_to_message_id'),
    replyToTelegramMessageId: bigint('reply_to_telegram_message_id', { mode: 'number' }),
    sentAtTelegram: timestamp('sent_at_telegram', { withTimezone: true }),
    editedAt: timestamp('edited_at', { withTimezone: true }),
    deletedAt: timestamp('deleted_at', { withTimezone: true }),
    /** Outbound only: queued → sending → sent | failed. Null for inbound messages. */
    deliveryStatus: deliveryStatus('delivery_status'),
    /** Why the last delivery attempt did not succeed (set with `failed`, `unknown`, or a retry). */
    deliveryErrorCode: deliveryErrorCode('delivery_error_code'),
    /**
     * With a code: its detail, raw — Telegram's own description, the connection error, the file
     * name. Without one (rows written before codes existed): the whole reason, an English
     * sentence, shown as it is.
     */
    deliveryError: text('delivery_error'),
    deliveryAttempts: integer('delivery_attempts').notNull().default(0),
    deliveredAt: timestamp('delivered_at', { withTimezone: true }),
    /**
     * When the delivery sweep looks at the message next: for `queued`, when it is due to be
     * (re)sent — now, or after Telegram's retry_after; for `sending`, the deadline after which
     * a send that never reported back is taken for lost (the process stopped mid-send).
     */
    deliveryDueAt: timestamp('delivery_due_at', { withTimezone: true }),
    createdAt: createdAt(),
  },
  (t) => [
    // One row per Telegram message: redelivered updates cannot duplicate it.
    uniqueIndex('messages_telegram_key').on(t.telegramChatId, t.telegramMessageId),
    // A client's history, newest first, paged by (created_at, id): the id breaks ties between
    // messages stored in one transaction, and the cursor compares the pair in the index.
    index('messages_client_created_id_idx').on(t.clientId, t.createdAt, t.id),
    index('messages_conversation_idx').on(t.conversationId, t.createdAt),
    index('messages_operator_created_idx').on(t.operatorId, t.createdAt),
    // By time; the overview's "messages today" counts read direction and sender from the index
    // alone (an index-only scan instead of fetching every message of the day: bench:dashboard).
    index('messages_created_direction_idx').on(t.createdAt, t.direction, t.senderKind, t.clientId),
    index('messages_delivery_idx')
      .on(t.deliveryStatus, t.deliveryDueAt)
      .where(sql`${t.deliveryStatus} in ('queued', 'sending')`),
    uniqueIndex('messages_operator_telegram_key')
      .on(t.operatorTelegramChatId, t.operatorTelegramMessageId)
      .where(sql`${t.operatorTelegramMessageId} is not null`),
    index('messages_media_group_idx')
      .on(t.telegramChatId, t.mediaGroupId)
      .where(sql`${t.mediaGroupId} is not null`),
    // Full-text search of the text in Russian and English (lib/messages/list-messages.ts queries
    // this very expression). GIN's fast update (the default) keeps the insert on the webhook's
    // hot path cheap: new entries go to a pending list that is merged in bulk later.
    index('messages_text_search_idx').using('gin', messageTextVector(t.text)),
    // The message list's filters on kinds of message, each in created_at order: a page or a
    // capped count of a rare kind (failed deliveries, stickers, bot replies) reads only its rows.
    index('messages_sender_kind_created_idx').on(t.senderKind, t.createdAt),
    index('messages_content_kind_created_idx').on(t.contentKind, t.createdAt),
    index('messages_delivery_status_created_idx')
      .on(t.deliveryStatus, t.createdAt)
      .where(sql`${t.deliveryStatus} is not null`),
  ],
);

/**
 * The searchable form of a message's text: its Russian and its English lexemes together. The
 * index `messages_text_search_idx` is built on exactly this expression, and a query uses the
 * index only when it repeats it exactly: always build it here.
 */
export function messageTextVector(column: SQLWrapper): SQL {
  return sql`(to_tsvector('russian', coalesce(${column}, '')) || to_tsvector('english', coalesce(${column}, '')))`;
}

/** Earlier versions of an edited message. */
export const messageEdits = pgTable(
  'message_edits',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    messageId: uuid('message_id')
      .notNull()
      .references(() => messages.id, { onDelete: 'cascade' }),
    text: text('text'),
    entities: jsonb('entities').$type<unknown[]>(),
    editedAt: timestamp('edited_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index('message_edits_message_idx').on(t.messageId, t.editedAt)],
);

export const attachments = pgTable(
  'attachments',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    messageId: uuid('message_id')
      .notNull()
      .references(() => messages.id, { onDelete: 'cascade' }),
    position: integer('position').notNull().default(0),
    kind: contentKind('kind').notNull(),
    /** Album items keep their own Telegram message id (for edits and replies). */
    telegramMessageId: bigint('telegram_message_id', { mode: 'number' }),
    caption: text('caption'),
    captionEntities: jsonb('caption_entities').$type<unknown[]>(),
    telegramFileId: text('telegram_file_id'),
    telegramFileUniqueId: text('telegram_file_unique_id'),
    fileName: text('file_name'),
    mimeType: text('mime_type'),
    sizeBytes: bigint('size_bytes', { mode: 'number' }),
    width: integer('width'),
    height: integer('height'),
    durationSec: integer('duration_sec'),
    storageKey: text('storage_key'),
    status: attachmentStatus('status').notNull().default('pending'),
    error: text('error'),
    createdAt: createdAt(),
  },
  (t) => [
    index('attachments_message_idx').on(t.messageId, t.position),
    index('attachments_telegram_message_idx').on(t.telegramMessageId),
    index('attachments_pending_idx')
      .on(t.status, t.createdAt)
      .where(sql`${t.status} = 'pending'`),
  ],
);

/**
 * One file of archived messages (lib/jobs/archive-old-messages.ts): gzip-compressed JSON Lines
 * in the file storage, one line per message with its edits, attachments and the operator
 * notifications that pointed at it. The rows leave `messages` in the same transaction that
 * inserts this row, so a message is either hot or listed here, never both or neither. The
 * per-client manifest file in the storage is written from these rows.
 */
export const messageArchives = pgTable(
  'message_archives',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    clientId: uuid('client_id')
      .notNull()
      .references(() => clients.id, { onDelete: 'cascade' }),
    /** The UTC month of the messages' created_at, `YYYY-MM`. */
    month: text('month').notNull(),
    storageKey: text('storage_key').notNull(),
    messageCount: integer('message_count').notNull(),
    editCount: integer('edit_count').notNull(),
    attachmentCount: integer('attachment_count').notNull(),
    /** created_at of the file's oldest and newest message. */
    firstMessageAt: timestamp('first_message_at', { withTimezone: true }).notNull(),
    lastMessageAt: timestamp('last_message_at', { withTimezone: true }).notNull(),
    /** Size of the compressed file, bytes, and its SHA-256 (hex). */
    sizeBytes: integer('size_bytes').notNull(),
    sha256: text('sha256').notNull(),
    createdAt: createdAt(),
  },
  (t) => [
    uniqueIndex('message_archives_storage_key').on(t.storageKey),
    index('message_archives_client_idx').on(t.clientId, t.month),
  ],
);

/**
 * The attachments of archived messages, so their files (which stay in the storage) can still be
 * served to whoever may see the client: written in the archiving transaction, removed on restore.
 */
export const archivedAttachments = pgTable(
  'archived_attachments',
  {
    id: uuid('id').primaryKey(),
    clientId: uuid('client_id')
      .notNull()
      .references(() => clients.id, { onDelete: 'cascade' }),
    kind: contentKind('kind').notNull(),
    fileName: text('file_name'),
    mimeType: text('mime_type'),
    storageKey: text('storage_key').notNull(),
  },
  (t) => [index('archived_attachments_client_idx').on(t.clientId)],
);

/**
 * Messages the bot sent to an operator's own Telegram chat about a client: replying to one of
 * them answers that client.
 */
export const operatorNotifications = pgTable(
  'operator_notifications',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    operatorId: uuid('operator_id')
      .notNull()
      .references(() => operators.id, { onDelete: 'cascade' }),
    clientId: uuid('client_id')
      .notNull()
      .references(() => clients.id, { onDelete: 'cascade' }),
    messageId: uuid('message_id').references(() => messages.id, { onDelete: 'set null' }),
    telegramChatId: bigint('telegram_chat_id', { mode: 'number' }).notNull(),
    telegramMessageId: bigint('telegram_message_id', { mode: 'number' }).notNull(),
    createdAt: createdAt(),
  },
  (t) => [
    uniqueIndex('operator_notifications_telegram_key').on(t.telegramChatId, t.telegramMessageId),
    index('operator_notifications_client_idx').on(t.clientId, t.createdAt),
    // Deleting a message sets these to null (the foreign key), and archiving reads them per
    // message: without this index each is a scan of the whole table.
    index('operator_notifications_message_idx')
      .on(t.messageId)
      .where(sql`${t.messageId} is not null`),
  ],
);

/** Append-only audit trail of every mutating action by a person, a token or the system. */
export const operatorLogs = pgTable(
  'operator_logs',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    actorType: actorType('actor_type').notNull(),
    operatorId: uuid('operator_id').references(() => operators.id, { onDelete: 'set null' }),
    apiTokenId: uuid('api_token_id').references(() => apiTokens.id, { onDelete: 'set null' }),
    telegramUserId: bigint('telegram_user_id', { mode: 'number' }),
    /** Human-readable actor at the time of the action (names change, rows must not). */
    actorLabel: text('actor_label').notNull(),
    /**
     * The department the row is about when it was written: the target client's (or the target
     * message's client's) department then, or the target department. Filled by a trigger
     * (migration 0009) on every insert, whichever code writes the row; supervisors see the rows
     * of their departments through it. No foreign key: history outlives a department.
     */
    departmentId: uuid('department_id'),
    action: text('action').notNull(),
    targetType: text('target_type'),
    targetId: text('target_id'),
    details: jsonb('details').$type<Record<string, unknown>>().notNull().default({}),
    ip: text('ip'),
    userAgent: text('user_agent'),
    createdAt: createdAt(),
  },
  (t) => [
    index('operator_logs_created_idx').on(t.createdAt),
    index('operator_logs_operator_idx').on(t.operatorId, t.createdAt),
    // Target ids are uuids or numbers, unique enough without their type: one index serves the
    // target_id filter with or without target_type.
    index('operator_logs_target_id_idx').on(t.targetId, t.createdAt),
    index('operator_logs_action_idx').on(t.action, t.createdAt),
    index('operator_logs_department_idx')
      .on(t.departmentId, t.createdAt)
      .where(sql`${t.departmentId} is not null`),
    index('operator_logs_api_token_idx')
      .on(t.apiTokenId, t.createdAt)
      .where(sql`${t.apiTokenId} is not null`),
    index('operator_logs_ip_idx')
      .on(t.ip, t.createdAt)
      .where(sql`${t.ip} is not null`),
  ],
);

/** Every webhook delivery we accepted, so each update_id is processed once. */
export const telegramUpdates = pgTable(
  'telegram_updates',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    /** Null when the body could not be parsed at all. */
    updateId: bigint('update_id', { mode: 'number' }),
    kind: text('kind').notNull(),
    status: telegramUpdateStatus('status').notNull(),
    error: text('error'),
    /** Kept only for updates we could not handle, to inspect them later. */
    payload: jsonb('payload'),
    receivedAt: timestamp('received_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex('telegram_updates_update_id_key').on(t.updateId),
    index('telegram_updates_received_idx').on(t.receivedAt),
    index('telegram_updates_status_idx')
      .on(t.status, t.receivedAt)
      .where(sql`${t.status} <> 'processed'`),
  ],
);

export const apiTokens = pgTable(
  'api_tokens',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    name: text('name').notNull(),
    /** SHA-256 of the token; the token itself is shown once at creation. */
    tokenHash: text('token_hash').notNull(),
    /** First characters, to recognise a token in the list. */
    prefix: text('prefix').notNull(),
    role: operatorRole('role').notNull(),
    /** Departments a supervisor/operator token is limited to. */
    departmentIds: jsonb('department_ids').$type<string[]>().notNull().default([]),
    createdById: uuid('created_by_id').references(() => operators.id, { onDelete: 'set null' }),
    lastUsedAt: timestamp('last_used_at', { withTimezone: true }),
    /** The address the token was last used from. */
    lastUsedIp: text('last_used_ip'),
    expiresAt: timestamp('expires_at', { withTimezone: true }),
    revokedAt: timestamp('revoked_at', { withTimezone: true }),
    createdAt: createdAt(),
  },
  (t) => [uniqueIndex('api_tokens_hash_key').on(t.tokenHash)],
);

/** Single-use, expiring secrets: operator Telegram invites and one-time login links. */
export const authTokens = pgTable(
  'auth_tokens',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    kind: authTokenKind('kind').notNull(),
    tokenHash: text('token_hash').notNull(),
    operatorId: uuid('operator_id')
      .notNull()
      .references(() => operators.id, { onDelete: 'cascade' }),
    createdById: uuid('created_by_id').references(() => operators.id, { onDelete: 'set null' }),
    expiresAt: timestamp('expires_at', { withTimezone: true }).notNull(),
    usedAt: timestamp('used_at', { withTimezone: true }),
    createdAt: createdAt(),
  },
  (t) => [
    uniqueIndex('auth_tokens_hash_key').on(t.tokenHash),
    index('auth_tokens_operator_idx').on(t.operatorId, t.kind),
  ],
);

/**
 * Telegram Login Widget payloads already used to sign in, by their signature: each payload signs
 * in once. Rows older than the widget's freshness window are useless and pruned on the next use.
 */
export const loginWidgetUses = pgTable(
  'login_widget_uses',
  {
    /** The payload's `hash` field (HMAC-SHA-256, hex, lower case). */
    hash: text('hash').primaryKey(),
    telegramUserId: bigint('telegram_user_id', { mode: 'number' }).notNull(),
    authDate: timestamp('auth_date', { withTimezone: true }).notNull(),
    usedAt: timestamp('used_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index('login_widget_uses_auth_date_idx').on(t.authDate)],
);

/**
 * Counters of `rate-limiter-flexible`'s Drizzle store (sign-in throttling). The library owns the
 * rows; the column names are the ones it expects (`key`, `points`, `expire`).
 */
export const rateLimits = pgTable(
  'rate_limits',
  {
    key: text('key').primaryKey(),
    points: integer('points').notNull().default(0),
    expire: timestamp('expire', { withTimezone: true }),
  },
  (t) => [index('rate_limits_expire_idx').on(t.expire)],
);

export const settings = pgTable('settings', {
  key: text('key').primaryKey(),
  value: jsonb('value').notNull(),
  updatedAt: updatedAt(),
  updatedById: uuid('updated_by_id').references(() => operators.id, { onDelete: 'set null' }),
});

/**
 * Ready answers of a department, inserted in the chat's composer with `/` and their title
 * (lib/canned-responses). A title is unique in its department whatever its case.
 */
export const cannedResponses = pgTable(
  'canned_responses',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    departmentId: uuid('department_id')
      .notNull()
      .references(() => departments.id, { onDelete: 'cascade' }),
    title: text('title').notNull(),
    body: text('body').notNull(),
    updatedById: uuid('updated_by_id').references(() => operators.id, { onDelete: 'set null' }),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [uniqueIndex('canned_responses_department_title_key').on(t.departmentId, sql`lower(${t.title})`)],
);

/**
 * One run of a background job (lib/jobs). The table is also the jobs' lock, so it works the same
 * on PGlite and Postgres and with any number of app instances: at most one `running` row per job
 * (a partial unique index), and one run per schedule slot (`scheduled_for`, unique per job), so
 * two instances whose schedulers fire at the same minute run the job once.
 */
export const jobRuns = pgTable(
  'job_runs',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    job: text('job').notNull(),
    trigger: jobTrigger('trigger').notNull(),
    /** The schedule's tick this run is for (scheduled runs only). */
    scheduledFor: timestamp('scheduled_for', { withTimezone: true }),
    status: jobRunStatus('status').notNull().default('running'),
    /** Counted what it would do and changed nothing. */
    dryRun: boolean('dry_run').notNull().default(false),
    /** The person who started it (manual runs). */
    operatorId: uuid('operator_id').references(() => operators.id, { onDelete: 'set null' }),
    startedAt: timestamp('started_at', { withTimezone: true }).notNull().defaultNow(),
    finishedAt: timestamp('finished_at', { withTimezone: true }),
    durationMs: integer('duration_ms'),
    /** The job's own summary (counts), shown on the Jobs page. */
    result: jsonb('result').$type<Record<string, unknown>>(),
    error: text('error'),
  },
  (t) => [
    uniqueIndex('job_runs_running_key')
      .on(t.job)
      .where(sql`${t.status} = 'running'`),
    uniqueIndex('job_runs_slot_key')
      .on(t.job, t.scheduledFor)
      .where(sql`${t.scheduledFor} is not null`),
    index('job_runs_job_started_idx').on(t.job, t.startedAt),
    index('job_runs_started_idx').on(t.startedAt),
  ],
);

/**
 * Follow-up work recorded in the transaction of the change that causes it (the transactional
 * outbox): a send, a file download, an operator's Telegram notice, a bot call. A row exists
 * exactly when the work is still to be done, so a crash between commit and dispatch loses
 * nothing: lib/outbox dispatches rows after commit — to Inngest when configured, otherwise to
 * the in-process worker — and sweeps up any row left behind. Sends and downloads are recorded by
 * triggers on `messages` and `attachments` (migration 0017), so no path that queues a message or
 * stores a file can forget them; the other kinds by recordOutbox.
 */
export const outbox = pgTable(
  'outbox',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    kind: outboxKind('kind').notNull(),
    payload: jsonb('payload').$type<Record<string, unknown>>().notNull(),
    /** The Telegram chat the work writes to: the worker keeps Telegram's 1 message/s per chat. */
    chatId: bigint('chat_id', { mode: 'number' }),
    /** One row per piece of work (`send:<message id>`, `download:<attachment id>`); null: none. */
    dedupeKey: text('dedupe_key'),
    /** Not to be run before this time (a retry's back-off, Telegram's retry_after). */
    availableAt: timestamp('available_at', { withTimezone: true }).notNull().defaultNow(),
    /** A worker claimed the row until then; past it, the row is anybody's again (its worker died). */
    lockedUntil: timestamp('locked_until', { withTimezone: true }),
    attempts: integer('attempts').notNull().default(0),
    lastError: text('last_error'),
    /** Set when the work gave up after its attempts: kept for inspection, never run again. */
    failedAt: timestamp('failed_at', { withTimezone: true }),
    createdAt: createdAt(),
  },
  (t) => [
    uniqueIndex('outbox_dedupe_key').on(t.dedupeKey),
    index('outbox_due_idx')
      .on(t.availableAt)
      .where(sql`${t.failedAt} is null`),
    // "Is an earlier row of this chat still to be done?": a chat's work runs in order.
    index('outbox_chat_idx')
      .on(t.chatId, t.id)
      .where(sql`${t.failedAt} is null and ${t.chatId} is not null`),
  ],
);

/** One operator's line of a daily report (lib/reports/generate-daily-report.ts defines each figure). */
export type DailyReportOperatorLine = {
  operatorId: string;
  /** The operator's name when the report was made (names change, reports must not). */
  name: string;
  /** Outbound messages the operator wrote that day. */
  messagesSent: number;
  /** Episodes of theirs resolved that day. */
  resolved: number;
  /** Median first-response time (s) of their episodes first answered that day; null: none. */
  firstResponseMedianSec: number | null;
};

/**
 * The daily report of one department for one calendar day in the department's time zone (the
 * daily-report job, lib/jobs/daily-report.ts). One row per department-day: a re-run replaces it.
 * Times are whole seconds; medians and percentiles are null when nothing was measured.
 */
export const dailyReports = pgTable(
  'daily_reports',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    departmentId: uuid('department_id')
      .notNull()
      .references(() => departments.id, { onDelete: 'cascade' }),
    /** The local calendar day reported (yyyy-mm-dd in `timeZone`). */
    day: date('day', { mode: 'string' }).notNull(),
    /** The IANA time zone the day was taken in. */
    timeZone: text('time_zone').notNull(),
    /** The day's first instant (inclusive) and the next day's (exclusive): 23, 24 or 25 hours. */
    periodStart: timestamp('period_start', { withTimezone: true }).notNull(),
    periodEnd: timestamp('period_end', { withTimezone: true }).notNull(),
    newClients: integer('new_clients').notNull(),
    inboundMessages: integer('inbound_messages').notNull(),
    outboundMessages: integer('outbound_messages').notNull(),
    resolved: integer('resolved').notNull(),
    firstResponseMedianSec: integer('first_response_median_sec'),
    firstResponseP90Sec: integer('first_response_p90_sec'),
    resolutionMedianSec: integer('resolution_median_sec'),
    operators: jsonb('operators').$type<DailyReportOperatorLine[]>().notNull().default([]),
    generatedAt: timestamp('generated_at', { withTimezone: true }).notNull().defaultNow(),
    /** When the report went to the department's supervisors in Telegram; null: not yet. */
    sentAt: timestamp('sent_at', { withTimezone: true }),
    /** How many supervisors it was sent to. */
    recipients: integer('recipients').notNull().default(0),
  },
  (t) => [
    uniqueIndex('daily_reports_department_day_key').on(t.departmentId, t.day),
    index('daily_reports_day_idx').on(t.day),
  ],
);

/**
 * One operator's figures for one calendar day in the operator's time zone (the operator-stats
 * job, lib/jobs/operator-stats.ts). One row per operator-day: a re-run replaces it. Times in
 * whole seconds; null when nothing was measured.
 */
export const operatorDailyStats = pgTable(
  'operator_daily_stats',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    operatorId: uuid('operator_id')
      .notNull()
      .references(() => operators.id, { onDelete: 'cascade' }),
    day: date('day', { mode: 'string' }).notNull(),
    timeZone: text('time_zone').notNull(),
    /** Distinct episodes the operator wrote in or resolved that day. */
    handledConversations: integer('handled_conversations').notNull(),
    messagesSent: integer('messages_sent').notNull(),
    firstResponseMedianSec: integer('first_response_median_sec'),
    resolutionMedianSec: integer('resolution_median_sec'),
    /** Ratings of their episodes resolved that day: how many, and their mean (1–5). */
    ratingsCount: integer('ratings_count').notNull().default(0),
    ratingAverage: real('rating_average'),
    generatedAt: timestamp('generated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex('operator_daily_stats_operator_day_key').on(t.operatorId, t.day),
    index('operator_daily_stats_day_idx').on(t.day),
  ],
);

// ---------------------------------------------------------------------------------------------
// Relations
// ---------------------------------------------------------------------------------------------

export const departmentsRelations = relations(departments, ({ many }) => ({
  operators: many(operatorDepartments),
  clients: many(clients),
}));

export const operatorsRelations = relations(operators, ({ many }) => ({
  departments: many(operatorDepartments),
  clients: many(clients),
}));

export const operatorDepartmentsRelations = relations(operatorDepartments, ({ one }) => ({
  operator: one(operators, { fields: [operatorDepartments.operatorId], references: [operators.id] }),
  department: one(departments, { fields: [operatorDepartments.departmentId], references: [departments.id] }),
}));

export const clientsRelations = relations(clients, ({ one, many }) => ({
  telegramUser: one(telegramUsers, { fields: [clients.telegramUserId], references: [telegramUsers.id] }),
  department: one(departments, { fields: [clients.departmentId], references: [departments.id] }),
  assignedOperator: one(operators, { fields: [clients.assignedOperatorId], references: [operators.id] }),
  messages: many(messages),
  conversations: many(conversations),
}));

export const messagesRelations = relations(messages, ({ one, many }) => ({
  client: one(clients, { fields: [messages.clientId], references: [clients.id] }),
  operator: one(operators, { fields: [messages.operatorId], references: [operators.id] }),
  attachments: many(attachments),
}));

export const attachmentsRelations = relations(attachments, ({ one }) => ({
  message: one(messages, { fields: [attachments.messageId], references: [messages.id] }),
}));

// ---------------------------------------------------------------------------------------------
// Row types
// ---------------------------------------------------------------------------------------------

export type Department = typeof departments.$inferSelect;
export type Operator = typeof operators.$inferSelect;
export type TelegramUser = typeof telegramUsers.$inferSelect;
export type Client = typeof clients.$inferSelect;
export type Conversation = typeof conversations.$inferSelect;
export type Message = typeof messages.$inferSelect;
export type Attachment = typeof attachments.$inferSelect;
export type OperatorNotification = typeof operatorNotifications.$inferSelect;
export type MessageArchive = typeof messageArchives.$inferSelect;
export type OperatorLog = typeof operatorLogs.$inferSelect;
export type ApiToken = typeof apiTokens.$inferSelect;
export type DailyReport = typeof dailyReports.$inferSelect;
export type OperatorDailyStats = typeof operatorDailyStats.$inferSelect;
export type OperatorRole = (typeof operatorRole.enumValues)[number];
export type OperatorStatus = (typeof operatorStatus.enumValues)[number];
export type ClientStatus = (typeof clientStatus.enumValues)[number];
export type ContentKind = (typeof contentKind.enumValues)[number];
export type DeliveryStatus = (typeof deliveryStatus.enumValues)[number];
export type DeliveryErrorCode = (typeof deliveryErrorCode.enumValues)[number];
export type SenderKind = (typeof senderKind.enumValues)[number];
export type MessageDirection = (typeof messageDirection.enumValues)[number];
