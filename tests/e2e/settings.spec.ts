// Settings against the production build: an admin adds a department, sees it listed, edits it,
// is refused a taken name and deactivates it; the Telegram bot page shows what the recording Bot
// API server reports for getMe and getWebhookInfo (never the token); people who are not admins
// get 404 on both pages.
import { expect, test } from '@playwright/test';
import { LoginPage } from './pages/login-page';
import { Shell } from './pages/shell';
import { ADMIN_EMAIL, ADMIN_PASSWORD, APP_URL, BOT_TOKEN, TELEGRAM_API_ROOT } from './support/e2e-env';

test('an admin adds a department, edits it and deactivates it', async ({ page }) => {
  await new LoginPage(page).signInAs(ADMIN_EMAIL, ADMIN_PASSWORD);
  await new Shell(page).sidebar.getByRole('link', { name: 'Settings' }).click();
  await expect(page).toHaveURL(/\/settings\/departments$/);
  await expect(page.getByRole('heading', { name: 'Departments', level: 1 })).toBeVisible();
  const tabs = page.getByRole('navigation', { name: 'Settings sections' });
  await expect(tabs.getByRole('link', { name: 'Departments' })).toHaveAttribute('aria-current', 'page');
  await expect(tabs.getByRole('link', { name: 'Telegram bot' })).toBeVisible();

  const name = `Returns ${Date.now()}`;
  await page.getByText('Add a department').click();
  const form = page.getByTestId('department-form');
  await form.getByLabel('Name').fill(name);
  await form.getByLabel('Default capacity').fill('7');
  await form.getByLabel('Response-time limit (seconds)').fill('900');
  await form.getByLabel('Always open').uncheck();
  await form.getByLabel('Time zone').fill('Europe/Berlin');
  await form.getByLabel('Monday').fill('09:00-13:00, 14:00-17:30');
  await form.getByLabel('Saturday').fill('10:00-12:00');
  const greeting = form.getByRole('group', { name: 'Greeting' });
  await greeting.getByRole('button', { name: 'Add a language' }).click();
  await greeting.getByLabel('Text').fill('Welcome to returns!');
  await form.getByRole('button', { name: 'Add department', exact: true }).click();
  await expect(form.getByRole('status')).toHaveText(`Department “${name}” added.`);

  const row = page.getByTestId('department-row').filter({ hasText: name });
  await expect(row.locator('td[data-label="Default capacity"]')).toHaveText('7');
  await expect(row.locator('td[data-label="Response-time limit"]')).toHaveText('15 min');
  await expect(row.locator('td[data-label="Working hours"]')).toContainText(
    'Monday 09:00–13:00, 14:00–17:30',
  );
  await expect(row.locator('td[data-label="Working hours"]')).toContainText('Saturday 10:00–12:00');
  await expect(row.locator('td[data-label="Working hours"]')).toContainText('Europe/Berlin');
  await expect(row.locator('td[data-label="Bot texts"]')).toHaveText('Greeting: default');
  await expect(row.getByTestId('department-state')).toHaveText('Active');

  // Edit: every field is in the form with its saved value.
  await row.getByRole('link', { name: `Edit department “${name}”` }).click();
  await expect(page).toHaveURL(/\?edit=/);
  const edit = page.getByTestId('department-form');
  await expect(edit.getByLabel('Monday')).toHaveValue('09:00-13:00, 14:00-17:30');
  await expect(edit.getByRole('group', { name: 'Greeting' }).getByLabel('Text')).toHaveValue(
    'Welcome to returns!',
  );
  await edit.getByLabel('Default capacity').fill('9');
  await edit.getByLabel('Always open').check();
  const offHours = edit.getByRole('group', { name: 'Auto-reply out of hours' });
  await offHours.getByRole('button', { name: 'Add a language' }).click();
  await offHours.getByLabel('Language').fill('ru');
  await offHours.getByLabel('Text').fill('Мы откроемся утром.');
  await edit.getByRole('button', { name: 'Save' }).click();
  await expect(page).toHaveURL(/\/settings\/departments$/);
  await expect(row.locator('td[data-label="Default capacity"]')).toHaveText('9');
  await expect(row.locator('td[data-label="Working hours"]')).toHaveText('Always open');
  await expect(row.locator('td[data-label="Bot texts"]')).toContainText('Auto-reply out of hours: ru');
  await page.screenshot({ path: 'test-results/settings-departments.png', fullPage: true });

  // A refusal of the domain is shown, and what was typed stays.
  await page.getByText('Add a department').click();
  await form.getByLabel('Name').fill(name.toLowerCase());
  await form.getByRole('button', { name: 'Add department', exact: true }).click();
  await expect(form.getByRole('alert')).toHaveText(
    `Not saved: A department named ${name.toLowerCase()} already exists.`,
  );
  await expect(form.getByLabel('Name')).toHaveValue(name.toLowerCase());

  page.once('dialog', (dialog) => void dialog.accept());
  await row.getByRole('button', { name: `Deactivate department “${name}”` }).click();
  await expect(row.getByTestId('department-state')).toHaveText('Inactive');
  await expect(row.getByRole('button', { name: /^Deactivate/ })).toHaveCount(0);

  // On a phone the rows are cards: nothing scrolls sideways.
  await page.setViewportSize({ width: 390, height: 844 });
  await page.reload();
  await expect(row).toBeVisible();
  expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
  await page.screenshot({ path: 'test-results/settings-departments-390.png', fullPage: true });
});

