// What the field cases look like to a person at the desk, in Chromium: names of invisible or
// reordering characters are visible, clickable labels; forwarded messages say where they came
// from; replies quote the message they answer; stickers show their emoji.
import { expect, test, type APIRequestContext } from '@playwright/test';
import { loadFieldCase } from '../support/field-cases';
import { ClientsPage } from './pages/clients-page';
import { LoginPage } from './pages/login-page';
import { ADMIN_EMAIL, ADMIN_PASSWORD, WEBHOOK_SECRET } from './support/e2e-env';

async function postCase(request: APIRequestContext, id: string, take?: number) {
  for (const input of loadFieldCase(id).inputs.slice(0, take)) {
    const response = await request.post('/api/telegram/webhook', {
      headers: { 'X-Telegram-Bot-Api-Secret-Token': WEBHOOK_SECRET },
      data: input.update,
    });
    expect(response.status(), input.label).toBe(200);
  }
}

test('C19, C05, C06, C14: the desk shows untrusted names, forwards, replies and stickers as a person expects', async ({
  page,
  request,
}) => {
  await postCase(request, 'C19');
  await postCase(request, 'C05');
  await postCase(request, 'C01', 3);
  await postCase(request, 'C06');
  await postCase(request, 'C14');

  await new LoginPage(page).signInAs(ADMIN_EMAIL, ADMIN_PASSWORD);
  const clients = new ClientsPage(page);
  for (const name of ['Telegram user 772000119', '@zw_name_case', 'Ivan gnp.exe Petrov']) {
    const link = clients.clientLink(name);
    await expect(link).toBeVisible();
    // Polled: the live list may re-render (new clients arrive) between finding and measuring.
    await expect
      .poll(async () => (await link.boundingBox())?.width ?? 0, {
        message: `${name} is wide enough to click`,
      })
      .toBeGreaterThan(40);
  }
  await page.screenshot({ path: 'test-results/field-cases-names.png', fullPage: true });
  await clients.openChat('Telegram user 772000119');

  await page.goto('/clients');
  const forwards = await clients.openChat('Forward Probe');
  void forwards;
  const origins = page.getByTestId('forwarded-from');
  await expect(origins).toHaveCount(3);
  await expect(origins.nth(0)).toContainText('Forwarded from Shop News (channel)');
  await expect(origins.nth(1)).toContainText('Forwarded from Courier Dmitry (hidden account)');
  await expect(origins.nth(2)).toContainText('Forwarded from Post Office');
  await page.screenshot({ path: 'test-results/field-cases-forwards.png', fullPage: true });

  await page.goto('/clients');
  await clients.openChat('Album Order');
  const quotes = page.getByTestId('reply-quote');
  await expect(quotes).toHaveCount(3);
  await expect(quotes.nth(0)).toContainText('Photo 1 of 3: the damaged box');
  await expect(quotes.nth(1)).toContainText('Item 2 of 3 of the album');
  await page.screenshot({ path: 'test-results/field-cases-replies.png', fullPage: true });

  await page.goto('/clients');
  await clients.openChat('Sticker Fan');
  await expect(page.getByTestId('sticker-emoji')).toHaveCount(3);
  await expect(page.getByTestId('sticker-emoji').first()).toContainText('😡');
  await page.screenshot({ path: 'test-results/field-cases-stickers.png', fullPage: true });
});
