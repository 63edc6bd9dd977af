import { recordOperatorActivity } from '@/lib/operators/record-operator-activity';
import { and, eq } from 'drizzle-orm';
import type { Tx } from '@/db/client';
import { operatorNotifications, type OperatorStatus } from '@/db/schema';
import type { OperatorActor } from '@/lib/auth/actor';
import { createLoginLink } from '@/lib/auth/create-login-link';
import { resolveClient } from '@/lib/clients/resolve-client';
import { AppError } from '@/lib/errors';
import { sendComposedReply } from '@/lib/messages/send-composed-reply';
import { parseCommand } from '../commands';
import { emptyEffects, type Effects } from '../effects';
import { escapeHtml } from '../format';
import { parseContent } from '../parse-content';
import type { TelegramMessage } from '../update-schema';
import type { HandlerOutcome } from './types';

export const STATUS_CALLBACK = 'status:';

const statusLabels: Record<OperatorStatus, string> = {
  online: '🟢 Online',
  away: '🟡 Away',
  offline: '⚪ Offline',
};

export function statusText(status: OperatorStatus, assignedFromQueue = 0): string {
  const queue = assignedFromQueue > 0 ? `\n${assignedFromQueue} waiting client(s) assigned to you.` : '';
  return `Your status: ${statusLabels[status]}${queue}`;
}

export function statusKeyboard(current: OperatorStatus) {
  return {
    inline_keyboard: [
      (Object.keys(statusLabels) as OperatorStatus[]).map((s) => ({
        text: s === current ? `• ${statusLabels[s]}` : statusLabels[s],
        callback_data: `${STATUS_CALLBACK}${s}`,
      })),
    ],
  };
}

const OPERATOR_HELP = [
  'You receive the messages of your clients here.',
  '• Reply to a client’s message to answer them.',
  '• /close — as a reply: resolve that client.',
  '• /status — show or change your status.',
  '• /login — a one-time link to the dashboard.',
  '• /help — this help.',
].join('\n');

function say(effects: Effects, chatId: number, text: string, extra: Record<string, unknown> = {}) {
  effects.botCalls.push({
    method: 'sendMessage',
    payload: { chat_id: chatId, text, link_preview_options: { is_disabled: true }, ...extra },
  });
}

/**
 * A message from a linked operator in their own chat with the bot: a reply to a notification
 * answers that client — stored like a dashboard reply and relayed with its formatting and media
 * (copyMessage) — and commands manage the operator. Anything the desk cannot carry out gets an
 * answer saying so, never silence.
 */
export async function handleOperatorMessage(
  tx: Tx,
  actor: OperatorActor,
  status: OperatorStatus,
  message: TelegramMessage,
): Promise<HandlerOutcome> {
  const effects = emptyEffects();
  // Writing to the bot is activity: it keeps an operator from going idle (sync-operator-status).
  await recordOperatorActivity({ db: tx, actor });
  const chatId = message.chat.id;
  const command = parseCommand(message.text);
  const repliedTo = message.reply_to_message?.message_id;
  const [notification] = repliedTo
    ? await tx
        .select({ clientId: operatorNotifications.clientId })
        .from(operatorNotifications)
        .where(
          and(
            eq(operatorNotifications.telegramChatId, chatId),
            eq(operatorNotifications.telegramMessageId, repliedTo),
          ),
        )
    : [];

  try {
    if (command?.name === 'close') {
      if (!notification) {
        say(effects, chatId, 'Send /close as a reply to a message of the client you want to resolve.');
        return { status: 'handled', effects };
      }
      const resolved = await resolveClient({ tx, actor, input: { clientId: notification.clientId } });
      if (resolved.freedOperatorId) effects.drains.push(resolved.freedOperatorId);
      say(effects, chatId, '✅ Resolved.', { reply_parameters: { message_id: message.message_id } });
      return { status: 'handled', clientId: notification.clientId, effects };
    }
    if (command?.name === 'status') {
      say(effects, chatId, statusText(status), { reply_markup: statusKeyboard(status) });
      return { status: 'handled', effects };
    }
    if (command?.name === 'login') {
      const link = await createLoginLink({ tx, operatorId: actor.operatorId, actor });
      say(effects, chatId, `Your sign-in link (valid 5 minutes, works once):\n${link.url}`);
      return { status: 'handled', effects };
    }
    if (command?.name === 'start' || command?.name === 'help') {
      const hello = command.name === 'start' ? `You are linked as <b>${escapeHtml(actor.name)}</b>.\n\n` : '';
      say(effects, chatId, `${hello}${escapeHtml(OPERATOR_HELP)}`, { parse_mode: 'HTML' });
      return { status: 'handled', effects };
    }
    if (!notification) {
      say(effects, chatId, 'To answer a client, reply to their message. /help lists what you can do here.');
      return { status: 'handled', effects };
    }
    const content = parseContent(message);
    if (content.kind === 'unsupported') {
      say(
        effects,
        chatId,
        'This kind of message cannot be passed on to a client. Send text, a photo, a file, a voice or a video message instead.',
        { reply_parameters: { message_id: message.message_id } },
      );
      return { status: 'handled', reason: 'operator sent an unsupported kind', effects };
    }
    // Relayed with copyMessage (text with its entities, media as they are); the files are also
    // fetched into our storage for the dashboard (both through the outbox, recorded on insert).
    const queued = await sendComposedReply(tx, actor, notification.clientId, message, content);
    return { status: 'stored', clientId: notification.clientId, messageId: queued.messageId, effects };
  } catch (error) {
    if (!(error instanceof AppError)) throw error;
    say(effects, chatId, `⚠️ ${error.message}`, { reply_parameters: { message_id: message.message_id } });
    return { status: 'handled', reason: error.message, effects };
  }
}