test('the Telegram bot page shows the webhook Telegram reports, without the token', async ({
  page,
  request,
}) => {
  // The recording server stores setWebhook as Telegram does, and reports failed deliveries.
  const set = await request.post(`${TELEGRAM_API_ROOT}/bot${BOT_TOKEN}/setWebhook`, {
    data: {
      url: `${APP_URL}/api/telegram/webhook`,
      max_connections: 40,
      allowed_updates: ['message', 'edited_message', 'callback_query'],
    },
  });
  expect(set.ok()).toBe(true);
  const lastErrorDate = Math.floor(Date.parse('2026-11-20T10:15:00Z') / 1000);
  await request.post(`${TELEGRAM_API_ROOT}/__webhook`, {
    data: {
      pending_update_count: 3,
      last_error_date: lastErrorDate,
      last_error_message: 'Wrong response from the webhook: 502 Bad Gateway',
    },
  });

  try {
    await new LoginPage(page).signInAs(ADMIN_EMAIL, ADMIN_PASSWORD);
    await page.goto('/settings/departments');
    await page
      .getByRole('navigation', { name: 'Settings sections' })
      .getByRole('link', { name: 'Telegram bot' })
      .click();
    await expect(page).toHaveURL(/\/settings\/telegram$/);
    await expect(page.getByTestId('bot-username')).toHaveText('@desk_test_bot');
    await expect(page.getByTestId('webhook-url')).toHaveText(`${APP_URL}/api/telegram/webhook`);
    await expect(page.getByTestId('webhook-pending')).toHaveText('3');
    await expect(page.getByTestId('webhook-last-error')).toContainText(
      'Wrong response from the webhook: 502 Bad Gateway',
    );
    await expect(page.getByTestId('webhook-last-error').locator('time')).toHaveAttribute(
      'datetime',
      new Date(lastErrorDate * 1000).toISOString(),
    );
    await expect(page.getByTestId('webhook-max-connections')).toHaveText('40');
    await expect(page.getByTestId('webhook-allowed-updates')).toHaveText(
      'message, edited_message, callback_query',
    );
    expect(await page.content()).not.toContain(BOT_TOKEN);
    await page.screenshot({ path: 'test-results/settings-telegram.png', fullPage: true });

    // Refresh asks Telegram again: the queue drained meanwhile.
    await request.post(`${TELEGRAM_API_ROOT}/__webhook`, { data: { pending_update_count: 0 } });
    await page.getByRole('button', { name: 'Refresh' }).click();
    await expect(page.getByTestId('webhook-pending')).toHaveText('0');
  } finally {
    await request.post(`${TELEGRAM_API_ROOT}/bot${BOT_TOKEN}/deleteWebhook`, { data: {} });
  }
});

for (const person of [
  { role: 'operator', email: 'olga@example.com' },
  { role: 'supervisor', email: 'supervisor@example.com' },
]) {
  test(`a ${person.role} gets 404 on the departments and Telegram settings`, async ({ page }) => {
    await new LoginPage(page).signInAs(person.email, ADMIN_PASSWORD);
    for (const path of ['/settings/departments', '/settings/telegram']) {
      const response = await page.goto(path);
      expect(response?.status(), path).toBe(404);
    }
    await expect(page.getByTestId('departments')).toHaveCount(0);
    await expect(page.getByTestId('webhook-url')).toHaveCount(0);
  });
}
