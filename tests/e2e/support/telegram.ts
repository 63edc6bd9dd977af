// Talks to the app the way Telegram does (webhook updates) and to the recording Bot API server
// (what the app sent, and how the next sends should fail).
import { expect, type APIRequestContext } from '@playwright/test';
import type { Behaviour, RecordedCall } from '../../support/telegram-server';
import { TELEGRAM_API_ROOT, WEBHOOK_SECRET } from './e2e-env';

export type E2eClient = { chatId: number; firstName: string; lastName: string; displayName: string };

let sequence = 0;

/** A Telegram user no earlier run has used, so reruns against one database do not collide. */
export function uniqueClient(firstName: string): E2eClient {
  sequence += 1;
  const chatId = Date.now() * 10 + sequence; // < 2^53, fits the bigint columns
  const lastName = `E2E-${chatId.toString(36)}`;
  return { chatId, firstName, lastName, displayName: `${firstName} ${lastName}` };
}

/** POSTs a private text message from `client` to the webhook and checks it was stored. */
export async function sendClientMessage(request: APIRequestContext, client: E2eClient, text: string) {
  const now = Date.now();
  const response = await request.post('/api/telegram/webhook', {
    headers: { 'X-Telegram-Bot-Api-Secret-Token': WEBHOOK_SECRET },
    data: {
      update_id: Math.floor(now / 1000) * 1000 + sequence,
      message: {
        message_id: (now % 1_000_000) + 1,
        date: Math.floor(now / 1000),
        chat: { id: client.chatId, type: 'private', first_name: client.firstName },
        from: {
          id: client.chatId,
          is_bot: false,
          first_name: client.firstName,
          last_name: client.lastName,
          language_code: 'en',
        },
        text,
      },
    },
  });
  expect(response.status(), await response.text()).toBe(200);
  expect(await response.json()).toMatchObject({ ok: true, status: 'stored' });
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

export async function setTelegramBehaviour(request: APIRequestContext, chatId: number, behaviour: Behaviour) {
  const response = await request.post(`${TELEGRAM_API_ROOT}/__behaviour`, { data: { chatId, behaviour } });
  expect(response.ok()).toBe(true);
}
