'use server';

import { revalidatePath } from 'next/cache';
import { z } from 'zod';
import { requireSessionActor } from '@/app/session';
import { getDb } from '@/db/client';
import { operatorRole } from '@/db/schema';
import { systemActor } from '@/lib/auth/actor';
import { drainQueue } from '@/lib/clients/drain-queue';
import { toActionResult, type ActionResult } from '@/lib/errors';
import { createOperator, createOperatorInput } from '@/lib/operators/create-operator';
import { createOperatorInvite } from '@/lib/operators/create-operator-invite';
import { operatorCapacitySchema, operatorNameSchema, updateOperator } from '@/lib/operators/update-operator';

// What the operators page may send: the domain's own input schemas, narrowed to the fields the
// page offers (presence is the operator's own business, passwords change elsewhere).
const createForm = createOperatorInput.omit({ status: true }).strict();
export type CreateOperatorForm = z.input<typeof createForm>;

const updateForm = z
  .object({
    operatorId: z.uuid(),
    name: operatorNameSchema.optional(),
    role: z.enum(operatorRole.enumValues).optional(),
    capacity: operatorCapacitySchema.optional(),
    departmentIds: z.array(z.uuid()).max(100).optional(),
    isActive: z.boolean().optional(),
  })
  .strict();
export type UpdateOperatorForm = z.input<typeof updateForm>;

/** An admin creates an operator (lib/operators/create-operator.ts checks the role and audits). */
export async function createOperatorAction(
  input: CreateOperatorForm,
): Promise<ActionResult<{ id: string; name: string }>> {
  const actor = await requireSessionActor();
  return toActionResult(async () => {
    const created = await createOperator({ db: await getDb(), actor, input: createForm.parse(input) });
    revalidatePath('/operators');
    return { id: created.id, name: created.name };
  });
}

/**
 * An admin changes an operator's name, role, capacity, departments, or enables or disables them
 * (lib/operators/update-operator.ts: role check, audit row, sessions ended, clients returned to
 * the queue on disabling). Queues that may move now (more room) are drained after the commit, as
 * the REST API does.
 */
export async function updateOperatorAction(input: UpdateOperatorForm): Promise<ActionResult<{ id: string }>> {
  const actor = await requireSessionActor();
  return toActionResult(async () => {
    const db = await getDb();
    const updated = await updateOperator({ db, actor, input: updateForm.parse(input) });
    if (updated.drainDepartmentIds.length > 0) {
      await db.transaction((tx) =>
        drainQueue({ tx, actor: systemActor('queue'), departmentIds: updated.drainDepartmentIds }),
      );
    }
    revalidatePath('/operators');
    return { id: updated.id };
  });
}

/**
 * An admin issues a Telegram invite link for an operator (single use, 72 hours; earlier unused
 * ones are cancelled). The link is answered once, to this admin only: it is never stored.
 */
export async function inviteOperatorAction(
  operatorId: string,
): Promise<ActionResult<{ url: string; expiresAt: string }>> {
  const actor = await requireSessionActor();
  return toActionResult(async () => {
    const invite = await createOperatorInvite({
      db: await getDb(),
      actor,
      input: { operatorId: z.uuid().parse(operatorId) },
    });
    return { url: invite.url, expiresAt: invite.expiresAt };
  });
}
