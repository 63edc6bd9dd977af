import { z } from 'zod';
import {
  attachmentStatus,
  contentKind,
  deliveryErrorCode,
  deliveryStatus,
  messageDirection,
  senderKind,
} from '@/db/schema';
import { contentDisposition, getAttachmentFile } from '@/lib/attachments/get-attachment-file';
import { kickOutbox } from '@/lib/outbox/outbox-worker';
import { deleteOperatorMessage } from '@/lib/messages/delete-operator-message';
import { editOperatorMessage } from '@/lib/messages/edit-operator-message';
import { getMessageOrThrow } from '@/lib/messages/get-message-or-throw';
import {
  CLIENT_MESSAGES_DEFAULT_LIMIT,
  CLIENT_MESSAGES_MAX_LIMIT,
  listClientMessages,
} from '@/lib/messages/list-client-messages';
import {
  listMessages,
  MESSAGE_COUNT_CAP,
  MESSAGE_SEARCH_CAP,
  messageList,
} from '@/lib/messages/list-messages';
import { describeDeliveryFailure } from '@/lib/messages/delivery-failure';
import type { AttachmentDto, MessageDto } from '@/lib/messages/message-dto';
import { sendOperatorMessage } from '@/lib/messages/send-operator-message';
import { apiListQuery, apiPage } from '../list-query';
import { defineOperation } from '../operation';
import { idParams, instant } from '../schemas';
import { snakeKeys } from '../snake-keys';

export const attachmentResource = z
  .object({
    id: z.uuid(),
    kind: z.enum(contentKind.enumValues),
    file_name: z.string().nullable(),
    mime_type: z.string().nullable(),
    size_bytes: z.number().int().nullable().meta({ description: 'Bytes.' }),
    status: z.enum(attachmentStatus.enumValues).meta({
      description:
        'pending: not fetched from Telegram yet · stored · too_large: over Telegram’s 20 MB download limit · failed',
    }),
    error: z.string().nullable(),
    caption: z.string().nullable().meta({ description: 'Its own caption (an album item’s).' }),
    url: z.url().nullable().meta({
      description: 'Download it here with the same credentials (GET /attachments/{id}); null until stored.',
    }),
  })
  .meta({ id: 'Attachment' });

const replyPreviewResource = z
  .object({
    id: z.uuid(),
    direction: z.enum(messageDirection.enumValues),
    sender_kind: z.enum(senderKind.enumValues),
    content_kind: z.enum(contentKind.enumValues),
    text: z
      .string()
      .nullable()
      .meta({ description: 'At most 200 characters of its text or caption (of the very album item).' }),
    item: z
      .object({ number: z.number().int().min(1), of: z.number().int().min(1) })
      .nullable()
      .meta({ description: 'Which file of an album the reply points at (1-based), if one.' }),
  })
  .meta({ id: 'ReplyPreview' });

