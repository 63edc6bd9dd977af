// The foundation flow in a real browser against `next build && next start`: a Telegram user
// writes to the bot (webhook), the admin sees them, replies, and the reply reaches the Bot API —
// or, when Telegram refuses it, the chat says so.
import { expect, test, type Page } from '@playwright/test';
import type { ChatPage } from './pages/chat-page';
import { ClientsPage } from './pages/clients-page';
import { LoginPage } from './pages/login-page';
import { ADMIN_EMAIL, ADMIN_PASSWORD, BOT_TOKEN } from './support/e2e-env';
import {
  sendClientMessage,
  sentMessages,
  setTelegramBehaviour,
  uniqueClient,
  type E2eClient,
} from './support/telegram';

/** Signs in as the admin and opens the client's chat from the clients list. */
async function openChatFromList(page: Page, client: E2eClient, screenshot?: string): Promise<ChatPage> {
  await new LoginPage(page).signInAs(ADMIN_EMAIL, ADMIN_PASSWORD);
  const clients = new ClientsPage(page);
  if (screenshot) {
    await expect(clients.clientLink(client.displayName)).toBeVisible();
    await page.screenshot({ path: screenshot, fullPage: true });
  }
  return clients.openChat(client.displayName);
}

test('admin sees a new Telegram client and replies; the Bot API receives it and the chat shows sent', async ({
  page,
  request,
}) => {
  const client = uniqueClient('Erin');
  const inbound = `Hello from e2e ${client.chatId}`;
  await sendClientMessage(request, client, inbound);

  const chat = await openChatFromList(page, client, 'test-results/clients-list.png');
  await expect(chat.message(inbound, 'inbound')).toBeVisible();
  await chat.waitForDeliveriesToSettle();

  const reply = `Hi Erin, your order ships today (${client.chatId})`;
  await chat.sendReply(reply);

  const outbound = chat.message(reply, 'outbound');
  await expect(outbound.getByTestId('delivery-status')).toHaveText('sent');
  await expect(outbound.getByTestId('delivery-error')).toHaveCount(0);

  const calls = (await sentMessages(request, client.chatId)).filter((c) => c.payload.text === reply);
  expect(calls).toHaveLength(1);
  expect(calls[0]?.token).toBe(BOT_TOKEN);

  await page.screenshot({ path: 'test-results/chat.png', fullPage: true });
});

test('a reply Telegram refuses shows failed with the reason in the chat', async ({ page, request }) => {
  const client = uniqueClient('Finn');
  const inbound = `Is anyone there? ${client.chatId}`;
  await sendClientMessage(request, client, inbound);

  const chat = await openChatFromList(page, client);
  await expect(chat.message(inbound, 'inbound')).toBeVisible();
  // A queued-client auto-reply must not use up the failure meant for the operator's reply.
  await chat.waitForDeliveriesToSettle();
  await setTelegramBehaviour(request, client.chatId, {
    kind: 'error',
    code: 400,
    description: 'Bad Request: chat not found',
    times: 1,
  });

  const reply = `This reply cannot be delivered (${client.chatId})`;
  await chat.sendReply(reply);

  const outbound = chat.message(reply, 'outbound');
  await expect(outbound.getByTestId('delivery-status')).toHaveText('failed');
  await expect(outbound.getByTestId('delivery-error')).toContainText('chat not found');
  await expect(outbound.getByRole('button', { name: /retry/i })).toBeVisible();

  // The app did try: the refusal came from the Bot API, not from a skipped send.
  const attempts = (await sentMessages(request, client.chatId)).filter((c) => c.payload.text === reply);
  expect(attempts.length).toBeGreaterThanOrEqual(1);

  await page.screenshot({ path: 'test-results/chat-failed.png', fullPage: true });
});

test('a wrong password keeps the operator on the login page with an error', async ({ page }) => {
  const login = new LoginPage(page);
  await login.goto();
  await login.signIn(ADMIN_EMAIL, 'not-the-password');
  await expect(login.error).toContainText('Wrong email or password');
  await expect(page).toHaveURL(/\/login/);
  await expect(page.getByTestId('clients-table')).toHaveCount(0);
});
