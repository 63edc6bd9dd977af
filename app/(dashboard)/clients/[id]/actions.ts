'use server';

import { z } from 'zod';
import { requireSessionActor } from '@/app/session';
import { getDb } from '@/db/client';
import { claimClient } from '@/lib/clients/claim-client';
import { getAdjacentClient } from '@/lib/clients/get-adjacent-client';
import { getClientOrThrow, type ClientDto } from '@/lib/clients/get-client-or-throw';
import { reopenClient } from '@/lib/clients/reopen-client';
import type { ConversationDto } from '@/lib/conversations/get-conversation-or-throw';
import { listConversations } from '@/lib/conversations/list-conversations';
import { toActionResult, type ActionResult } from '@/lib/errors';
import { addInternalNote } from '@/lib/messages/add-internal-note';
import { getClientMessages } from '@/lib/messages/get-client-messages';
import {
  hasArchivedMessages,
  listArchivedClientMessages,
} from '@/lib/messages/list-archived-client-messages';
import { listClientMessages } from '@/lib/messages/list-client-messages';
import type { MessageDto } from '@/lib/messages/message-dto';

// The chat's own actions. None calls revalidatePath: that would re-render the whole chat page
// on the server; the chat updates the parts that changed from these answers and live events.

/** Messages per page of the chat's history (the first page and each scroll back). */
const CHAT_PAGE_SIZE = 50;

export type ChatPage = {
  messages: MessageDto[];
  olderCursor: string | null;
  /** The client has archived messages (the chat offers "Load archived history" after the oldest). */
  hasArchive: boolean;
};

/** One month of archived history, OLDEST first; `olderCursor` for the month before, or null. */
export type ArchivedChatPage = { messages: MessageDto[]; month: string | null; olderCursor: string | null };

const clientId = z.uuid();

/**
 * A page of the client's history, OLDEST first as the chat reads it: the newest messages without
 * a cursor, else the ones before `cursor` (the previous page's `olderCursor`).
 */
export async function loadChatPageAction(id: string, cursor?: string): Promise<ActionResult<ChatPage>> {
  const actor = await requireSessionActor();
  return toActionResult(async () => {
    const db = await getDb();
    const page = await listClientMessages({
      db,
      actor,
      input: { clientId: clientId.parse(id), cursor, limit: CHAT_PAGE_SIZE },
    });
    // listClientMessages has checked the actor may see the client.
    const hasArchive = page.nextCursor === null ? await hasArchivedMessages(db, clientId.parse(id)) : false;
    return { messages: page.results.toReversed(), olderCursor: page.nextCursor, hasArchive };
  });
}

/**
 * "Load archived history": the newest archived month before `cursor` (the previous answer's
 * `olderCursor`), read back from the file storage with the chat's own permission check.
 */
export async function loadArchivedChatPageAction(
  id: string,
  cursor?: string,
): Promise<ActionResult<ArchivedChatPage>> {
  const actor = await requireSessionActor();
  return toActionResult(async () => {
    const page = await listArchivedClientMessages({
      db: await getDb(),
      actor,
      input: { clientId: clientId.parse(id), cursor },
    });
    return { messages: page.results.toReversed(), month: page.month, olderCursor: page.nextCursor };
  });
}

/** The client's messages with these ids (oldest first): what live events named. */
export async function loadChatMessagesAction(
  id: string,
  messageIds: string[],
): Promise<ActionResult<MessageDto[]>> {
  const actor = await requireSessionActor();
  return toActionResult(async () =>
    getClientMessages({ db: await getDb(), actor, input: { clientId: id, messageIds } }),
  );
}

/** The client as the chat's header and panel show it, with their support episodes (newest first). */
export async function loadChatClientAction(
  id: string,
): Promise<ActionResult<{ client: ClientDto; episodes: ConversationDto[] }>> {
  const actor = await requireSessionActor();
  return toActionResult(async () => {
    const db = await getDb();
    const [client, episodes] = await Promise.all([
      getClientOrThrow({ db, actor, clientId: clientId.parse(id) }),
      listConversations({ db, actor, input: { clientId: id, ordering: '-openedAt', pageSize: 20 } }),
    ]);
    return { client, episodes: episodes.results };
  });
}

/** The signed-in operator takes the client from the queue (lib/clients claimClient). */
export async function claimClientAction(id: string): Promise<ActionResult<null>> {
  const actor = await requireSessionActor();
  return toActionResult(async () => {
    const db = await getDb();
    await db.transaction((tx) => claimClient({ tx, actor, input: { clientId: id } }));
    return null;
  });
}

/** Opens the client's last episode again (lib/clients reopenClient). */
export async function reopenClientAction(id: string): Promise<ActionResult<null>> {
  const actor = await requireSessionActor();
  return toActionResult(async () => {
    const db = await getDb();
    await db.transaction((tx) => reopenClient({ tx, actor, input: { clientId: id } }));
    return null;
  });
}

/** An internal note in the chat: stored, never sent to Telegram. */
export async function addNoteAction(id: string, text: string): Promise<ActionResult<{ messageId: string }>> {
  const actor = await requireSessionActor();
  return toActionResult(async () => {
    const note = await addInternalNote({ db: await getDb(), actor, input: { clientId: id, text } });
    return { messageId: note.messageId };
  });
}

/** The open conversation after (`next`) or before (`previous`) this one in the clients list. */
export async function adjacentClientAction(
  id: string,
  direction: 'next' | 'previous',
): Promise<ActionResult<{ clientId: string } | null>> {
  const actor = await requireSessionActor();
  return toActionResult(async () =>
    getAdjacentClient({ db: await getDb(), actor, input: { clientId: id, direction } }),
  );
}
