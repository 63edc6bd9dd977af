import { and, eq, isNotNull, ne, sql } from 'drizzle-orm';
import type { DbOrTx } from '@/db/client';
import { clients, conversations, type ClientStatus } from '@/db/schema';
import { AppError } from '@/lib/errors';
import { transition, type ClientEvent, type EpisodeChange } from './client-status';

export type LockedClient = {
  id: string;
  status: ClientStatus;
  statusBeforeBlock: ClientStatus | null;
  departmentId: string | null;
  assignedOperatorId: string | null;
  currentConversationId: string | null;
  chatId: number;
  language: string | null;
  unreadCount: number;
};

export type AppliedEvent = {
  before: LockedClient;
  status: ClientStatus;
  episode: EpisodeChange;
  /** The open episode after the change (null when resolved and none was reopened). */
  conversationId: string | null;
  unchanged: boolean;
};

/** The client row, locked until the end of the transaction; null when it does not exist. */
export async function lockClient(tx: DbOrTx, clientId: string): Promise<LockedClient | null> {
  const [row] = await tx
    .select({
      id: clients.id,
      status: clients.status,
      statusBeforeBlock: clients.statusBeforeBlock,
      departmentId: clients.departmentId,
      assignedOperatorId: clients.assignedOperatorId,
      currentConversationId: clients.currentConversationId,
      chatId: clients.chatId,
      language: clients.language,
      unreadCount: clients.unreadCount,
    })
    .from(clients)
    .where(eq(clients.id, clientId))
    .for('update');
  return row ?? null;
}

/**
 * Applies one status event to a locked client: the status (through `transition`), the block
 * bookkeeping and the episode (open / close / reopen), in the caller's transaction. A refused
 * transition throws `conflict` with the reason; nothing is written then. `resolvedById` is the
 * operator who resolves, for the episode.
 */
export async function applyClientEvent(
  tx: DbOrTx,
  client: LockedClient,
  event: ClientEvent,
  { now = new Date(), resolvedById = null }: { now?: Date; resolvedById?: string | null } = {},
): Promise<AppliedEvent> {
  const answered = await episodeWasAnswered(tx, client);
  const result = transition(
    { status: client.status, statusBeforeBlock: client.statusBeforeBlock, answered },
    event,
  );
  if (!result.ok) throw new AppError('conflict', result.reason);
  if (result.unchanged) {
    return {
      before: client,
      status: client.status,
      episode: 'keep',
      conversationId: client.currentConversationId,
      unchanged: true,
    };
  }

  let conversationId = client.currentConversationId;
  if (result.episode === 'close' && conversationId) {
    await tx
      .update(conversations)
      .set({ status: 'resolved', resolvedAt: now, resolvedById })
      .where(and(eq(conversations.id, conversationId), eq(conversations.status, 'open')));
  } else if (result.episode === 'reopen' && conversationId) {
    await tx
      .update(conversations)
      .set({ status: 'open', resolvedAt: null, resolvedById: null })
      .where(eq(conversations.id, conversationId));
  } else if (result.episode === 'open') {
    conversationId = null; // set by openEpisode once the assignment is known
  }

  const blocking = result.status === 'blocked';
  await tx
    .update(clients)
    .set({
      status: result.status,
      statusBeforeBlock: result.statusBeforeBlock,
      blockedAt: blocking ? (client.status === 'blocked' ? undefined : now) : null,
      ...(result.episode === 'open' ? { currentConversationId: null } : {}),
      ...(result.status === 'resolved' ? { queuedAt: null, unreadCount: 0 } : {}),
      updatedAt: now,
    })
    .where(eq(clients.id, client.id));
  return { before: client, status: result.status, episode: result.episode, conversationId, unchanged: false };
}

/** Whether the client's current (or last) episode was answered by the desk. */
async function episodeWasAnswered(tx: DbOrTx, client: LockedClient): Promise<boolean> {
  if (!client.currentConversationId) return false;
  const [row] = await tx
    .select({ id: conversations.id })
    .from(conversations)
    .where(and(eq(conversations.id, client.currentConversationId), isNotNull(conversations.firstResponseAt)));
  return Boolean(row);
}

/**
 * Starts a new support episode for the client (ending any left open) and makes it current.
 * Returns its id.
 */
export async function openEpisode(
  tx: DbOrTx,
  client: { id: string; departmentId: string | null; assignedOperatorId: string | null },
  { firstResponseAt = null }: { firstResponseAt?: Date | null } = {},
): Promise<string> {
  await tx
    .update(conversations)
    .set({ status: 'resolved', resolvedAt: new Date() })
    .where(and(eq(conversations.clientId, client.id), eq(conversations.status, 'open')));
  const [row] = await tx
    .insert(conversations)
    .values({
      clientId: client.id,
      departmentId: client.departmentId,
      operatorId: client.assignedOperatorId,
      firstResponseAt,
    })
    .returning({ id: conversations.id });
  if (!row) throw new Error('conversation insert returned no row');
  await tx.update(clients).set({ currentConversationId: row.id }).where(eq(clients.id, client.id));
  return row.id;
}

/** Records the desk's first answer of the episode (kept if already set). */
export async function recordFirstResponse(tx: DbOrTx, conversationId: string | null, at: Date) {
  if (!conversationId) return;
  await tx
    .update(conversations)
    .set({
      firstResponseAt: sql`coalesce(${conversations.firstResponseAt}, ${at.toISOString()}::timestamptz)`,
    })
    .where(and(eq(conversations.id, conversationId), ne(conversations.status, 'resolved')));
}
