import { and, asc, desc, eq, inArray, lt } from 'drizzle-orm';
import { z } from 'zod';
import type { DbOrTx } from '@/db/client';
import { deliveryErrorCode, messageArchives, messages, operators } from '@/db/schema';
import type { Actor } from '@/lib/auth/actor';
import { getClientOrThrow } from '@/lib/clients/get-client-or-throw';
import { AppError } from '@/lib/errors';
import { getStorage } from '@/lib/storage/get-storage';
import type { FileStorage } from '@/lib/storage/storage';
import type { AttachmentDto, MessageDto } from './message-dto';
import { readVerifiedArchive } from './restore-archived-messages';

const MONTH = /^\d{4}-(0[1-9]|1[0-2])$/;

export const listArchivedClientMessagesInput = z
  .object({
    clientId: z.uuid(),
    /** `nextCursor` of the previous page (a month, `YYYY-MM`); absent: the newest archived month. */
    cursor: z.string().regex(MONTH).optional(),
  })
  .strict();

export type ArchivedMessagesPage = {
  /** One month of archived messages, NEWEST first; read-only (canEdit and canDelete are false). */
  results: MessageDto[];
  /** The month shown; null when the client has no archive (older than the cursor). */
  month: string | null;
  /** Pass it back as `cursor` for the next older month; null when there is none. */
  nextCursor: string | null;
};

/** The part of an archived row this reader uses (the file holds every column). */
const archivedLine = z.object({
  message: z.looseObject({
    id: z.string(),
    client_id: z.string(),
    direction: z.enum(['inbound', 'outbound', 'internal']),
    sender_kind: z.enum(['client', 'operator', 'bot', 'system']),
    operator_id: z.string().nullable(),
    content_kind: z.string(),
    text: z.string().nullable(),
    entities: z.array(z.unknown()).nullable(),
    payload: z.record(z.string(), z.unknown()).nullable(),
    telegram_message_id: z.number().nullable(),
    reply_to_message_id: z.string().nullable(),
    delivery_status: z.enum(['queued', 'sending', 'sent', 'failed', 'unknown']).nullable(),
    delivery_error: z.string().nullable(),
    /** Absent in files archived before failure reasons had codes. */
    delivery_error_code: z.enum(deliveryErrorCode.enumValues).nullable().optional(),
    delivered_at: z.string().nullable(),
    edited_at: z.string().nullable(),
    deleted_at: z.string().nullable(),
    created_at: z.string(),
  }),
  attachments: z.array(
    z.looseObject({
      id: z.string(),
      kind: z.string(),
      file_name: z.string().nullable(),
      mime_type: z.string().nullable(),
      size_bytes: z.number().nullable(),
      status: z.enum(['pending', 'stored', 'too_large', 'failed']),
      error: z.string().nullable(),
      caption: z.string().nullable(),
    }),
  ),
});

/** Microseconds since the epoch of a timestamp as Postgres writes it in JSON (up to 6 fraction digits). */
function microseconds(value: string): bigint {
  const fraction = /\.(\d{1,6})/.exec(value)?.[1] ?? '';
  return BigInt(Date.parse(value)) * 1000n + BigInt(fraction.padEnd(6, '0').slice(3) || '0');
}

const iso = (value: string | null) => (value === null ? null : new Date(value).toISOString());

/**
 * Whether the client has archived messages (the chat then offers "Load archived history").
 * No permission check: call it for a client the actor may already see.
 */
export async function hasArchivedMessages(db: DbOrTx, clientId: string): Promise<boolean> {
  const [row] = await db
    .select({ id: messageArchives.id })
    .from(messageArchives)
    .where(eq(messageArchives.clientId, clientId))
    .limit(1);
  return row !== undefined;
}

/**
 * One month of a client's archived history (lib/jobs/archive-old-messages.ts), read back from the
 * file storage, newest first, month by month: the newest month before `cursor`. Read-only: the
 * messages come as the chat shows them (MessageDto, operator names as they are now; a reply's
 * quote when its target is in the same month or still hot), with canEdit and canDelete false.
 * Access is the chat's own (getClientOrThrow → canViewClient): `not_found` for a client the
 * actor may not see. Errors: ZodError for bad input; `internal` when a file is missing or fails
 * its checksum.
 */
