import { asc, eq, inArray } from 'drizzle-orm';
import { alias } from 'drizzle-orm/pg-core';
import type { DbOrTx } from '@/db/client';
import {
  attachments,
  clients,
  messages,
  operators,
  type ContentKind,
  type DeliveryErrorCode,
  type DeliveryStatus,
  type MessageDirection,
  type SenderKind,
} from '@/db/schema';
import type { Actor } from '@/lib/auth/actor';
import { CAPTION_LIMIT, TEXT_LIMIT } from '@/lib/telegram/format';
import { canChangeOperatorMessage, isWithinChangeWindow } from './get-changeable-message-or-throw';

export type AttachmentDto = {
  id: string;
  kind: ContentKind;
  fileName: string | null;
  mimeType: string | null;
  sizeBytes: number | null;
  status: 'pending' | 'stored' | 'too_large' | 'failed';
  error: string | null;
  caption: string | null;
};

/** The stored message a reply points at, as the chat shows it above the reply. */
export type ReplyPreviewDto = {
  id: string;
  direction: MessageDirection;
  senderKind: SenderKind;
  contentKind: ContentKind;
  /** At most 200 characters of its text or caption (of the very item, for an album item). */
  text: string | null;
  /** Which file of an album (1-based) the reply points at, when it points at one. */
  item: { number: number; of: number } | null;
};

export type MessageDto = {
  id: string;
  clientId: string;
  /** inbound: the client's · outbound: the desk's to the client · internal: a note, never sent. */
  direction: MessageDirection;
  senderKind: SenderKind;
  operatorId: string | null;
  operatorName: string | null;
  contentKind: ContentKind;
  text: string | null;
  /** Telegram formatting entities of `text` (UTF-16 offsets). */
  entities: unknown[] | null;
  payload: Record<string, unknown> | null;
  telegramMessageId: number | null;
  /** What this message replies to, when it is stored here. */
  replyTo: ReplyPreviewDto | null;
  deliveryStatus: DeliveryStatus | null;
  /** Why delivery failed (see lib/messages/delivery-failure.ts); null on rows from before codes. */
  deliveryErrorCode: DeliveryErrorCode | null;
  /** With a code: its raw detail (Telegram's description…); without: the legacy English reason. */
  deliveryError: string | null;
  deliveredAt: string | null;
  editedAt: string | null;
  /** Deleted operator messages keep their text for the audit trail; the chat shows "deleted". */
  deletedAt: string | null;
  createdAt: string;
  attachments: AttachmentDto[];
  /** Whether the viewing actor may edit / delete it now (author or manager, sent, < 48 h). */
  canEdit: boolean;
  canDelete: boolean;
};

/**
 * The messages with these ids as the chat and the API show them (operator name, reply preview,
 * files, what the actor may change), in the order of `ids`; ids that do not exist are left out.
 * The caller has already decided the actor may see them (lists select ids within the actor's
 * scope): this only reads. Three indexed queries, whatever the number of ids.
 */