export const messageResource = z
  .object({
    id: z.uuid(),
    client_id: z.uuid(),
    direction: z.enum(messageDirection.enumValues).meta({
      description:
        'inbound: from the client · outbound: from the desk to the client · internal: a note the desk wrote for itself, never sent to Telegram (no delivery status)',
    }),
    sender_kind: z.enum(senderKind.enumValues).meta({
      description:
        'client · operator (operator_id says who) · bot (auto-replies) · system (the desk, or an API token)',
    }),
    operator_id: z.uuid().nullable(),
    operator_name: z.string().nullable(),
    content_kind: z.enum(contentKind.enumValues),
    text: z
      .string()
      .nullable()
      .meta({ description: 'The text, or a file’s caption, or a readable rendering.' }),
    entities: z.array(z.unknown()).nullable().meta({
      description:
        'Telegram MessageEntity objects of `text` (type, offset and length in UTF-16 code units, url…), as Telegram sent them.',
    }),
    payload: z.record(z.string(), z.unknown()).nullable().meta({
      description:
        'What else the message carries, keys in snake_case: forward_origin (type, name, user_id, chat_id, username, message_id, date), reply_quote, sticker (emoji, format, set_name), location, venue, contact, poll, dice, reply_markup…',
    }),
    telegram_message_id: z.number().int().nullable(),
    reply_to: replyPreviewResource.nullable().meta({ description: 'The stored message this one answers.' }),
    delivery_status: z.enum(deliveryStatus.enumValues).nullable().meta({
      description:
        'Outbound only. queued → sending → sent | failed (nothing was delivered; it can be retried) | unknown (Telegram did not answer: it may have arrived)',
    }),
    delivery_error: z.string().nullable().meta({
      description:
        'Why the last delivery attempt did not succeed, in English: the reason and, after `Details:`, Telegram’s own description (or the connection or storage error). Messages that failed before `delivery_error_code` existed keep the text stored then.',
    }),
    delivery_error_code: z.enum(deliveryErrorCode.enumValues).nullable().meta({
      description:
        'The reason as a stable code, for programs (null when there is none, or for messages that failed before codes existed): client_missing, client_blocked, bot_not_configured, file_not_stored, file_missing, storage_unavailable, rate_limited, telegram_unreachable, telegram_refused, outcome_unknown (it may have arrived), stopped_mid_send (it may have arrived), gave_up.',
    }),
    delivered_at: instant.nullable(),
    edited_at: instant.nullable(),
    deleted_at: instant
      .nullable()
      .meta({ description: 'Deleted in Telegram by the desk; the message stays here, marked.' }),
    created_at: instant,
    attachments: z.array(attachmentResource),
    can_edit: z.boolean().meta({ description: 'Whether the caller may edit it now (PATCH).' }),
    can_delete: z.boolean().meta({ description: 'Whether the caller may delete it now (DELETE).' }),
  })
  .meta({ id: 'Message' });

type MessageResource = z.infer<typeof messageResource>;

/** The download URL of a stored file, on the API the request came to. */
function attachmentUrl(file: AttachmentDto, requestUrl: URL): string | null {
  return file.status === 'stored' ? new URL(`/api/v1/attachments/${file.id}`, requestUrl).toString() : null;
}

export function toMessageResource(m: MessageDto, requestUrl: URL): MessageResource {
  return {
    id: m.id,
    client_id: m.clientId,
    direction: m.direction,
    sender_kind: m.senderKind,
    operator_id: m.operatorId,
    operator_name: m.operatorName,
    content_kind: m.contentKind,
    text: m.text,
    entities: m.entities,
    payload: m.payload ? snakeKeys(m.payload) : null,
    telegram_message_id: m.telegramMessageId,
    reply_to: m.replyTo
      ? {
          id: m.replyTo.id,
          direction: m.replyTo.direction,
          sender_kind: m.replyTo.senderKind,
          content_kind: m.replyTo.contentKind,
          text: m.replyTo.text,
          item: m.replyTo.item,
        }
      : null,
    delivery_status: m.deliveryStatus,
    delivery_error: describeDeliveryFailure({ code: m.deliveryErrorCode, detail: m.deliveryError }),
    delivery_error_code: m.deliveryErrorCode,
    delivered_at: m.deliveredAt,
    edited_at: m.editedAt,
    deleted_at: m.deletedAt,
    created_at: m.createdAt,
    attachments: m.attachments.map((a) => ({
      id: a.id,
      kind: a.kind,
      file_name: a.fileName,
      mime_type: a.mimeType,
      size_bytes: a.sizeBytes,
      status: a.status,
      error: a.error,
      caption: a.caption,
      url: attachmentUrl(a, requestUrl),
    })),
    can_edit: m.canEdit,
    can_delete: m.canDelete,
  };
}

const clientMessageParams = z.object({
  id: z.uuid().meta({ description: 'The client’s id.' }),
  message_id: z.uuid().meta({ description: 'The message’s id.' }),
});

