// The chat in Chromium against the production build: a long history opens at its newest message
// and scrolls back to its oldest; the client's new messages appear live; internal notes never
// reach Telegram; the header's transitions; the draft, the focus and the keyboard.
import fs from 'node:fs';
import path from 'node:path';
import { expect, test, type Page } from '@playwright/test';
import { z } from 'zod';
import { ChatPage } from './pages/chat-page';
import { ClientsPage } from './pages/clients-page';
import { LoginPage } from './pages/login-page';
import {
  ADMIN_EMAIL,
  ADMIN_PASSWORD,
  LONG_CHAT_FILE,
  LONG_CHAT_MESSAGES,
  longChatText,
} from './support/e2e-env';
import {
  sendClientMessage,
  telegramCalls,
  uniqueClient,
  waitForCall,
  type E2eClient,
} from './support/telegram';
import { markPage, pageMark } from './support/page-mark';

function readLongChat() {
  const file = path.resolve(process.cwd(), LONG_CHAT_FILE);
  return z
    .object({ clientId: z.uuid(), displayName: z.string() })
    .parse(JSON.parse(fs.readFileSync(file, 'utf8')));
}

/** A new client writes; the admin signs in and opens their chat from the clients list. */
async function adminOpensNewClient(page: Page, client: E2eClient, text: string): Promise<ChatPage> {
  await sendClientMessage(page.request, client, text);
  await new LoginPage(page).signInAs(ADMIN_EMAIL, ADMIN_PASSWORD);
  const chat = await new ClientsPage(page).openChat(client.displayName);
  await expect(chat.message(text, 'inbound')).toBeVisible();
  await chat.waitForDeliveriesToSettle();
  return chat;
}

/** Resolves the client so the seeded operators' capacity is free for the specs that follow. */
async function resolveAtTheEnd(chat: ChatPage) {
  await chat.resolve.click();
  await expect(chat.status).toHaveAttribute('data-status', 'resolved');
}

test('a long history opens at its newest message and scrolls back to the oldest, keeping the place', async ({
  page,
}) => {
  // 1,200 messages: 24 pages of 50 to scroll back through.
  test.setTimeout(150_000);
  const long = readLongChat();
  await new LoginPage(page).signInAs(ADMIN_EMAIL, ADMIN_PASSWORD);
  const chat = new ChatPage(page);
  await chat.goto(long.clientId, long.displayName);

  // The newest page only, scrolled to its end.
  await expect(chat.message(longChatText(LONG_CHAT_MESSAGES), 'outbound')).toBeInViewport();
  await expect(chat.messages).toHaveCount(50);
  await expect(chat.message(longChatText(1), 'inbound')).toHaveCount(0);
  await page.screenshot({ path: 'test-results/chat-long-history.png', fullPage: true });

  // At the top, the older page is prepended and the message that was first stays in view.
  const firstShown = chat.message(longChatText(LONG_CHAT_MESSAGES - 49), 'inbound');
  await chat.scrollToTop();
  await expect(chat.messages).toHaveCount(100);
  await expect(firstShown).toBeInViewport();
  expect(await chat.scrollTop()).toBeGreaterThan(0);

  // On to the beginning, a page at a time.
  await expect
    .poll(
      async () => {
        await chat.scrollToTop();
        return chat.messages.count();
      },
      // Polled often: each poll scrolls up once more, so the interval paces the whole way back.
      { timeout: 100_000, intervals: [250], message: 'scrolling back never reached the first message' },
    )
    .toBe(LONG_CHAT_MESSAGES);
  await expect(page.getByTestId('history-start')).toBeVisible();
  await chat.scrollToTop();
  await expect(chat.message(longChatText(1), 'inbound')).toBeInViewport();
  // Each message once, in order.
  const texts = await chat.messages.locator('.chat-bubble').allInnerTexts();
  expect(texts).toEqual(Array.from({ length: LONG_CHAT_MESSAGES }, (_, i) => longChatText(i + 1)));
});

