import { and, eq } from 'drizzle-orm';
import type { Tx } from '@/db/client';
import { operators } from '@/db/schema';
import { getOperatorActor } from '@/lib/operators/get-operator-actor';
import { redeemOperatorInvite } from '@/lib/operators/redeem-operator-invite';
import { parseCommand } from '../commands';
import { emptyEffects } from '../effects';
import type { TelegramMessage, TelegramUserPayload } from '../update-schema';
import { handleClientCommand } from './client-command';
import { handleOperatorMessage } from './operator-message';
import { storeClientMessage } from './store-client-message';
import type { HandlerOutcome } from './types';
import { displayNameOf } from '../display-name';

const INVITE_PREFIX = 'op_';

const inviteFailures = {
  invalid: 'This invite link is not valid. Ask your admin for a new one.',
  expired: 'This invite link has expired. Ask your admin for a new one.',
  used: 'This invite link was already used. Ask your admin for a new one.',
  taken: 'This Telegram account is already linked to another operator.',
} as const;

/** Routes a private message: operator invite, linked operator, client command, client message. */
export async function handlePrivateMessage(
  tx: Tx,
  message: TelegramMessage,
  from: TelegramUserPayload,
): Promise<HandlerOutcome> {
  const command = parseCommand(message.text);
  const [operator] = await tx
    .select({ id: operators.id, status: operators.status })
    .from(operators)
    .where(and(eq(operators.telegramUserId, from.id), eq(operators.isActive, true)));

  if (command?.name === 'start' && command.args.startsWith(INVITE_PREFIX) && !operator) {
    const effects = emptyEffects();
    const result = await redeemOperatorInvite({
      tx,
      token: command.args.slice(INVITE_PREFIX.length),
      telegramUser: { id: from.id, name: displayNameOf(from) },
    });
    const text = result.ok
      ? `Welcome, ${result.operatorName}! This Telegram account is now linked to the support desk. Send /help to see what you can do.`
      : inviteFailures[result.reason];
    effects.botCalls.push({ method: 'sendMessage', payload: { chat_id: message.chat.id, text } });
    return { status: 'handled', reason: result.ok ? undefined : `invite ${result.reason}`, effects };
  }

  if (operator) {
    const actor = await getOperatorActor({ db: tx, operatorId: operator.id });
    if (actor) return handleOperatorMessage(tx, actor, operator.status, message);
  }
  if (command?.name === 'start' || command?.name === 'help') {
    return handleClientCommand(tx, message, from, { name: command.name, args: command.args });
  }
  return storeClientMessage(tx, message, from);
}
