// Talks to the app the way Telegram does (webhook updates) and to the recording Bot API server
// (what the app sent, and how the next sends should fail).
import { expect, type APIRequestContext } from '@playwright/test';
import { z } from 'zod';
import type { Behaviour, RecordedCall } from '../../support/telegram-server';
import { TELEGRAM_API_ROOT, WEBHOOK_SECRET } from './e2e-env';

/** A Telegram user talking to the bot in a private chat (chat id = user id). */
export type E2eTelegramUser = { chatId: number; firstName: string; lastName: string; displayName: string };
export type E2eClient = E2eTelegramUser;

let sequence = 0;

/** A Telegram user no earlier run has used, so reruns against one database do not collide. */
export function uniqueTelegramUser(firstName: string): E2eTelegramUser {
  sequence += 1;
  const chatId = Date.now() * 10 + sequence; // < 2^53, fits the bigint columns
  const lastName = `E2E-${chatId.toString(36)}`;
  return { chatId, firstName, lastName, displayName: `${firstName} ${lastName}` };
}

/** A new client: a Telegram user who has never written to the bot. */
export function uniqueClient(firstName: string): E2eClient {
  return uniqueTelegramUser(firstName);
}

let updateSequence = 0;

/** update_id and message_id values no other update of this or an earlier run has used. */
function nextUpdateIds(now: number) {
  updateSequence += 1;
  return {
    updateId: now * 1000 + (updateSequence % 1000), // < 2^53 until the year 2255
    messageId: (now % 1_000_000) * 10 + (updateSequence % 10),
  };
}

/** The message of the bot's an update replies to, as Telegram embeds it in `reply_to_message`. */
export type RepliedMessage = { messageId: number; text?: string };

/**
 * POSTs a private text message from `user` to the webhook, optionally as a reply to one of the
 * bot's messages, and returns the webhook's `status` (stored, handled, ignored…).
 */
export async function sendPrivateMessage(
  request: APIRequestContext,
  user: E2eTelegramUser,
  text: string,
  replyTo?: RepliedMessage,
): Promise<string> {
  const now = Date.now();
  const { updateId, messageId } = nextUpdateIds(now);
  const date = Math.floor(now / 1000);
  const chat = { id: user.chatId, type: 'private', first_name: user.firstName };
  const response = await request.post('/api/telegram/webhook', {
    headers: { 'X-Telegram-Bot-Api-Secret-Token': WEBHOOK_SECRET },
    data: {
      update_id: updateId,
      message: {
        message_id: messageId,
        date,
        chat,
        from: {
          id: user.chatId,
          is_bot: false,
          first_name: user.firstName,
          last_name: user.lastName,
          language_code: 'en',
        },
        text,
        ...(replyTo && {
          reply_to_message: {
            message_id: replyTo.messageId,
            date,
            chat,
            from: { id: 1, is_bot: true, first_name: 'Desk' },
            ...(replyTo.text !== undefined && { text: replyTo.text }),
          },
        }),
      },
    },
  });
  expect(response.status(), await response.text()).toBe(200);
  const body = z.object({ ok: z.literal(true), status: z.string() }).parse(await response.json());
  return body.status;
}

/** POSTs a private text message from `client` to the webhook and checks it was stored. */
export async function sendClientMessage(request: APIRequestContext, client: E2eClient, text: string) {
  expect(await sendPrivateMessage(request, client, text)).toBe('stored');
}

export async function telegramCalls(request: APIRequestContext): Promise<RecordedCall[]> {
  const response = await request.get(`${TELEGRAM_API_ROOT}/__calls`);
  expect(response.ok()).toBe(true);
  return (await response.json()) as RecordedCall[];
}

/** The `sendMessage` calls the recording server received for one chat. */
export async function sentMessages(request: APIRequestContext, chatId: number): Promise<RecordedCall[]> {
  const calls = await telegramCalls(request);
  return calls.filter((c) => c.method === 'sendMessage' && Number(c.payload.chat_id) === chatId);
}

/**
 * Waits for the first recorded Bot API call that matches; the app sends most calls after it has
 * answered the webhook or the server action, so they arrive a moment later.
 */
export async function waitForCall(
  request: APIRequestContext,
  description: string,
  matches: (call: RecordedCall) => boolean,
  timeout = 15_000,
): Promise<RecordedCall> {
  let found: RecordedCall | undefined;
  await expect
    .poll(
      async () => {
        found = (await telegramCalls(request)).find(matches);
        return found !== undefined;
      },
      { message: `the Bot API server never received ${description}`, timeout },
    )
    .toBe(true);
  if (!found) throw new Error(`no recorded call: ${description}`);
  return found;
}

const sentMessageAnswer = z.object({
  ok: z.literal(true),
  result: z.looseObject({ message_id: z.number().int() }),
});

/** The message_id the recording server gave the message a `send*` call created. */
export function sentMessageId(call: RecordedCall): number {
  const answer = sentMessageAnswer.safeParse(call.result);
  if (!answer.success) {
    throw new Error(`${call.method} was not answered with a message: ${JSON.stringify(call.result)}`);
  }
  return answer.data.result.message_id;
}

export async function setTelegramBehaviour(request: APIRequestContext, chatId: number, behaviour: Behaviour) {
  const response = await request.post(`${TELEGRAM_API_ROOT}/__behaviour`, { data: { chatId, behaviour } });
  expect(response.ok()).toBe(true);
}
