import { z } from 'zod';
import type { DbOrTx } from '@/db/client';
import { clientStatus, type ClientStatus } from '@/db/schema';
import { recordAudit } from '@/lib/audit/record-audit';
import type { Actor } from '@/lib/auth/actor';
import { canReplyToClient, requireStaff } from '@/lib/auth/permissions';
import { AppError } from '@/lib/errors';
import { notifyDesk } from '@/lib/events/notify-desk';
import { applyClientEvent, lockClient } from './apply-client-event';
import { isActiveStatus } from './client-status';
import { enqueueClientSql } from './client-sql';
import { getClientOrThrow } from './get-client-or-throw';
import { sql } from 'drizzle-orm';

export const moveClientStatusInput = z.object({
  clientId: z.uuid(),
  status: z.enum(clientStatus.enumValues),
});

/**
 * A person sets a client's status by hand (the kanban, the API): through the same transition
 * function as everything else — to `resolved` ends the episode, out of `resolved` reopens it,
 * between open statuses just relabels; `blocked` is refused both ways (only the client blocks
 * or unblocks the bot). Returns the new status and the operator whose load dropped, if any.
 * Errors: `not_found`, `forbidden`, `conflict` (a refused move, with the reason).
 */
export async function moveClientStatus({
  tx,
  actor,
  input,
}: {
  tx: DbOrTx;
  actor: Actor;
  input: z.input<typeof moveClientStatusInput>;
}): Promise<{ clientId: string; status: ClientStatus; freedOperatorId: string | null }> {
  const staff = requireStaff(actor);
  const { clientId, status } = moveClientStatusInput.parse(input);
  const visible = await getClientOrThrow({ db: tx, actor, clientId });
  if (!canReplyToClient(actor, visible)) throw new AppError('forbidden', 'You cannot change this client.');
  const client = await lockClient(tx, clientId);
  if (!client) throw new AppError('not_found', 'Client not found.');
  const applied = await applyClientEvent(
    tx,
    client,
    { type: 'moved', to: status },
    {
      resolvedById: staff.kind === 'operator' ? staff.operatorId : null,
    },
  );
  if (applied.unchanged) return { clientId, status: applied.status, freedOperatorId: null };
  // Reopened with nobody to answer: back in the department's queue.
  if (applied.episode === 'reopen' && !client.assignedOperatorId) {
    await tx.execute(enqueueClientSql(sql`${clientId}::uuid`));
  }
  await recordAudit(tx, actor, {
    action: 'client.status_changed',
    targetType: 'client',
    targetId: clientId,
    details: { from: client.status, to: applied.status },
  });
  await notifyDesk(tx, {
    type: 'client.updated',
    clientId,
    departmentId: client.departmentId,
    operatorId: client.assignedOperatorId,
  });
  const freed =
    isActiveStatus(client.status) && !isActiveStatus(applied.status) ? client.assignedOperatorId : null;
  return { clientId, status: applied.status, freedOperatorId: freed };
}