test('the client’s new messages appear live; scrolled up, a button counts them', async ({ page }) => {
  const client = uniqueClient('Lena');
  // Enough history to scroll.
  for (let i = 1; i <= 14; i += 1)
    await sendClientMessage(page.request, client, `Line ${i} ${client.chatId}`);
  const chat = await adminOpensNewClient(page, client, `Line 15 ${client.chatId}`);
  await markPage(page);

  // At the bottom: followed.
  const live = `Are you there? ${client.chatId}`;
  await sendClientMessage(page.request, client, live);
  await expect(chat.message(live, 'inbound')).toBeInViewport();
  await expect(chat.newMessages).toHaveCount(0);

  // Scrolled up: counted, not followed; the button brings the reader down.
  await chat.scrollToTop();
  const later = `Hello?? ${client.chatId}`;
  await sendClientMessage(page.request, client, later);
  await expect(chat.newMessages).toHaveText('1 new message ↓');
  await expect(chat.message(later, 'inbound')).not.toBeInViewport();
  await chat.newMessages.click();
  await expect(chat.message(later, 'inbound')).toBeInViewport();
  await expect(chat.newMessages).toHaveCount(0);

  expect(await pageMark(page), 'the page was reloaded').toBe('still here');
  await page.screenshot({ path: 'test-results/chat-live.png', fullPage: true });
  await resolveAtTheEnd(chat);
});

test('an internal note shows as a note and never reaches Telegram; the reply after it does', async ({
  page,
}) => {
  const client = uniqueClient('Nils');
  const chat = await adminOpensNewClient(page, client, `My parcel is late ${client.chatId}`);
  await markPage(page);

  const note = `Courier says Friday, do not promise earlier ${client.chatId}`;
  await chat.writeNote(note);
  const shown = chat.message(note, 'internal');
  await expect(shown).toBeVisible();
  await expect(shown.getByTestId('internal-note')).toContainText('Internal note');
  await expect(shown.getByTestId('delivery-status')).toHaveCount(0);
  await expect(chat.note).toBeFocused();

  // A reply sent after the note reaches the Bot API; the note never did.
  await chat.replyMode.click();
  const reply = `It arrives on Friday (${client.chatId})`;
  await chat.sendReply(reply);
  await expect(chat.reply).toBeFocused();
  await waitForCall(
    page.request,
    'the reply after the note',
    (c) => Number(c.payload.chat_id) === client.chatId && c.payload.text === reply,
  );
  const leaked = (await telegramCalls(page.request)).filter((c) => JSON.stringify(c.payload).includes(note));
  expect(leaked).toEqual([]);
  expect(await pageMark(page), 'the page was reloaded').toBe('still here');
  await page.screenshot({ path: 'test-results/chat-note.png', fullPage: true });
  await resolveAtTheEnd(chat);
});

test('take, assign, transfer, resolve and reopen from the chat header', async ({ page }) => {
  const client = uniqueClient('Tara');
  const chat = await adminOpensNewClient(page, client, `Can someone help? ${client.chatId}`);
  await expect(chat.department).toHaveText('Department: General');
  await markPage(page);

  await chat.assignTo.selectOption({ label: 'Back to the queue' });
  await expect(chat.assignedOperator).toHaveText('Operator: in queue');
  await chat.take.click();
  await expect(chat.assignedOperator).toHaveText('Operator: Admin');
  await expect(chat.take).toHaveCount(0);

  await chat.assignTo.selectOption({ label: 'Mark' });
  await expect(chat.assignedOperator).toHaveText('Operator: Mark');
  // Mark works in Delivery too: he keeps the client there.
  await chat.transferTo.selectOption({ label: 'Delivery' });
  await expect(chat.department).toHaveText('Department: Delivery');
  await expect(chat.assignedOperator).toHaveText('Operator: Mark');
  // He does not work in Billing: the client is routed there afresh.
  await chat.transferTo.selectOption({ label: 'Billing' });
  await expect(chat.department).toHaveText('Department: Billing');
  await expect(chat.assignedOperator).not.toHaveText('Operator: Mark');

  await chat.resolve.click();
  await expect(chat.status).toHaveAttribute('data-status', 'resolved');
  await expect(chat.resolve).toHaveCount(0);
  await chat.reopen.click();
  await expect(chat.status).toHaveAttribute('data-status', /^(new|waiting)$/);
  await expect(page.getByTestId('episode')).toHaveCount(1);
  await expect(chat.error).toHaveCount(0);
  expect(await pageMark(page), 'the page was reloaded').toBe('still here');
  await page.screenshot({ path: 'test-results/chat-header-actions.png', fullPage: true });
  await resolveAtTheEnd(chat);
});

