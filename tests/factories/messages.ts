import { randomUUID } from 'node:crypto';
import type { Db } from '@/db/client';
import {
  attachments,
  clients,
  messages,
  telegramUsers,
  type ClientStatus,
  type ContentKind,
} from '@/db/schema';

let chatSeq = 880_000_000;

/** A client (and its Telegram user) stored directly, without going through the webhook. */
export async function makeClient(
  db: Db,
  options: {
    departmentId?: string | null;
    assignedOperatorId?: string | null;
    status?: ClientStatus;
    chatId?: number;
    name?: string;
  } = {},
) {
  const chatId = options.chatId ?? ++chatSeq;
  const name = options.name ?? `Client ${chatId}`;
  await db.insert(telegramUsers).values({ id: chatId, firstName: name }).onConflictDoNothing();
  const [row] = await db
    .insert(clients)
    .values({
      telegramUserId: chatId,
      chatId,
      displayName: name,
      status: options.status ?? 'in_progress',
      departmentId: options.departmentId ?? null,
      assignedOperatorId: options.assignedOperatorId ?? null,
      assignedAt: options.assignedOperatorId ? new Date() : null,
    })
    .returning();
  if (!row) throw new Error('client not created');
  return row;
}

let telegramMessageSeq = 50_000;

/** An operator's outbound message already delivered to Telegram (defaults: text, one part, now). */
export async function makeSentOperatorMessage(
  db: Db,
  options: {
    client: { id: string; chatId: number };
    operatorId: string;
    text?: string | null;
    contentKind?: ContentKind;
    deliveredAt?: Date;
    extraParts?: number;
  },
) {
  const id = ++telegramMessageSeq;
  const extra = Array.from({ length: options.extraParts ?? 0 }, () => ++telegramMessageSeq);
  const [row] = await db
    .insert(messages)
    .values({
      clientId: options.client.id,
      direction: 'outbound',
      senderKind: 'operator',
      operatorId: options.operatorId,
      contentKind: options.contentKind ?? 'text',
      text: options.text === undefined ? 'Hello from support' : options.text,
      telegramChatId: options.client.chatId,
      telegramMessageId: id,
      telegramExtraMessageIds: extra.length > 0 ? extra : null,
      deliveryStatus: 'sent',
      deliveredAt: options.deliveredAt ?? new Date(),
    })
    .returning();
  if (!row) throw new Error('message not created');
  return row;
}

/** An inbound client message (optionally with one attachment in a given state). */
export async function makeInboundMessage(
  db: Db,
  options: {
    client: { id: string; chatId: number };
    text?: string | null;
    attachment?: Partial<typeof attachments.$inferInsert> & { kind: ContentKind };
  },
) {
  const [row] = await db
    .insert(messages)
    .values({
      clientId: options.client.id,
      direction: 'inbound',
      senderKind: 'client',
      contentKind: options.attachment?.kind ?? 'text',
      text: options.text ?? null,
      telegramChatId: options.client.chatId,
      telegramMessageId: ++telegramMessageSeq,
    })
    .returning();
  if (!row) throw new Error('message not created');
  if (!options.attachment) return { message: row, attachment: null };
  const [attachment] = await db
    .insert(attachments)
    .values({ id: randomUUID(), ...options.attachment, messageId: row.id })
    .returning();
  return { message: row, attachment: attachment ?? null };
}
