import { asc, eq } from 'drizzle-orm';
import type { DbOrTx } from '@/db/client';
import { messages, operators } from '@/db/schema';
import type { Actor } from '@/lib/auth/actor';
import { getClientOrThrow } from '@/lib/clients/get-client-or-throw';

export type MessageDto = {
  id: string;
  direction: 'inbound' | 'outbound';
  senderKind: string;
  operatorId: string | null;
  operatorName: string | null;
  contentKind: string;
  text: string | null;
  payload: Record<string, unknown> | null;
  telegramMessageId: number | null;
  deliveryStatus: string | null;
  deliveryError: string | null;
  editedAt: string | null;
  createdAt: string;
};

/** A client's whole history, oldest first; access follows the client. */
export async function listClientMessages({
  db,
  actor,
  clientId,
  limit = 500,
}: {
  db: DbOrTx;
  actor: Actor;
  clientId: string;
  limit?: number;
}): Promise<MessageDto[]> {
  await getClientOrThrow({ db, actor, clientId });
  const rows = await db
    .select({
      id: messages.id,
      direction: messages.direction,
      senderKind: messages.senderKind,
      operatorId: messages.operatorId,
      operatorName: operators.name,
      contentKind: messages.contentKind,
      text: messages.text,
      payload: messages.payload,
      telegramMessageId: messages.telegramMessageId,
      deliveryStatus: messages.deliveryStatus,
      deliveryError: messages.deliveryError,
      editedAt: messages.editedAt,
      createdAt: messages.createdAt,
    })
    .from(messages)
    .leftJoin(operators, eq(operators.id, messages.operatorId))
    .where(eq(messages.clientId, clientId))
    .orderBy(asc(messages.createdAt), asc(messages.id))
    .limit(limit);
  return rows.map((r) => ({
    ...r,
    editedAt: r.editedAt?.toISOString() ?? null,
    createdAt: r.createdAt.toISOString(),
  }));
}
