import { and, asc, desc, inArray, isNotNull, sql } from 'drizzle-orm';
import { z } from 'zod';
import type { DbOrTx } from '@/db/client';
import { clients } from '@/db/schema';
import type { Actor } from '@/lib/auth/actor';
import { clientScopeWhere, requireStaff } from '@/lib/auth/permissions';
import { ACTIVE_CLIENT_STATUSES } from './client-status';
import { getClientOrThrow } from './get-client-or-throw';

export const getAdjacentClientInput = z.object({
  clientId: z.uuid(),
  /** `next`: the open conversation below this one in the clients list; `previous`: above it. */
  direction: z.enum(['next', 'previous']),
});

/**
 * The open conversation (a client in `new`, `in_progress` or `waiting`) next to a client in the
 * clients list's default order — latest activity first (`-lastMessageAt`, ties by id) — among the
 * clients the actor may see; what the chat's next/previous shortcuts open. From a client without
 * messages, `next` is the top of the list. Returns the client's id, or null at either end.
 * Errors: `not_found` (a client the actor may not see), `forbidden` for non-staff actors.
 */
export async function getAdjacentClient({
  db,
  actor,
  input,
}: {
  db: DbOrTx;
  actor: Actor;
  input: z.input<typeof getAdjacentClientInput>;
}): Promise<{ clientId: string } | null> {
  const staff = requireStaff(actor);
  const { clientId, direction } = getAdjacentClientInput.parse(input);
  const current = await getClientOrThrow({ db, actor, clientId });
  const hasMessages = current.lastMessageAt !== null;
  if (!hasMessages && direction === 'previous') return null;
  // The stored instant (microseconds), not the DTO's milliseconds: no neighbour is skipped.
  const here = sql`(select c.last_message_at from ${clients} c where c.id = ${clientId}::uuid)`;
  const position = hasMessages
    ? direction === 'next'
      ? sql`(${clients.lastMessageAt}, ${clients.id}) < (${here}, ${clientId}::uuid)`
      : sql`(${clients.lastMessageAt}, ${clients.id}) > (${here}, ${clientId}::uuid)`
    : undefined;
  const order =
    direction === 'next'
      ? [desc(clients.lastMessageAt), desc(clients.id)]
      : [asc(clients.lastMessageAt), asc(clients.id)];
  const [row] = await db
    .select({ id: clients.id })
    .from(clients)
    .where(
      and(
        clientScopeWhere(staff),
        inArray(clients.status, [...ACTIVE_CLIENT_STATUSES]),
        isNotNull(clients.lastMessageAt),
        position,
        hasMessages ? undefined : sql`${clients.id} <> ${clientId}::uuid`,
      ),
    )
    .orderBy(...order)
    .limit(1);
  return row ? { clientId: row.id } : null;
}
