// The Reports page against the production build: an admin runs the daily-report job, a
// supervisor then sees the department's day as charts (recharts, loaded on this page only) and
// as a table, in light and dark with no serious accessibility violation; operators get a 404.
import AxeBuilder from '@axe-core/playwright';
import { expect, test, type Page } from '@playwright/test';
import { LoginPage } from './pages/login-page';
import { ADMIN_EMAIL, ADMIN_PASSWORD, APP_URL } from './support/e2e-env';

/** Yesterday in UTC: the seeded departments have no working hours, so their days are UTC's. */
function yesterdayUtc(): string {
  return new Date(Date.now() - 86_400_000).toISOString().slice(0, 10);
}

async function seriousViolations(page: Page): Promise<string[]> {
  const results = await new AxeBuilder({ page })
    .withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'])
    .analyze();
  return results.violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${v.id}: ${v.help} — ${v.nodes.map((n) => n.target.join(' ')).join(' | ')}`);
}

test('the daily report of a department shows as charts and a table to its supervisor', async ({
  page,
  browser,
}) => {
  test.setTimeout(120_000);
  await new LoginPage(page).signInAs(ADMIN_EMAIL, ADMIN_PASSWORD);
  await page.goto('/settings/jobs');
  const job = page.getByTestId('job-daily-report');
  await expect(job.getByRole('heading', { name: 'Daily report' })).toBeVisible();
  await expect(job).toContainText('5 * * * * (UTC)');
  await job.getByRole('button', { name: 'Run now: Daily report' }).click();
  await expect(job.getByTestId('last-run')).toContainText('done');

  const supervisor = await (await browser.newContext({ baseURL: APP_URL })).newPage();
  await new LoginPage(supervisor).signInAs('supervisor@example.com', ADMIN_PASSWORD);
  await supervisor.getByTestId('sidebar').getByRole('link', { name: 'Reports' }).click();
  await expect(supervisor).toHaveURL(/\/reports$/);
  await expect(supervisor.getByRole('heading', { name: 'Reports', level: 1 })).toBeVisible();
  await expect(supervisor.getByText('Days in UTC')).toBeVisible();
  const table = supervisor.getByTestId('report-table');
  await expect(table.getByRole('rowheader', { name: yesterdayUtc() })).toBeVisible();
  await expect(supervisor.getByTestId('report-charts').locator('.recharts-wrapper > svg')).toHaveCount(2);
  await expect(supervisor.getByRole('heading', { name: `Operators on ${yesterdayUtc()}` })).toBeVisible();

  // Another department through the form; the period in the URL.
  await supervisor.getByLabel('Department').selectOption({ label: 'Billing' });
  await supervisor.getByLabel('Period').selectOption({ label: 'last 7 days' });
  await supervisor.getByRole('button', { name: 'Show' }).click();
  await expect(supervisor).toHaveURL(/department=.*&days=7/);
  await expect(
    supervisor.getByTestId('report-table').getByRole('rowheader', { name: yesterdayUtc() }),
  ).toBeVisible();

  const primaryFill: string[] = [];
  for (const theme of ['light', 'dark'] as const) {
    await supervisor.context().addCookies([{ name: 'desk-theme', value: theme, url: APP_URL }]);
    await supervisor.reload();
    await expect(supervisor.getByTestId('report-charts').locator('.recharts-wrapper > svg')).toHaveCount(2);
    // The "Inbound" series is drawn in the theme's primary colour (a CSS variable), so it changes with the theme.
    const icon = supervisor
      .locator('.recharts-legend-item')
      .filter({ hasText: 'Inbound' })
      .locator('path')
      .first();
    expect(await icon.getAttribute('fill')).toBe('var(--color-primary)');
    primaryFill.push(await icon.evaluate((el) => getComputedStyle(el).fill));
    expect(await seriousViolations(supervisor), theme).toEqual([]);
    await supervisor.screenshot({ path: `test-results/reports-${theme}.png`, fullPage: true });
    // On a phone the table scrolls sideways: its region must be reachable by keyboard.
    await supervisor.setViewportSize({ width: 390, height: 844 });
    expect(await seriousViolations(supervisor), `${theme} phone`).toEqual([]);
    await supervisor.setViewportSize({ width: 1280, height: 800 });
  }
  expect(primaryFill[0]).not.toBe(primaryFill[1]);
});

test('operators get 404 on the Reports page and no link to it', async ({ page }) => {
  await new LoginPage(page).signInAs('olga@example.com', ADMIN_PASSWORD);
  await expect(page.getByTestId('sidebar').getByRole('link', { name: 'Reports' })).toHaveCount(0);
  const response = await page.goto('/reports');
  expect(response?.status()).toBe(404);
});

test('the Operators page shows each operator’s last 7 days once operator-stats has run', async ({ page }) => {
  await new LoginPage(page).signInAs(ADMIN_EMAIL, ADMIN_PASSWORD);
  await page.goto('/settings/jobs');
  const job = page.getByTestId('job-operator-stats');
  await job.getByRole('button', { name: 'Run now: Operator statistics' }).click();
  await expect(job.getByTestId('last-run')).toContainText('done');
  await page.goto('/operators');
  const table = page.getByTestId('operators-table');
  await expect(table.getByRole('columnheader', { name: 'Last 7 days' })).toBeVisible();
  const olga = table.getByTestId('operator-row').filter({ hasText: 'olga@example.com' });
  await expect(olga).toContainText(/\d+ conversations?, \d+ messages?/);
});
