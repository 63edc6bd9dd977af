'use server';

import { revalidatePath } from 'next/cache';
import { getDb } from '@/db/client';
import { requireSessionActor } from '@/app/session';
import { toActionResult, type ActionResult } from '@/lib/errors';
import { dispatchOutbound } from '@/lib/jobs/dispatch-outbound';
import { retryMessage } from '@/lib/messages/retry-message';
import { sendOperatorMessage } from '@/lib/messages/send-operator-message';
import { setOperatorStatus } from '@/lib/operators/set-operator-status';

export type ReplyState = ActionResult<{ messageId: string }> | null;

export async function sendReplyAction(_prev: ReplyState, form: FormData): Promise<ReplyState> {
  const actor = await requireSessionActor();
  const result = await toActionResult(async () => {
    const db = await getDb();
    const queued = await sendOperatorMessage({
      db,
      actor,
      input: { clientId: String(form.get('clientId') ?? ''), text: String(form.get('text') ?? '') },
    });
    // Inline mode delivers before we answer, so the chat shows `sent` or `failed` right away.
    await dispatchOutbound([queued]);
    return { messageId: queued.messageId, clientId: queued.clientId };
  });
  if (result.ok) revalidatePath(`/clients/${result.data.clientId}`);
  return result.ok ? { ok: true, data: { messageId: result.data.messageId } } : result;
}

export async function retryMessageAction(messageId: string): Promise<ActionResult<null>> {
  const actor = await requireSessionActor();
  return toActionResult(async () => {
    const queued = await retryMessage({ db: await getDb(), actor, input: { messageId } });
    await dispatchOutbound([queued]);
    revalidatePath('/clients', 'layout');
    return null;
  });
}

export async function setMyStatusAction(
  status: 'online' | 'away' | 'offline',
): Promise<ActionResult<{ assignedFromQueue: number }>> {
  const actor = await requireSessionActor();
  return toActionResult(async () => {
    const result = await setOperatorStatus({
      db: await getDb(),
      actor,
      input: { operatorId: actor.operatorId, status },
    });
    revalidatePath('/', 'layout');
    return { assignedFromQueue: result.assignedFromQueue };
  });
}
