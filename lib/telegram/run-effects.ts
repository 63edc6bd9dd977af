import { inngest } from '@/inngest/client';
import { ATTACHMENT_DOWNLOAD_REQUESTED, OPERATOR_NOTIFY_REQUESTED } from '@/inngest/events';
import { getDb } from '@/db/client';
import { downloadAttachment } from '@/lib/attachments/download-attachment';
import { drainQueueForOperator } from '@/lib/clients/drain-queue-for-operator';
import { isInngestConfigured } from '@/lib/env';
import { dispatchOutbound } from '@/lib/jobs/dispatch-outbound';
import { relayOperatorEdit } from '@/lib/messages/relay-operator-edit';
import { callBotApi } from './bot-api';
import type { Effects } from './effects';
import { notifyOperator } from './notify-operator';

async function sendEvents(events: { name: string; data: Record<string, unknown> }[]): Promise<boolean> {
  if (events.length === 0 || !isInngestConfigured()) return false;
  try {
    await inngest.send(events);
    return true;
  } catch (error) {
    console.warn('Inngest unreachable, running inline:', error instanceof Error ? error.message : error);
    return false;
  }
}

/**
 * Runs an update's follow-up work after its transaction committed. Callback answers and operator
 * replies go first (Telegram shows a spinner until answered); client messages, downloads and
 * notifications go to Inngest when configured, inline otherwise. Failures are logged and, for
 * client messages and files, recorded on the rows the dashboard shows.
 */
export async function runEffects(effects: Effects): Promise<void> {
  for (const call of effects.botCalls) {
    await callBotApi(call.method, call.payload).catch((error: unknown) =>
      console.warn(`bot ${call.method} failed:`, error instanceof Error ? error.message : error),
    );
  }
  await dispatchOutbound(effects.outbound);
  for (const edit of effects.relayEdits) await relayOperatorEdit(await getDb(), edit);

  const downloadsQueued = await sendEvents(
    effects.downloads.map((attachmentId) => ({
      name: ATTACHMENT_DOWNLOAD_REQUESTED,
      data: { attachmentId },
    })),
  );
  if (!downloadsQueued) {
    for (const attachmentId of effects.downloads) await downloadAttachment({ attachmentId, mode: 'inline' });
  }

  for (const operatorId of new Set(effects.drains)) {
    await drainQueueForOperator({ db: await getDb(), operatorId });
  }

  const notificationsQueued = await sendEvents(
    effects.notifications.map((n) => ({ name: OPERATOR_NOTIFY_REQUESTED, data: { ...n } })),
  );
  if (!notificationsQueued) {
    for (const n of effects.notifications) await notifyOperator(n);
  }
}