test('the draft survives navigation; Ctrl+Enter sends; the keyboard moves between conversations', async ({
  page,
}) => {
  const other = uniqueClient('Olav');
  await sendClientMessage(page.request, other, `Another open conversation ${other.chatId}`);
  const client = uniqueClient('Dora');
  const chat = await adminOpensNewClient(page, client, `About my invoice ${client.chatId}`);
  const url = page.url();

  const draft = `Half-written answer ${client.chatId}`;
  await chat.reply.fill(draft);
  await page.getByRole('link', { name: 'Back to clients' }).click();
  await expect(page).toHaveURL(/\/clients$/);
  await new ClientsPage(page).openChat(client.displayName);
  await expect(chat.reply).toHaveValue(draft);
  await page.reload();
  await expect(chat.reply).toHaveValue(draft);

  // Ctrl+Enter sends it; the composer empties, keeps the focus, and the draft is gone.
  await chat.reply.focus();
  await chat.reply.press('Control+Enter');
  await expect(chat.reply).toHaveValue('');
  await expect(chat.reply).toBeFocused();
  await expect(chat.message(draft, 'outbound').getByTestId('delivery-status')).toHaveText('sent');
  await page.reload();
  await expect(chat.reply).toHaveValue('');

  // `?` lists the shortcuts; Escape closes the list.
  await page.evaluate(() => (document.activeElement as HTMLElement | null)?.blur());
  await page.keyboard.press('?');
  const help = page.getByRole('dialog', { name: 'Keyboard shortcuts' });
  await expect(help).toBeVisible();
  await page.screenshot({ path: 'test-results/chat-shortcuts.png', fullPage: true });
  await page.keyboard.press('Escape');
  await expect(help).toBeHidden();

  // Alt+↓ opens the next open conversation in the list, Alt+↑ comes back.
  await chat.reply.focus();
  await page.keyboard.press('Alt+ArrowDown');
  await expect(page).not.toHaveURL(url);
  await expect(chat.clientName).not.toHaveText(client.displayName);
  await page.keyboard.press('Alt+ArrowUp');
  await expect(page).toHaveURL(url);
  await expect(chat.clientName).toHaveText(client.displayName);

  // Alt+R resolves.
  await page.keyboard.press('Alt+r');
  await expect(chat.status).toHaveAttribute('data-status', 'resolved');
  await page.goto('/clients');
  await (await new ClientsPage(page).openChat(other.displayName)).resolve.click();
});

test('a canned response of the department is managed in settings and inserted with / in the composer', async ({
  page,
}) => {
  const client = uniqueClient('Cara');
  await sendClientMessage(page.request, client, `When do you ship? ${client.chatId}`);
  await new LoginPage(page).signInAs(ADMIN_EMAIL, ADMIN_PASSWORD);

  const title = `ship${client.chatId.toString(36)}`;
  const body = `We ship within 2 days (${client.chatId}).`;
  await page.goto('/settings/canned-responses');
  await page.getByLabel('Department').selectOption({ label: 'General' });
  await page.getByLabel('Title').fill(title);
  await page.getByLabel('Text').fill(body);
  await page.getByRole('button', { name: 'Add a canned response' }).click();
  await expect(page.getByTestId('canned-response').filter({ hasText: `/${title}` })).toContainText(body);
  await page.screenshot({ path: 'test-results/canned-responses.png', fullPage: true });

  await page.goto('/clients');
  const chat = await new ClientsPage(page).openChat(client.displayName);
  await chat.waitForDeliveriesToSettle();
  await chat.reply.fill('Hello! ');
  await chat.reply.press('End');
  await chat.reply.pressSequentially(`/${title.slice(0, 6)}`);
  const option = page.getByRole('option', { name: new RegExp(`/${title}`) });
  await expect(option).toBeVisible();
  await page.screenshot({ path: 'test-results/chat-canned.png', fullPage: true });
  await chat.reply.press('Enter');
  await expect(chat.reply).toHaveValue(`Hello! ${body}`);
  await chat.send.click();
  await expect(chat.message(body, 'outbound').getByTestId('delivery-status')).toHaveText('sent');
  await waitForCall(
    page.request,
    'the canned response',
    (c) => Number(c.payload.chat_id) === client.chatId && c.payload.text === `Hello! ${body}`,
  );
  await resolveAtTheEnd(chat);
});

test('the chat works on a 390 px wide phone', async ({ page }) => {
  await page.setViewportSize({ width: 390, height: 844 });
  const long = readLongChat();
  await new LoginPage(page).signInAs(ADMIN_EMAIL, ADMIN_PASSWORD);
  const chat = new ChatPage(page);
  await chat.goto(long.clientId, long.displayName);
  await expect(chat.message(longChatText(LONG_CHAT_MESSAGES), 'outbound')).toBeInViewport();
  await expect(chat.reply).toBeInViewport();
  await expect(chat.reopen).toBeInViewport();
  expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
  await page.screenshot({ path: 'test-results/chat-phone.png', fullPage: true });
  // The client panel opens over the chat.
  await page.getByRole('button', { name: 'Client info' }).click();
  await expect(page.getByTestId('client-panel')).toBeInViewport();
  await page.screenshot({ path: 'test-results/chat-phone-panel.png', fullPage: true });
});
