import { and, eq, sql } from 'drizzle-orm';
import { z } from 'zod';
import type { DbOrTx } from '@/db/client';
import { clients, conversations, operatorDepartments, operators } from '@/db/schema';
import { recordAudit } from '@/lib/audit/record-audit';
import type { Actor } from '@/lib/auth/actor';
import { canReplyToClient, requireStaff } from '@/lib/auth/permissions';
import { AppError } from '@/lib/errors';
import { notifyDesk } from '@/lib/events/notify-desk';
import { getOperatorOrThrow } from '@/lib/operators/get-operator-or-throw';
import { lockClient } from './apply-client-event';
import { enqueueClientSql } from './client-sql';
import { isActiveStatus } from './client-status';
import { getClientOrThrow } from './get-client-or-throw';

export const assignClientInput = z.object({
  clientId: z.uuid(),
  /** The operator to give the client to; null returns the client to its department's queue. */
  operatorId: z.uuid().nullable(),
});

export type AssignedClient = {
  clientId: string;
  operatorId: string | null;
  /** The operator who had the client before (their load dropped), if someone else. */
  previousOperatorId: string | null;
};

/**
 * Manual assignment. Admins and supervisors (for clients of their departments) give a client to
 * any active operator of the client's department, or return it to the department queue; an
 * operator may only take an unassigned client themselves or return their own client to the
 * queue. A queued client is handed out by the next drain (an operator coming online) or taken by
 * hand: returning it does not route it straight back. Errors: `not_found` (the client, or an
 * operator unknown or not visible to the actor), `forbidden`, `conflict` (client not open),
 * `unprocessable_entity` (operator outside the client's department or inactive).
 */
export async function assignClient({
  tx,
  actor,
  input,
}: {
  tx: DbOrTx;
  actor: Actor;
  input: z.input<typeof assignClientInput>;
}): Promise<AssignedClient> {
  const staff = requireStaff(actor);
  const { clientId, operatorId } = assignClientInput.parse(input);
  const visible = await getClientOrThrow({ db: tx, actor, clientId });
  if (!canReplyToClient(actor, visible)) throw new AppError('forbidden', 'You cannot assign this client.');
  if (staff.role === 'operator') {
    const self = staff.kind === 'operator' ? staff.operatorId : null;
    const takes = operatorId !== null && operatorId === self && visible.assignedOperatorId === null;
    const returnsOwn = operatorId === null && self !== null && visible.assignedOperatorId === self;
    if (!takes && !returnsOwn) {
      throw new AppError(
        'forbidden',
        'Operators can take a queued client or return their own client to the queue.',
      );
    }
  }
  const client = await lockClient(tx, clientId);
  if (!client) throw new AppError('not_found', 'Client not found.');
  if (!isActiveStatus(client.status)) {
    throw new AppError('conflict', 'Only an open client can be assigned; reopen it first.');
  }
  if (client.assignedOperatorId === operatorId) {
    return { clientId, operatorId, previousOperatorId: null };
  }
  if (operatorId) {
    // An operator the actor may not see (another department's, for a supervisor) does not exist
    // for them: 404 as for an unknown id, never a 422 that would confirm the id is someone's.
    await getOperatorOrThrow({ db: tx, actor: staff, operatorId });
    await requireAssignableOperator(tx, operatorId, client.departmentId);
  }

  const now = new Date();
  await tx
    .update(clients)
    .set({
      assignedOperatorId: operatorId,
      assignedAt: operatorId ? now : null,
      queuedAt: null, // a returned client enters the queue just below, as it is now
      updatedAt: now,
    })
    .where(eq(clients.id, clientId));
  if (!operatorId) await tx.execute(enqueueClientSql(sql`${clientId}::uuid`));
  if (operatorId && client.currentConversationId) {
    await tx
      .update(conversations)
      .set({ operatorId })
      .where(eq(conversations.id, client.currentConversationId));
  }
  await recordAudit(tx, actor, {
    action: operatorId ? 'client.assigned' : 'client.returned_to_queue',
    targetType: 'client',
    targetId: clientId,
    details: { operatorId, previousOperatorId: client.assignedOperatorId, automatic: false },
  });
  await notifyDesk(tx, {
    type: 'client.updated',
    clientId,
    departmentId: client.departmentId,
    operatorId,
  });
  return { clientId, operatorId, previousOperatorId: client.assignedOperatorId };
}

async function requireAssignableOperator(tx: DbOrTx, operatorId: string, departmentId: string | null) {
  const [operator] = await tx
    .select({
      isActive: operators.isActive,
      member: sql<boolean>`exists (select 1 from ${operatorDepartments} od
        where od.operator_id = ${operators.id} and od.department_id = ${departmentId}::uuid)`,
    })
    .from(operators)
    .where(eq(operators.id, operatorId));
  if (!operator) throw new AppError('not_found', 'Operator not found.');
  if (!operator.isActive) throw new AppError('unprocessable_entity', 'This operator is deactivated.');
  if (departmentId && !operator.member) {
    throw new AppError('unprocessable_entity', "This operator does not work in the client's department.");
  }
}

/** Whether the operator works in the department. */
export async function isOperatorInDepartment(tx: DbOrTx, operatorId: string, departmentId: string) {
  const [row] = await tx
    .select({ id: operatorDepartments.operatorId })
    .from(operatorDepartments)
    .where(
      and(eq(operatorDepartments.operatorId, operatorId), eq(operatorDepartments.departmentId, departmentId)),
    );
  return Boolean(row);
}
