import { eq } from 'drizzle-orm';
import type { Db } from '@/db/client';
import { clients, operators, type Message } from '@/db/schema';
import { callBotApi, TelegramApiError } from '@/lib/telegram/bot-api';
import {
  deliveryFailureTranslator,
  describeDeliveryFailure,
  localeOrDefault,
  type DeliveryFailure,
} from './delivery-failure';

/**
 * Tells an operator, in their Telegram chat and as a reply to what they wrote, that their reply
 * to a client did not arrive (`failed`) or may not have (`unknown`), with the reason, in the
 * operator's dashboard language (English when they chose none): an operator working from
 * Telegram never sees the dashboard's red badge. Best effort: a failure is logged.
 */
export async function tellOperatorNotDelivered(
  db: Db,
  message: Message,
  outcome: { status: 'failed' | 'unknown'; failure: DeliveryFailure },
): Promise<void> {
  if (!message.operatorTelegramChatId) return;
  const [client] = await db
    .select({ name: clients.displayName })
    .from(clients)
    .where(eq(clients.id, message.clientId));
  const [operator] = message.operatorId
    ? await db
        .select({ locale: operators.locale })
        .from(operators)
        .where(eq(operators.id, message.operatorId))
    : [];
  const locale = localeOrDefault(operator?.locale);
  const t = deliveryFailureTranslator(locale);
  const headline = t(`notice.${outcome.status}`, { name: client?.name ?? t('notice.theClient') });
  const text = `${headline}\n${describeDeliveryFailure(outcome.failure, locale) ?? ''}`.trim();
  try {
    await callBotApi('sendMessage', {
      chat_id: message.operatorTelegramChatId,
      text,
      link_preview_options: { is_disabled: true },
      ...(message.operatorTelegramMessageId
        ? {
            reply_parameters: {
              message_id: message.operatorTelegramMessageId,
              allow_sending_without_reply: true,
            },
          }
        : {}),
    });
  } catch (error) {
    const detail =
      error instanceof TelegramApiError || error instanceof Error ? error.message : String(error);
    console.warn(`could not tell the operator that message ${message.id} was not delivered: ${detail}`);
  }
}
