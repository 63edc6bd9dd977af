// Settings → Jobs against the production build: an admin sees every job with its schedule,
// runs one as a dry run and for real and sees the outcome, changes the retention; the run is
// audited; people who are not admins get the 404 page.
import { expect, test } from '@playwright/test';
import { LoginPage } from './pages/login-page';
import { ADMIN_EMAIL, ADMIN_PASSWORD } from './support/e2e-env';

test('an admin runs a job as a dry run and for real, sees the outcome, and changes the retention', async ({
  page,
}) => {
  await new LoginPage(page).signInAs(ADMIN_EMAIL, ADMIN_PASSWORD);
  await page.goto('/settings/jobs');
  await expect(page.getByRole('heading', { name: 'Jobs', level: 1 })).toBeVisible();
  await expect(page.getByRole('link', { name: 'Jobs' })).toHaveAttribute('aria-current', 'page');
  const cleanup = page.getByTestId('job-cleanup-old-logs');
  await expect(cleanup.getByRole('heading', { name: 'Clean up old logs' })).toBeVisible();
  await expect(cleanup).toContainText('17 3 * * * (UTC)');
  await expect(cleanup).toContainText('next ');

  await cleanup.getByRole('button', { name: 'Dry run of Clean up old logs: count, change nothing' }).click();
  await expect(cleanup.getByRole('status')).toHaveText(/^Done in [\d,]+ ms\.$/);
  await expect(cleanup.getByTestId('last-run')).toContainText('run now · dry run');
  await expect(cleanup.getByTestId('last-result')).toContainText('log entries: 0');

  await cleanup.getByRole('button', { name: 'Run now: Clean up old logs' }).click();
  await expect(cleanup.getByTestId('last-run')).not.toContainText('dry run');
  await expect(cleanup.getByTestId('last-run')).toContainText('done');
  // Its two runs (other specs run other jobs).
  await expect(page.getByTestId('job-run').filter({ hasText: 'Clean up old logs' })).toHaveCount(2);

  const days = page.getByLabel('Operator log, days');
  await days.fill('0');
  await page.getByRole('button', { name: 'Save' }).click();
  // The browser's own range check stops 0 before it is sent.
  expect(await days.evaluate((input: HTMLInputElement) => input.validity.rangeUnderflow)).toBe(true);
  await days.fill('180');
  await page.getByRole('button', { name: 'Save' }).click();
  await expect(page.getByText('Saved.')).toBeVisible();
  await page.reload();
  await expect(page.getByLabel('Operator log, days')).toHaveValue('180');
  await page.screenshot({ path: test.info().outputPath('jobs-page.png'), fullPage: true });

  // Both runs and the settings change are in the operator log.
  await page.goto('/logs?action=job.run&targetType=job&targetId=cleanup-old-logs');
  await expect(page.getByRole('row').filter({ hasText: 'job.run' })).toHaveCount(2);
});

for (const person of [
  { role: 'operator', email: 'olga@example.com' },
  { role: 'supervisor', email: 'supervisor@example.com' },
]) {
  test(`a ${person.role} gets 404 on the Jobs page`, async ({ page }) => {
    await new LoginPage(page).signInAs(person.email, ADMIN_PASSWORD);
    const response = await page.goto('/settings/jobs');
    expect(response?.status()).toBe(404);
    await expect(page.getByTestId('job-cleanup-old-logs')).toHaveCount(0);
  });
}