const messageText = z
  .object({
    text: z
      .string()
      .trim()
      .min(1)
      .max(20_000)
      .meta({ description: 'Plain text (sent as it is, not parsed as HTML or Markdown).' }),
  })
  .strict();

export const listClientMessagesOperation = defineOperation({
  operationId: 'listClientMessages',
  method: 'GET',
  path: '/clients/{id}/messages',
  tag: 'messages',
  summary: 'A client’s message history, newest first',
  description:
    'Cursor pagination: pass `next_cursor` back as `cursor` for older messages (null: there are none). Pages never shift as new messages arrive. Access follows the client.',
  params: idParams,
  query: z
    .object({
      cursor: z
        .string()
        .min(1)
        .max(200)
        .optional()
        .meta({ description: 'next_cursor of the previous page (opaque).' }),
      limit: z.coerce
        .number()
        .int()
        .min(1)
        .max(CLIENT_MESSAGES_MAX_LIMIT)
        .default(CLIENT_MESSAGES_DEFAULT_LIMIT)
        .meta({
          description: `Messages per page (default ${CLIENT_MESSAGES_DEFAULT_LIMIT}, at most ${CLIENT_MESSAGES_MAX_LIMIT}).`,
        }),
    })
    .strict(),
  response: z
    .object({
      results: z.array(messageResource),
      next_cursor: z
        .string()
        .nullable()
        .meta({ description: 'The cursor of the older messages; null at the first.' }),
    })
    .meta({ id: 'MessageHistory' }),
  errors: [404],
  handler: async ({ db, actor, params, query, url }) => {
    const page = await listClientMessages({
      db,
      actor,
      input: { clientId: params.id, cursor: query.cursor, limit: query.limit },
    });
    return {
      results: page.results.map((m) => toMessageResource(m, url)),
      next_cursor: page.nextCursor,
    };
  },
});

export const sendClientMessageOperation = defineOperation({
  operationId: 'sendClientMessage',
  method: 'POST',
  path: '/clients/{id}/messages',
  tag: 'messages',
  summary: 'Send a text message to a client',
  description:
    'Stored first, then delivered to Telegram, exactly as a reply from the dashboard (an operator answering a queued client takes it). 201 means stored: the answer shows the delivery status at that moment, and the history shows how it ends. Sent with a token, the message has sender_kind `system`.',
  params: idParams,
  body: messageText.meta({ id: 'MessageCreate' }),
  response: messageResource,
  status: 201,
  errors: [403, 404, 409],
  handler: async ({ db, actor, params, body, url }) => {
    const queued = await sendOperatorMessage({ db, actor, input: { clientId: params.id, text: body.text } });
    kickOutbox(); // stored as queued with its outbox row: the worker delivers it after we answer
    return toMessageResource(
      await getMessageOrThrow({ db, actor, input: { messageId: queued.messageId } }),
      url,
    );
  },
});

export const editClientMessageOperation = defineOperation({
  operationId: 'editClientMessage',
  method: 'PATCH',
  path: '/clients/{id}/messages/{message_id}',
  tag: 'messages',
  summary: 'Edit a sent operator message',
  description:
    'Changes the text (or a file’s caption) in Telegram, then here, keeping the previous version. Within Telegram’s 48 hours after delivery; by its author, an admin, or a supervisor of the client’s department (tokens: admin or supervisor role). 403 for another person’s message, 409 when it was not delivered, is deleted or too old.',
  params: clientMessageParams,
  body: messageText.meta({ id: 'MessageEdit' }),
  response: messageResource,
  errors: [403, 404, 409, 503],
  handler: async ({ db, actor, params, body, url }) => {
    const input = { clientId: params.id, messageId: params.message_id };
    await getMessageOrThrow({ db, actor, input });
    await editOperatorMessage({ db, actor, input: { messageId: params.message_id, text: body.text } });
    return toMessageResource(await getMessageOrThrow({ db, actor, input }), url);
  },
});

