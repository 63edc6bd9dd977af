// Operators and the operator log in a real browser against the production build: an admin
// creates an operator, changes their capacity, issues a Telegram invite (which a Telegram user
// then opens) and deactivates them; the log shows each action, filtered, and its CSV export
// holds exactly the filtered rows. A supervisor created on the way sees only their department's
// operators and log entries; an operator sees only their own actions.
import { expect, test } from '@playwright/test';
import { LoginPage } from './pages/login-page';
import { LogsPage } from './pages/logs-page';
import { OperatorsPage } from './pages/operators-page';
import { ADMIN_EMAIL, ADMIN_PASSWORD, BOT_USERNAME } from './support/e2e-env';
import { sendPrivateMessage, uniqueTelegramUser, waitForCall } from './support/telegram';

// Unique per run: the e2e server (and its database) may be reused between runs.
const run = Date.now().toString(36);
const pavel = { name: `Pavel ${run}`, email: `pavel-${run}@example.com` };
const dora = { name: `Dora ${run}`, email: `dora-${run}@example.com`, password: `dora-pw-${run}` };

test.describe.serial('operators and the operator log', () => {
  let pavelId = '';
  let olgaId = '';
  const telegram = uniqueTelegramUser('Pavel');

  test('an admin creates an operator, changes the capacity, invites and deactivates them', async ({
    page,
    request,
  }) => {
    await new LoginPage(page).signInAs(ADMIN_EMAIL, ADMIN_PASSWORD);
    await page.getByTestId('sidebar').getByRole('link', { name: 'Operators' }).click();
    const operators = new OperatorsPage(page);
    await expect(operators.table).toBeVisible();

    await operators.create({ ...pavel, role: 'operator', capacity: 4, departments: ['Billing'] });
    pavelId = await operators.idOf(pavel.name);
    olgaId = await operators.idOf('Olga');
    const row = operators.row(pavel.name);
    await expect(row.getByLabel('Load: 0 of 4 clients')).toBeVisible();
    await expect(row).toContainText('Billing');
    await expect(row).toContainText('Not linked');

    await operators.setCapacity(pavel.name, 6);
    await expect(row.getByLabel('Load: 0 of 6 clients')).toBeVisible();

    const url = await operators.issueInvite(pavel.name);
    expect(url).toMatch(new RegExp(`^https://t\\.me/${BOT_USERNAME}\\?start=op_[A-Za-z0-9_-]+$`));
    // The link works: a Telegram user opening it becomes Pavel's linked account.
    const start = new URL(url).searchParams.get('start') ?? '';
    expect(await sendPrivateMessage(request, telegram, `/start ${start}`)).toBe('handled');
    const welcome = await waitForCall(
      request,
      'the bot welcoming the invited operator',
      (c) => c.method === 'sendMessage' && Number(c.payload.chat_id) === telegram.chatId,
    );
    expect(String(welcome.payload.text)).toMatch(new RegExp(`^Welcome, ${pavel.name}! `));
    await page.reload();
    await expect(operators.row(pavel.name)).toContainText('Linked');
    await expect(operators.row(pavel.name)).not.toContainText('Not linked');

    await operators.deactivate(pavel.name);
    await expect(operators.row(pavel.name)).toContainText('Deactivated');
    await expect(
      operators.row(pavel.name).getByRole('button', { name: `Activate ${pavel.name}` }),
    ).toBeVisible();

    // The supervisor of Delivery, for the next test.
    await operators.create({ ...dora, role: 'supervisor', departments: ['Delivery'] });
    await page.screenshot({ path: 'test-results/operators.png', fullPage: true });
  });

  test('the log shows those actions, filters them, and exports exactly the filtered rows', async ({
    page,
  }) => {
    await new LoginPage(page).signInAs(ADMIN_EMAIL, ADMIN_PASSWORD);
    const operators = new OperatorsPage(page);
    await operators.goto();
    // From Pavel's row to the entries about him.
    await operators
      .row(pavel.name)
      .getByRole('link', { name: `Log ${pavel.name}` })
      .click();
    await expect(page).toHaveURL(new RegExp(`/logs\\?targetType=operator&targetId=${pavelId}$`));
    const logs = new LogsPage(page);
    await expect(logs.count).toHaveText('5 entries');
    // Newest first: deactivation, the Telegram account linking itself, invite, capacity, creation.
    expect(await logs.actions()).toEqual([
      'operator.updated',
      'operator.telegram_linked',
      'operator.invite_created',
      'operator.updated',
      'operator.created',
    ]);
    const actors = await logs.rows.locator('td:nth-child(2)').allInnerTexts();
    expect(actors.map((a) => a.replace(/\s+/g, ' '))).toEqual([
      'Admin Person',
      `Pavel ${telegram.lastName} Telegram user`,
      'Admin Person',
      'Admin Person',
      'Admin Person',
    ]);

    await logs.filter({ action: 'operator.updated' });
    await expect(logs.count).toHaveText('2 entries');
    await expect(page).toHaveURL(/action=operator\.updated/);
    const [deactivation, capacity] = [logs.rows.nth(0), logs.rows.nth(1)];
    expect(await logs.details(capacity)).toEqual({ capacity: { from: 4, to: 6 } });
    expect(await logs.details(deactivation)).toMatchObject({ isActive: { from: true, to: false } });
    await page.screenshot({ path: 'test-results/logs.png', fullPage: true });

    const { filename, records } = await logs.exportCsv();
    expect(filename).toMatch(/^operator-logs-\d{4}-\d{2}-\d{2}\.csv$/);
    expect(records.map((r) => [r.action, r.target_type, r.target_id, r.actor_label])).toEqual([
      ['operator.updated', 'operator', pavelId, 'Admin'],
      ['operator.updated', 'operator', pavelId, 'Admin'],
    ]);
    expect(JSON.parse(records[1]?.details ?? '{}')).toEqual({ capacity: { from: 4, to: 6 } });
    // The export is itself on the record, with the query it ran.
    await page.goto('/logs?action=operator_logs.exported');
    const exported = await logs.details(logs.rows.first());
    expect(exported).toMatchObject({
      query: { action: ['operator.updated'], targetType: 'operator', targetId: pavelId },
    });
  });

  test('a supervisor sees only their department’s operators and log entries', async ({ page }) => {
    await new LoginPage(page).signInAs(dora.email, dora.password);
    const operators = new OperatorsPage(page);
    await operators.goto();
    await expect(page.getByText('You see the operators of your departments.')).toBeVisible();
    // Delivery: Mark, Nina, the seeded supervisor and admin (in every department) and Dora.
    await expect(operators.row('Nina')).toBeVisible();
    await expect(operators.row('Mark')).toBeVisible();
    await expect(operators.row(dora.name)).toContainText('you');
    await expect(operators.row('Olga')).toHaveCount(0);
    await expect(operators.row(pavel.name)).toHaveCount(0);
    await expect(page.getByRole('button', { name: 'New operator' })).toHaveCount(0);
    await expect(page.getByRole('button', { name: /^Edit / })).toHaveCount(0);

    await page.getByTestId('sidebar').getByRole('link', { name: 'Logs' }).click();
    const logs = new LogsPage(page);
    await logs.filter({ action: 'operator.created' });
    await expect(logs.rows.first()).toBeVisible();
    const targets = await logs.rows.locator('td:nth-child(4)').allInnerTexts();
    const ids = targets.map((s) => s.replace(/^operator\s+/, '').trim());
    expect(ids).not.toContain(pavelId);
    // The rows about Nina (seeded) and Dora herself, never about Olga or Pavel.
    await operators.goto();
    const ninaId = await operators.idOf('Nina');
    const doraId = await operators.idOf(dora.name);
    expect(ids).toEqual(expect.arrayContaining([ninaId, doraId]));
    expect(ids).not.toContain(olgaId);

    // The entries about Pavel do not exist for her, even asked for by id.
    await page.goto(`/logs?targetType=operator&targetId=${pavelId}`);
    await expect(logs.count).toHaveText('0 entries');
  });

  test('an operator sees their own actions only, and their colleagues read only', async ({ page }) => {
    await new LoginPage(page).signInAs('olga@example.com', ADMIN_PASSWORD);
    await page.getByTestId('sidebar').getByRole('link', { name: 'My actions' }).click();
    await expect(page.getByRole('heading', { level: 1, name: 'My actions' })).toBeVisible();
    const logs = new LogsPage(page);
    await expect(logs.rows.first()).toBeVisible();
    for (const actor of await logs.rows.locator('td:nth-child(2)').allInnerTexts())
      expect(actor).toMatch(/^Olga\s+Person$/);
    await expect(logs.filters.getByLabel('Operator')).toHaveCount(0);

    // Colleagues of her departments (General, Billing), read only: Mark, not Nina (Delivery).
    const operators = new OperatorsPage(page);
    await operators.goto();
    await expect(operators.row('Mark')).toBeVisible();
    await expect(operators.row('Nina')).toHaveCount(0);
    await expect(page.getByRole('button', { name: /^(Edit|Deactivate|Invite link) / })).toHaveCount(0);
  });

  test('both pages keep their key columns at 390 px', async ({ page }) => {
    await page.setViewportSize({ width: 390, height: 844 });
    await new LoginPage(page).signInAs(ADMIN_EMAIL, ADMIN_PASSWORD);
    const operators = new OperatorsPage(page);
    await operators.goto();
    const row = operators.row('Olga');
    await row.scrollIntoViewIfNeeded();
    for (const cell of [
      row.getByRole('cell').first(),
      row.getByTestId('operator-load'),
      row.getByRole('button', { name: 'Edit Olga' }),
    ])
      await expect(cell).toBeInViewport({ ratio: 1 });
    await page.screenshot({ path: 'test-results/operators-390.png', fullPage: true });

    await page.goto('/logs');
    const logs = new LogsPage(page);
    const first = logs.rows.first();
    await first.scrollIntoViewIfNeeded();
    await expect(first.getByRole('button', { name: /^Details/ })).toBeInViewport({ ratio: 1 });
    await expect(first.locator('td:nth-child(3)')).toBeInViewport({ ratio: 1 });
    // Each action name stays whole: an inline element broken across lines has one box a line.
    const lines = await logs.rows
      .locator('td:nth-child(3) code')
      .evaluateAll((codes) => codes.map((c) => [c.textContent, c.getClientRects().length]));
    expect(lines.length).toBeGreaterThan(0);
    expect(lines.filter(([, boxes]) => boxes !== 1)).toEqual([]);
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
    await page.screenshot({ path: 'test-results/logs-390.png', fullPage: true });
  });
});
