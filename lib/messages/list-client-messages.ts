import { and, desc, eq, sql } from 'drizzle-orm';
import { z } from 'zod';
import type { DbOrTx } from '@/db/client';
import { messages } from '@/db/schema';
import type { Actor } from '@/lib/auth/actor';
import { getClientOrThrow } from '@/lib/clients/get-client-or-throw';
import { decodeCursor, encodeCursor } from '@/lib/pagination/cursor';
import { loadMessageDtos, type MessageDto } from './message-dto';

export const CLIENT_MESSAGES_DEFAULT_LIMIT = 50;
export const CLIENT_MESSAGES_MAX_LIMIT = 200;

export const listClientMessagesInput = z
  .object({
    clientId: z.uuid(),
    /** `nextCursor` of the previous page; absent: the newest messages. */
    cursor: z.string().min(1).max(200).optional(),
    limit: z.coerce
      .number()
      .int()
      .min(1)
      .max(CLIENT_MESSAGES_MAX_LIMIT)
      .default(CLIENT_MESSAGES_DEFAULT_LIMIT),
  })
  .strict();

export type ClientMessagesPage = {
  /** Newest first. */
  results: MessageDto[];
  /** Pass it back as `cursor` for the older messages; null when there are none. */
  nextCursor: string | null;
};

/** A message's created_at exactly as stored (microseconds), for the cursor. */
export const createdAtText = sql<string>`to_char(${messages.createdAt} at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')`;

/**
 * One page of a client's history, NEWEST first, by cursor: `limit` messages (default 50, at
 * most 200) older than the cursor's position in (created_at, id) order — so messages arriving
 * meanwhile never shift a page, and no message is repeated or skipped. One range scan of the
 * index messages_client_created_id_idx (client_id, created_at, id), whatever the history's length.
 * Access follows the client: `not_found` for a client the actor may not see; `bad_request` for
 * a cursor we did not issue; invalid input throws a ZodError.
 */
export async function listClientMessages({
  db,
  actor,
  input,
  now = new Date(),
}: {
  db: DbOrTx;
  actor: Actor;
  input: z.input<typeof listClientMessagesInput>;
  now?: Date;
}): Promise<ClientMessagesPage> {
  const { clientId, cursor, limit } = listClientMessagesInput.parse(input);
  await getClientOrThrow({ db, actor, clientId });
  const after = cursor ? decodeCursor(cursor) : null;
  const rows = await db
    .select({ id: messages.id, createdAt: createdAtText })
    .from(messages)
    .where(
      and(
        eq(messages.clientId, clientId),
        // A row comparison the index answers as one range: (created_at, id) < the cursor's.
        after
          ? sql`(${messages.createdAt}, ${messages.id}) < (${after.createdAt}::timestamptz, ${after.id}::uuid)`
          : undefined,
      ),
    )
    .orderBy(desc(messages.createdAt), desc(messages.id))
    .limit(limit + 1);
  const page = rows.slice(0, limit);
  const last = page.at(-1);
  return {
    results: await loadMessageDtos({ db, actor, ids: page.map((r) => r.id), now }),
    nextCursor: rows.length > limit && last ? encodeCursor({ createdAt: last.createdAt, id: last.id }) : null,
  };
}
