import type { Db } from '@/db/client';
import { AppError } from '@/lib/errors';
import { getOperatorActor } from '@/lib/operators/get-operator-actor';
import { callBotApi } from '@/lib/telegram/bot-api';
import { z } from 'zod';
import type { RelayEdit } from '@/lib/telegram/effects';
import { messageEntitySchema } from '@/lib/telegram/update-schema';
import { editOperatorMessage } from './edit-operator-message';

const entitiesSchema = z.array(messageEntitySchema);

/**
 * Passes an operator's Telegram edit of a delivered reply on to the client's copy (same rules
 * as an edit from the dashboard: author, 48-hour window, one-part messages; the entities go
 * as they are) and stores it with its history. When it cannot be done, the operator is told
 * why in Telegram, as a reply to the edited message.
 */
export async function relayOperatorEdit(db: Db, edit: RelayEdit): Promise<'relayed' | 'refused'> {
  const actor = await getOperatorActor({ db, operatorId: edit.operatorId });
  let reason: string | null = null;
  if (!actor) {
    reason = 'Your operator account is disabled.';
  } else {
    try {
      await editOperatorMessage({
        db,
        actor,
        input: { messageId: edit.messageId, text: edit.text, entities: entitiesSchema.parse(edit.entities) },
      });
      return 'relayed';
    } catch (error) {
      if (!(error instanceof AppError)) throw error;
      reason = error.message;
    }
  }
  await callBotApi('sendMessage', {
    chat_id: edit.operatorChatId,
    text: `⚠️ Your edit did not reach the client: ${reason}`,
    reply_parameters: { message_id: edit.operatorMessageId, allow_sending_without_reply: true },
  }).catch((error: unknown) =>
    console.warn(
      'could not tell the operator about a refused edit:',
      error instanceof Error ? error.message : error,
    ),
  );
  return 'refused';
}