export async function listArchivedClientMessages({
  db,
  actor,
  input,
  storage = getStorage(),
}: {
  db: DbOrTx;
  actor: Actor;
  input: z.input<typeof listArchivedClientMessagesInput>;
  storage?: FileStorage;
}): Promise<ArchivedMessagesPage> {
  const { clientId, cursor } = listArchivedClientMessagesInput.parse(input);
  await getClientOrThrow({ db, actor, clientId });
  const before = cursor ? lt(messageArchives.month, cursor) : undefined;
  const [newest] = await db
    .select({ month: messageArchives.month })
    .from(messageArchives)
    .where(and(eq(messageArchives.clientId, clientId), before))
    .orderBy(desc(messageArchives.month))
    .limit(1);
  if (!newest) return { results: [], month: null, nextCursor: null };
  const files = await db
    .select()
    .from(messageArchives)
    .where(and(eq(messageArchives.clientId, clientId), eq(messageArchives.month, newest.month)))
    .orderBy(asc(messageArchives.id));
  const [older] = await db
    .select({ id: messageArchives.id })
    .from(messageArchives)
    .where(and(eq(messageArchives.clientId, clientId), lt(messageArchives.month, newest.month)))
    .limit(1);

  const lines = (
    await Promise.all(
      files.map((file) =>
        readVerifiedArchive(storage, file).catch((error: unknown) => {
          throw new AppError('internal', error instanceof Error ? error.message : 'Archive unreadable.');
        }),
      ),
    )
  ).flat();
  const rows = lines.map((line) => archivedLine.parse(JSON.parse(line)));
  // Newest first in (created_at, id) order, as the hot history; created_at to the microsecond.
  const keys = new Map(rows.map((r) => [r.message.id, microseconds(r.message.created_at)] as const));
  rows.sort((a, b) => {
    const ka = keys.get(a.message.id) ?? 0n;
    const kb = keys.get(b.message.id) ?? 0n;
    return ka === kb ? b.message.id.localeCompare(a.message.id) : kb > ka ? 1 : -1;
  });

  const operatorIds = [
    ...new Set(rows.flatMap((r) => (r.message.operator_id ? [r.message.operator_id] : []))),
  ];
  const names = new Map(
    operatorIds.length === 0
      ? []
      : (
          await db
            .select({ id: operators.id, name: operators.name })
            .from(operators)
            .where(inArray(operators.id, operatorIds))
        ).map((o) => [o.id, o.name] as const),
  );
  const byId = new Map(rows.map((r) => [r.message.id, r.message] as const));
  const missingTargets = [
    ...new Set(
      rows.flatMap((r) =>
        r.message.reply_to_message_id && !byId.has(r.message.reply_to_message_id)
          ? [r.message.reply_to_message_id]
          : [],
      ),
    ),
  ];
  const hotTargets = new Map(
    missingTargets.length === 0
      ? []
      : (
          await db
            .select({
              id: messages.id,
              direction: messages.direction,
              sender_kind: messages.senderKind,
              content_kind: messages.contentKind,
              text: messages.text,
            })
            .from(messages)
            .where(and(eq(messages.clientId, clientId), inArray(messages.id, missingTargets)))
        ).map((m) => [m.id, m] as const),
  );

  const results: MessageDto[] = rows.map(({ message: m, attachments }) => {
    const target = m.reply_to_message_id
      ? (byId.get(m.reply_to_message_id) ?? hotTargets.get(m.reply_to_message_id))
      : undefined;
    return {
      id: m.id,
      clientId: m.client_id,
      direction: m.direction,
      senderKind: m.sender_kind,
      operatorId: m.operator_id,
      operatorName: m.operator_id ? (names.get(m.operator_id) ?? null) : null,
      contentKind: m.content_kind as MessageDto['contentKind'],
      text: m.text,
      entities: m.entities,
      payload: m.payload,
      telegramMessageId: m.telegram_message_id,
      replyTo: target
        ? {
            id: target.id,
            direction: target.direction,
            senderKind: target.sender_kind,
            contentKind: target.content_kind as MessageDto['contentKind'],
            text: target.text ? target.text.slice(0, 200) : null,
            item: null,
          }
        : null,
      deliveryStatus: m.delivery_status,
      deliveryErrorCode: m.delivery_error_code ?? null,
      deliveryError: m.delivery_error,
      deliveredAt: iso(m.delivered_at),
      editedAt: iso(m.edited_at),
      deletedAt: iso(m.deleted_at),
      createdAt: new Date(m.created_at).toISOString(),
      attachments: attachments.map((a): AttachmentDto => ({
        id: a.id,
        kind: a.kind as AttachmentDto['kind'],
        fileName: a.file_name,
        mimeType: a.mime_type,
        sizeBytes: a.size_bytes,
        status: a.status,
        error: a.error,
        caption: a.caption,
      })),
      canEdit: false,
      canDelete: false,
    };
  });
  return { results, month: newest.month, nextCursor: older ? newest.month : null };
}