export const deleteClientMessageOperation = defineOperation({
  operationId: 'deleteClientMessage',
  method: 'DELETE',
  path: '/clients/{id}/messages/{message_id}',
  tag: 'messages',
  summary: 'Delete a sent operator message',
  description:
    'Deletes it in Telegram (every part it was sent as), then marks it deleted here: the message stays in the history with `deleted_at` (it is answered). The same window and people as editing.',
  params: clientMessageParams,
  response: messageResource,
  errors: [403, 404, 409, 503],
  handler: async ({ db, actor, params, url }) => {
    const input = { clientId: params.id, messageId: params.message_id };
    await getMessageOrThrow({ db, actor, input });
    await deleteOperatorMessage({ db, actor, input: { messageId: params.message_id } });
    return toMessageResource(await getMessageOrThrow({ db, actor, input }), url);
  },
});

const messagesQuery = apiListQuery(messageList);

export const listMessagesOperation = defineOperation({
  operationId: 'listMessages',
  method: 'GET',
  path: '/messages',
  tag: 'messages',
  summary: 'List messages across clients',
  description: `Messages of every client the caller may see now, newest first. \`search\` is a full-text search of the text in Russian and English with their stemming ("заказы" finds "заказ", "shipping" finds "shipped"), in web-search syntax ("exact phrase", or, -word); results are ordered by time, not rank. \`count\` is exact up to ${MESSAGE_COUNT_CAP.toLocaleString('en')} messages (${MESSAGE_SEARCH_CAP.toLocaleString('en')} with \`search\`) and says so past it, where pages stop too (400): narrow the query with filters or created_from / created_to.`,
  query: messagesQuery.schema,
  response: z
    .object({
      count: z
        .number()
        .int()
        .min(0)
        .max(MESSAGE_COUNT_CAP)
        .meta({
          description: `Exact up to ${MESSAGE_COUNT_CAP.toLocaleString('en')} (${MESSAGE_SEARCH_CAP.toLocaleString('en')} with search); the cap itself means “at least this many”.`,
        }),
      next: z.url().nullable(),
      previous: z.url().nullable(),
      results: z.array(messageResource),
    })
    .meta({ id: 'MessagePage' }),
  handler: async ({ db, actor, query, url }) =>
    apiPage(url, await listMessages({ db, actor, input: messagesQuery.toDomain(query) }), (m) =>
      toMessageResource(m, url),
    ),
});

export const getAttachmentOperation = defineOperation({
  operationId: 'getAttachment',
  method: 'GET',
  path: '/attachments/{id}',
  tag: 'messages',
  summary: 'Download a stored file',
  description:
    'The bytes of a message’s file (the `url` of an attachment), for callers who may see its client. Raster images, audio and video come `inline`, anything else as an `attachment` download; always with nosniff and a sandboxing Content-Security-Policy. 404 for a file that is not stored (yet).',
  params: idParams,
  rawResponse: {
    // The file's own media type (image/png, application/pdf…), not one fixed type.
    contentType: '*/*',
    description: 'The file, with its own Content-Type, Content-Length and Content-Disposition.',
  },
  errors: [404],
  handler: async ({ db, actor, params }) => {
    const file = await getAttachmentFile({ db, actor, input: { attachmentId: params.id } });
    return new Response(file.body, {
      headers: {
        'content-type': file.contentType,
        'content-length': String(file.body.byteLength),
        'content-disposition': contentDisposition(file.disposition, file.fileName),
        'cache-control': 'private, max-age=300',
        'x-content-type-options': 'nosniff',
        // Opened directly, a file can never run script in our origin.
        'content-security-policy': "default-src 'none'; sandbox",
      },
    });
  },
});

export const messageOperations = [
  listClientMessagesOperation,
  sendClientMessageOperation,
  editClientMessageOperation,
  deleteClientMessageOperation,
  listMessagesOperation,
  getAttachmentOperation,
];
