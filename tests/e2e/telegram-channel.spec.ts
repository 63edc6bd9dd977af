// The Telegram channel end to end: operators linked to Telegram answer clients from their own
// chat with the bot, and files sent from the dashboard reach Telegram as real uploads.
import { createHash } from 'node:crypto';
import { expect, test } from '@playwright/test';
import { ClientsPage } from './pages/clients-page';
import { LoginPage } from './pages/login-page';
import { ADMIN_EMAIL, ADMIN_PASSWORD, BOT_TOKEN, INVITED_OPERATORS } from './support/e2e-env';
import { linkOperator, readInviteTokens, type LinkedOperator } from './support/operators';
import {
  sendClientMessage,
  sendPrivateMessage,
  sentMessageId,
  sentMessages,
  telegramCalls,
  uniqueClient,
  waitForCall,
} from './support/telegram';

// A real 24×24 PNG (blue and amber checkerboard), small enough to live in the test.
const PNG_BYTES = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAABgAAAAYCAIAAABvFaqvAAAALklEQVR42mNQTX6Nhr7O40ZDxKhhGDWIjgaRpw1TzahB9DRoNGWP5rVRg+hiEADR6nNOSai3rwAAAABJRU5ErkJggg==',
  'base64',
);
const sha256 = (bytes: Buffer) => createHash('sha256').update(bytes).digest('hex');

test('a linked operator answers a Telegram notification; the client gets it and the chat shows it', async ({
  page,
  request,
}) => {
  // Olga and Mark, both online, open their invite links from two new Telegram accounts.
  const tokens = readInviteTokens();
  const linked: LinkedOperator[] = [];
  for (const operator of INVITED_OPERATORS) {
    const token = tokens.get(operator.email);
    if (!token) throw new Error(`no invite token for ${operator.email}`);
    linked.push(await linkOperator(request, operator, token));
  }

  // A new client writes; whichever of the two gets the client is told in Telegram.
  const client = uniqueClient('Gina');
  const question = `Where is my parcel ${client.chatId}?`;
  await sendClientMessage(request, client, question);
  const notification = await waitForCall(
    request,
    `a notification to Olga or Mark with "${question}" (is the client queued because both are full?)`,
    (c) =>
      c.method === 'sendMessage' &&
      linked.some((o) => o.telegram.chatId === Number(c.payload.chat_id)) &&
      String(c.payload.text).includes(question),
  );
  const operator = linked.find((o) => o.telegram.chatId === Number(notification.payload.chat_id));
  if (!operator) throw new Error('the notification went to neither operator');
  expect(String(notification.payload.text)).toContain(client.displayName);

  // The operator answers by replying to the notification in their chat with the bot. The app
  // learns the notification's Telegram message id only from sendMessage's answer and records it
  // just after; the recording server logs the call on arrival, so a test (never a human) can
  // reply in between — and is then told, correctly, that it replied to nothing. Retry until
  // the reply is stored: the client must still receive it exactly once (checked below).
  const answer = `It ships today ${client.chatId}`;
  let early = 0; // replies that came before the app had recorded the notification
  await expect
    .poll(
      async () => {
        const status = await sendPrivateMessage(request, operator.telegram, answer, {
          messageId: sentMessageId(notification),
        });
        if (status !== 'stored') early += 1;
        return status;
      },
      { intervals: [100, 250, 500], timeout: 10_000 },
    )
    .toBe('stored');

  const delivered = await waitForCall(
    request,
    `the operator's answer in the client's chat`,
    (c) =>
      c.method === 'sendMessage' && Number(c.payload.chat_id) === client.chatId && c.payload.text === answer,
  );
  expect(delivered.token).toBe(BOT_TOKEN);
  expect((await sentMessages(request, client.chatId)).filter((c) => c.payload.text === answer)).toHaveLength(
    1,
  );
  // The operator is not echoed a hint or an error for the answer (only for an early reply, if
  // any): the reply was taken as an answer.
  const toOperator = (await sentMessages(request, operator.telegram.chatId)).filter(
    (c) => c.at >= notification.at,
  );
  expect(toOperator[0]?.payload.text).toBe(notification.payload.text);
  expect(toOperator.length - 1).toBeLessThanOrEqual(early);

  // The admin sees the answer in the client's chat, sent, under the operator's name.
  await new LoginPage(page).signInAs(ADMIN_EMAIL, ADMIN_PASSWORD);
  const chat = await new ClientsPage(page).openChat(client.displayName);
  await expect(chat.assignedOperator).toHaveText(`Operator: ${operator.name}`);
  await expect(chat.message(question, 'inbound')).toBeVisible();
  const reply = chat.message(answer, 'outbound');
  await expect(reply).toHaveCount(1);
  await expect(reply.getByTestId('delivery-status')).toHaveText('sent');
  await expect(chat.author(reply)).toContainText(operator.name);

  await page.screenshot({ path: 'test-results/operator-telegram-reply.png', fullPage: true });
});

test('a photo sent from the dashboard reaches the Bot API as a multipart sendPhoto upload', async ({
  page,
  request,
}) => {
  const client = uniqueClient('Hugo');
  const inbound = `Can you send me the label? ${client.chatId}`;
  await sendClientMessage(request, client, inbound);

  await new LoginPage(page).signInAs(ADMIN_EMAIL, ADMIN_PASSWORD);
  const chat = await new ClientsPage(page).openChat(client.displayName);
  await expect(chat.message(inbound, 'inbound')).toBeVisible();
  await chat.waitForDeliveriesToSettle();

  const caption = `Your label ${client.chatId}`;
  const fileName = `label-${client.chatId}.png`;
  await chat.sendFile({ name: fileName, mimeType: 'image/png', buffer: PNG_BYTES }, caption);

  const outbound = chat.message(caption, 'outbound');
  await expect(outbound.getByTestId('delivery-status')).toHaveText('sent');

  // Exactly one upload for this chat, carrying our bytes, with the caption.
  const uploads = (await telegramCalls(request)).filter(
    (c) => c.method === 'sendPhoto' && Number(c.payload.chat_id) === client.chatId,
  );
  expect(uploads).toHaveLength(1);
  const upload = uploads[0];
  expect(upload?.token).toBe(BOT_TOKEN);
  expect(upload?.payload).toMatchObject({
    __multipart: true,
    caption,
    photo: {
      __file: true,
      name: fileName,
      type: 'image/png',
      size: PNG_BYTES.length,
      sha256: sha256(PNG_BYTES),
    },
  });

  // The chat shows the photo from our own storage, and it really loads.
  const image = chat.image(outbound);
  await expect(image).toHaveAttribute('src', /^\/api\/files\/[0-9a-f-]{36}$/);
  await image.scrollIntoViewIfNeeded();
  await expect
    .poll(() => image.evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth))
    .toBe(24);
  const src = await image.getAttribute('src');
  if (!src) throw new Error('the thumbnail has no src');
  // page.request shares the browser's session cookie: the files route is for signed-in staff.
  const served = await page.request.get(src);
  expect(served.status()).toBe(200);
  expect(served.headers()['content-type']).toBe('image/png');
  expect(sha256(await served.body())).toBe(sha256(PNG_BYTES));

  await page.screenshot({ path: 'test-results/photo-upload.png', fullPage: true });
});
