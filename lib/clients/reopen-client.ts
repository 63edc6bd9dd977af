import { sql } from 'drizzle-orm';
import { z } from 'zod';
import type { DbOrTx } from '@/db/client';
import type { ClientStatus } from '@/db/schema';
import { recordAudit } from '@/lib/audit/record-audit';
import type { Actor } from '@/lib/auth/actor';
import { canReplyToClient, requireStaff } from '@/lib/auth/permissions';
import { AppError } from '@/lib/errors';
import { notifyDesk } from '@/lib/events/notify-desk';
import { applyClientEvent, lockClient } from './apply-client-event';
import { enqueueClientSql } from './client-sql';
import { getClientOrThrow } from './get-client-or-throw';

export const reopenClientInput = z.object({ clientId: z.uuid() });

/**
 * Opens a resolved client's last episode again (its resolution was premature): `waiting` when
 * the desk had answered in it, `new` otherwise; the client counts towards their operator's load
 * again (an unassigned client goes back to the queue). Errors: `not_found`, `forbidden`, `conflict` (not resolved).
 */
export async function reopenClient({
  tx,
  actor,
  input,
}: {
  tx: DbOrTx;
  actor: Actor;
  input: z.input<typeof reopenClientInput>;
}): Promise<{ clientId: string; status: ClientStatus }> {
  requireStaff(actor);
  const { clientId } = reopenClientInput.parse(input);
  const visible = await getClientOrThrow({ db: tx, actor, clientId });
  if (!canReplyToClient(actor, visible)) throw new AppError('forbidden', 'You cannot reopen this client.');
  const client = await lockClient(tx, clientId);
  if (!client) throw new AppError('not_found', 'Client not found.');
  const applied = await applyClientEvent(tx, client, { type: 'reopened' });
  // Nobody has the client: it waits in its department's queue again.
  if (!client.assignedOperatorId) await tx.execute(enqueueClientSql(sql`${clientId}::uuid`));
  await recordAudit(tx, actor, {
    action: 'client.reopened',
    targetType: 'client',
    targetId: clientId,
    details: { conversationId: applied.conversationId, to: applied.status },
  });
  await notifyDesk(tx, {
    type: 'client.updated',
    clientId,
    departmentId: client.departmentId,
    operatorId: client.assignedOperatorId,
  });
  return { clientId, status: applied.status };
}