export async function loadMessageDtos({
  db,
  actor,
  ids,
  now = new Date(),
}: {
  db: DbOrTx;
  actor: Actor;
  ids: string[];
  now?: Date;
}): Promise<MessageDto[]> {
  if (ids.length === 0) return [];
  const target = alias(messages, 'reply_target');
  const rows = await db
    .select({
      id: messages.id,
      clientId: messages.clientId,
      direction: messages.direction,
      senderKind: messages.senderKind,
      operatorId: messages.operatorId,
      operatorName: operators.name,
      contentKind: messages.contentKind,
      text: messages.text,
      entities: messages.entities,
      payload: messages.payload,
      replyToId: target.id,
      replyToDirection: target.direction,
      replyToSenderKind: target.senderKind,
      replyToContentKind: target.contentKind,
      replyToText: target.text,
      replyToTelegramMessageId: messages.replyToTelegramMessageId,
      telegramMessageId: messages.telegramMessageId,
      telegramExtraMessageIds: messages.telegramExtraMessageIds,
      deliveryStatus: messages.deliveryStatus,
      deliveryErrorCode: messages.deliveryErrorCode,
      deliveryError: messages.deliveryError,
      deliveredAt: messages.deliveredAt,
      editedAt: messages.editedAt,
      deletedAt: messages.deletedAt,
      createdAt: messages.createdAt,
      clientDepartmentId: clients.departmentId,
      clientAssignedOperatorId: clients.assignedOperatorId,
    })
    .from(messages)
    .innerJoin(clients, eq(clients.id, messages.clientId))
    .leftJoin(operators, eq(operators.id, messages.operatorId))
    .leftJoin(target, eq(target.id, messages.replyToMessageId))
    .where(inArray(messages.id, ids));

  // One query for the files of the whole page — and of the albums its replies quote, which may
  // lie on another page — not one per message.
  const quotedAlbums = rows.flatMap((r) =>
    r.replyToId && r.replyToContentKind === 'album' ? [r.replyToId] : [],
  );
  const files = await db
    .select({
      id: attachments.id,
      messageId: attachments.messageId,
      kind: attachments.kind,
      fileName: attachments.fileName,
      mimeType: attachments.mimeType,
      sizeBytes: attachments.sizeBytes,
      status: attachments.status,
      error: attachments.error,
      caption: attachments.caption,
      telegramMessageId: attachments.telegramMessageId,
    })
    .from(attachments)
    .where(inArray(attachments.messageId, [...new Set([...ids, ...quotedAlbums])]))
    .orderBy(asc(attachments.messageId), asc(attachments.position), asc(attachments.createdAt));
  const filesByMessage = new Map<string, typeof files>();
  for (const file of files) {
    const list = filesByMessage.get(file.messageId) ?? [];
    list.push(file);
    filesByMessage.set(file.messageId, list);
  }

  const byId = new Map(
    rows.map((row) => {
      const {
        telegramExtraMessageIds,
        replyToId,
        replyToDirection,
        replyToSenderKind,
        replyToContentKind,
        replyToText,
        replyToTelegramMessageId,
        clientDepartmentId,
        clientAssignedOperatorId,
        ...r
      } = row;
      const client = { departmentId: clientDepartmentId, assignedOperatorId: clientAssignedOperatorId };
      // A reply to one item of an album quotes that item (its number and its own caption).
      const albumFiles =
        replyToId && replyToContentKind === 'album' ? (filesByMessage.get(replyToId) ?? []) : [];
      const itemIndex = albumFiles.findIndex((f) => f.telegramMessageId === replyToTelegramMessageId);
      const item = itemIndex >= 0 ? { number: itemIndex + 1, of: albumFiles.length } : null;
      const quotedText = item ? (albumFiles[itemIndex]?.caption ?? null) : replyToText;
      const canDelete =
        r.direction === 'outbound' &&
        r.deliveryStatus === 'sent' &&
        r.deletedAt === null &&
        r.telegramMessageId !== null &&
        isWithinChangeWindow(r.deliveredAt, now) &&
        canChangeOperatorMessage(actor, r, client);
      const singlePart = (telegramExtraMessageIds?.length ?? 0) === 0;
      const limitForEdit = r.contentKind === 'text' ? TEXT_LIMIT : CAPTION_LIMIT;
      const dto: MessageDto = {
        ...r,
        deliveredAt: r.deliveredAt?.toISOString() ?? null,
        editedAt: r.editedAt?.toISOString() ?? null,
        deletedAt: r.deletedAt?.toISOString() ?? null,
        createdAt: r.createdAt.toISOString(),
        attachments: (filesByMessage.get(r.id) ?? []).map(
          ({ messageId: _messageId, telegramMessageId: _telegramMessageId, ...file }) => file,
        ),
        replyTo:
          replyToId && replyToDirection && replyToSenderKind && replyToContentKind
            ? {
                id: replyToId,
                direction: replyToDirection,
                senderKind: replyToSenderKind,
                contentKind: replyToContentKind,
                text: quotedText ? quotedText.slice(0, 200) : null,
                item,
              }
            : null,
        canEdit: canDelete && singlePart && (r.text?.length ?? 0) <= limitForEdit,
        canDelete,
      };
      return [r.id, dto] as const;
    }),
  );
  return ids.flatMap((id) => {
    const dto = byId.get(id);
    return dto ? [dto] : [];
  });
}
