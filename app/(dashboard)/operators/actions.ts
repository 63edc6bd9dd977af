'use server';

import { revalidatePath } from 'next/cache';
import { z } from 'zod';
import { requireSessionActor } from '@/app/session';
import { getDb } from '@/db/client';
import { toActionResult, type ActionResult } from '@/lib/errors';
import { createOperatorFromForm } from '@/lib/operators/create-operator-from-form';
import { createOperatorInvite } from '@/lib/operators/create-operator-invite';
import type { CreateOperatorForm, UpdateOperatorForm } from '@/lib/operators/operator-form';
import { updateOperatorFromForm } from '@/lib/operators/update-operator-from-form';

/** An admin creates an operator (parsed by createOperatorFromForm; role check and audit row). */
export async function createOperatorAction(
  input: CreateOperatorForm,
): Promise<ActionResult<{ id: string; name: string }>> {
  const actor = await requireSessionActor();
  return toActionResult(async () => {
    const created = await createOperatorFromForm({ db: await getDb(), actor, input });
    revalidatePath('/operators');
    return created;
  });
}

/**
 * An admin changes an operator's name, role, capacity, departments, or enables or disables them
 * (lib/operators/update-operator-from-form.ts: parsing, role check, audit row, sessions ended,
 * clients returned to the queue on disabling, queues drained after the commit).
 */
export async function updateOperatorAction(input: UpdateOperatorForm): Promise<ActionResult<{ id: string }>> {
  const actor = await requireSessionActor();
  return toActionResult(async () => {
    const updated = await updateOperatorFromForm({ db: await getDb(), actor, input });
    revalidatePath('/operators');
    return updated;
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
