import { and, eq, gt } from 'drizzle-orm';
import { z } from 'zod';
import type { DbOrTx } from '@/db/client';
import { clients } from '@/db/schema';
import type { Actor } from '@/lib/auth/actor';
import { canReplyToClient, requireStaff } from '@/lib/auth/permissions';
import { notifyDesk } from '@/lib/events/notify-desk';
import { getClientOrThrow } from './get-client-or-throw';

export const markClientReadInput = z.object({ clientId: z.uuid() });

/**
 * The person answering a client has read their chat: its unread count goes to 0. Only the
 * client's own operator — or, for a client nobody has yet, anyone who may answer it — clears
 * it: a supervisor looking in does not hide new messages from the operator. Not audited (it
 * changes no one's work, only a counter), but announced to live views. Returns whether the
 * count changed. Errors: `not_found` when the actor cannot see the client.
 */
export async function markClientRead({
  db,
  actor,
  input,
}: {
  db: DbOrTx;
  actor: Actor;
  input: z.input<typeof markClientReadInput>;
}): Promise<{ cleared: boolean }> {
  const staff = requireStaff(actor);
  const { clientId } = markClientReadInput.parse(input);
  const client = await getClientOrThrow({ db, actor, clientId });
  const own = staff.kind === 'operator' && client.assignedOperatorId === staff.operatorId;
  const nobodys = client.assignedOperatorId === null && canReplyToClient(actor, client);
  if (client.unreadCount === 0 || !(own || nobodys)) return { cleared: false };
  const rows = await db
    .update(clients)
    .set({ unreadCount: 0 })
    .where(and(eq(clients.id, clientId), gt(clients.unreadCount, 0)))
    .returning({ id: clients.id });
  if (rows.length === 0) return { cleared: false };
  await notifyDesk(db, {
    type: 'client.updated',
    clientId,
    departmentId: client.departmentId,
    operatorId: client.assignedOperatorId,
  });
  return { cleared: true };
}
