'use server';

import { revalidatePath } from 'next/cache';
import { getTimeZone } from 'next-intl/server';
import { getDeskOverview, type DeskOverview } from '@/lib/stats/get-desk-overview';
import { z } from 'zod';
import { getDb } from '@/db/client';
import { requireSessionActor } from '@/app/session';
import { drainQueueForOperator } from '@/lib/clients/drain-queue-for-operator';
import { clientLabel } from '@/lib/clients/client-label';
import { countClients, type ClientCounts } from '@/lib/clients/count-clients';
import { getClientOrThrow } from '@/lib/clients/get-client-or-throw';
import { markClientRead } from '@/lib/clients/mark-client-read';
import { updateMyPreferences, updateMyPreferencesInput } from '@/lib/operators/update-my-preferences';
import { resolveClient } from '@/lib/clients/resolve-client';
import { toActionResult, type ActionResult } from '@/lib/errors';
import { kickOutbox } from '@/lib/outbox/outbox-worker';
import { deleteOperatorMessage } from '@/lib/messages/delete-operator-message';
import { editOperatorMessage } from '@/lib/messages/edit-operator-message';
import { retryMessage } from '@/lib/messages/retry-message';
import { sendOperatorFile } from '@/lib/messages/send-operator-file';
import { sendOperatorMessage } from '@/lib/messages/send-operator-message';
import { setOperatorStatus } from '@/lib/operators/set-operator-status';

export type ReplyState = ActionResult<{ messageId: string }> | null;

// The chat's actions below do not call revalidatePath: it would re-render the whole chat page on
// the server. The chat shows their outcome from the answer and from live events (SSE).

// Actions are public endpoints: a hand-made request can pass anything as the form.
const notAForm: ReplyState = { ok: false, code: 'bad_request', message: 'Malformed request.' };

export async function sendReplyAction(_prev: ReplyState, form: FormData): Promise<ReplyState> {
  const actor = await requireSessionActor();
  if (!(form instanceof FormData)) return notAForm;
  const result = await toActionResult(async () => {
    const db = await getDb();
    const queued = await sendOperatorMessage({
      db,
      actor,
      input: { clientId: String(form.get('clientId') ?? ''), text: String(form.get('text') ?? '') },
    });
    // Delivered by the outbox worker; the chat shows `sent` or `failed` through its live update.
    kickOutbox();
    return { messageId: queued.messageId, clientId: queued.clientId };
  });
  return result.ok ? { ok: true, data: { messageId: result.data.messageId } } : result;
}

const sendFileForm = z.object({
  clientId: z.string(),
  file: z.instanceof(File, { message: 'Choose a file to send.' }),
  caption: z.string().optional(),
});

/** A file (with the reply text as its caption) from the chat's reply form. */
export async function sendFileAction(_prev: ReplyState, form: FormData): Promise<ReplyState> {
  const actor = await requireSessionActor();
  if (!(form instanceof FormData)) return notAForm;
  const result = await toActionResult(async () => {
    const { clientId, file, caption } = sendFileForm.parse({
      clientId: form.get('clientId') ?? '',
      file: form.get('file'),
      caption: form.get('caption') ?? undefined,
    });
    const queued = await sendOperatorFile({
      db: await getDb(),
      actor,
      input: {
        clientId,
        fileName: file.name,
        contentType: file.type,
        bytes: new Uint8Array(await file.arrayBuffer()),
        caption,
      },
    });
    kickOutbox();
    return { messageId: queued.messageId, clientId: queued.clientId };
  });
  return result.ok ? { ok: true, data: { messageId: result.data.messageId } } : result;
}

export async function editMessageAction(messageId: string, text: string): Promise<ActionResult<null>> {
  const actor = await requireSessionActor();
  return toActionResult(async () => {
    await editOperatorMessage({ db: await getDb(), actor, input: { messageId, text } });
    return null;
  });
}

export async function deleteMessageAction(messageId: string): Promise<ActionResult<null>> {
  const actor = await requireSessionActor();
  return toActionResult(async () => {
    await deleteOperatorMessage({ db: await getDb(), actor, input: { messageId } });
    return null;
  });
}

export async function retryMessageAction(
  messageId: string,
  confirmUnknown = false,
): Promise<ActionResult<null>> {
  const actor = await requireSessionActor();
  return toActionResult(async () => {
    await retryMessage({ db: await getDb(), actor, input: { messageId, confirmUnknown } });
    kickOutbox();
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

export async function resolveClientAction(clientId: string): Promise<ActionResult<null>> {
  const actor = await requireSessionActor();
  return toActionResult(async () => {
    const db = await getDb();
    const resolved = await db.transaction((tx) => resolveClient({ tx, actor, input: { clientId } }));
    kickOutbox(); // the rating request, queued with the resolve
    if (resolved.freedOperatorId) await drainQueueForOperator({ db, operatorId: resolved.freedOperatorId });
    return null;
  });
}

export async function markClientReadAction(clientId: string): Promise<ActionResult<{ cleared: boolean }>> {
  const actor = await requireSessionActor();
  return toActionResult(async () => {
    return markClientRead({ db: await getDb(), actor, input: { clientId } });
  });
}

export async function setMyPreferencesAction(input: {
  locale?: string | null;
  timeZone?: string | null;
}): Promise<ActionResult<{ locale: string | null; timeZone: string | null }>> {
  const actor = await requireSessionActor();
  return toActionResult(async () => {
    const saved = await updateMyPreferences({
      db: await getDb(),
      actor,
      input: updateMyPreferencesInput.parse(input),
    });
    revalidatePath('/', 'layout');
    return saved;
  });
}

export async function getNavCountsAction(): Promise<ActionResult<ClientCounts>> {
  const actor = await requireSessionActor();
  return toActionResult(async () => countClients({ db: await getDb(), actor }));
}

export async function getClientLabelAction(clientId: string): Promise<ActionResult<{ label: string }>> {
  const actor = await requireSessionActor();
  return toActionResult(async () => {
    const client = await getClientOrThrow({ db: await getDb(), actor, clientId: z.uuid().parse(clientId) });
    return { label: clientLabel(client) };
  });
}

export async function getOverviewAction(): Promise<ActionResult<DeskOverview>> {
  const actor = await requireSessionActor();
  const timeZone = await getTimeZone();
  return toActionResult(async () => getDeskOverview({ db: await getDb(), actor, timeZone }));
}
