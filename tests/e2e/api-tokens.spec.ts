// Settings → API tokens against the production build: an admin creates a token (shown once),
// an integration uses it, the admin revokes it and the same call is refused; the page works on
// a phone; people who are not admins neither see the page nor reach it.
import { expect, test } from '@playwright/test';
import { ApiTokensPage } from './pages/api-tokens-page';
import { LoginPage } from './pages/login-page';
import { Shell } from './pages/shell';
import { listClientsWithToken } from './support/api';
import { ADMIN_EMAIL, ADMIN_PASSWORD, APP_URL } from './support/e2e-env';

test('an admin creates a token, it works, they revoke it, and it is refused', async ({ page }) => {
  await new LoginPage(page).signInAs(ADMIN_EMAIL, ADMIN_PASSWORD);
  await new Shell(page).sidebar.getByRole('link', { name: 'Settings' }).click();
  await expect(page).toHaveURL(/\/settings\/departments$/);
  await page
    .getByRole('navigation', { name: 'Settings sections' })
    .getByRole('link', { name: 'API tokens' })
    .click();
  await expect(page).toHaveURL(/\/settings\/api-tokens$/);
  const tokens = new ApiTokensPage(page);
  await expect(tokens.heading).toBeVisible();

  // A scoped role needs a department: the form says so instead of sending.
  const name = `Shop back office ${Date.now()}`;
  await tokens.name.fill(name);
  await tokens.create.click();
  await expect(page.getByRole('alert').filter({ hasText: 'Tick at least one department' })).toBeVisible();

  const token = await tokens.createToken({ name, role: 'Supervisor', departments: ['General'] });
  await page.screenshot({ path: 'test-results/api-tokens-created.png', fullPage: true });
  const row = tokens.row(name);
  await expect(row).toContainText(token.slice(0, 12));
  await expect(row).toContainText('Supervisor');
  await expect(row).toContainText('General');
  await expect(row).toContainText('by Admin');
  await expect(row.getByTestId('api-token-state')).toHaveText('Active');

  const allowed = await listClientsWithToken(token);
  expect(allowed.status).toBe(200);
  expect(allowed.body).toMatchObject({ results: expect.any(Array) });

  // Shown once: after a reload the page has only the prefix, and the last use with its address.
  await page.reload();
  await expect(tokens.newToken).toHaveCount(0);
  expect(await page.content()).not.toContain(token);
  await expect(row).toContainText(/from (127\.0\.0\.1|::1|::ffff:127\.0\.0\.1)/);

  await tokens.revoke(name);
  const refused = await listClientsWithToken(token);
  expect(refused.status).toBe(401);
  expect(refused.type).toBe('application/problem+json');
  expect(refused.body).toMatchObject({ status: 401, detail: 'This API token was revoked.' });
  await expect(row.getByRole('button', { name: /^Revoke/ })).toHaveCount(0);

  // Both changes are in the audit trail as the admin's, with the browser's address and agent
  // (read with an admin token made on the same page, revoked afterwards).
  const reader = `Audit reader ${Date.now()}`;
  const readerToken = await tokens.createToken({ name: reader, role: 'Admin', departments: [] });
  const logs = await fetch(
    `${APP_URL}/api/v1/operator-logs?action=api_token.created,api_token.revoked&page_size=100`,
    { headers: { authorization: `Bearer ${readerToken}` } },
  );
  expect(logs.status).toBe(200);
  const { results } = (await logs.json()) as {
    results: {
      action: string;
      actor_type: string;
      actor_label: string;
      ip: string | null;
      user_agent: string | null;
      details: { name?: string };
    }[];
  };
  const rows = results.filter((r) => r.details.name === name);
  expect(rows.map((r) => r.action).sort()).toEqual(['api_token.created', 'api_token.revoked']);
  for (const audit of rows) {
    expect(audit).toMatchObject({ actor_type: 'operator', actor_label: 'Admin' });
    expect(audit.ip).toMatch(/^(127\.0\.0\.1|::1|::ffff:127\.0\.0\.1)$/);
    expect(audit.user_agent).toMatch(/Chrome/);
  }
  await tokens.revoke(reader);
});

test('the page works 390 px wide: no sideways scrolling, the form and revoking within reach', async ({
  page,
}) => {
  await page.setViewportSize({ width: 390, height: 844 });
  await new LoginPage(page).signInAs(ADMIN_EMAIL, ADMIN_PASSWORD);
  const tokens = new ApiTokensPage(page);
  await tokens.goto();
  const name = `Phone token ${Date.now()}`;
  const lastDay = new Date(Date.now() + 30 * 86_400_000).toISOString().slice(0, 10);
  await tokens.createToken({ name, role: 'Operator', departments: ['Billing'], expiresOn: lastDay });
  await expect(tokens.newToken).toBeInViewport({ ratio: 1 });
  await expect(tokens.row(name)).toContainText('Operator');
  // The chosen last day: the token stops at the next midnight in the admin's time zone.
  await expect(tokens.row(name).locator('td[data-label="Expires"]')).toHaveText(/\b20\d\d\b/);
  const revoke = tokens.row(name).getByRole('button', { name: `Revoke token “${name}”` });
  await revoke.scrollIntoViewIfNeeded();
  await expect(revoke).toBeInViewport({ ratio: 1 });
  const width = await page.evaluate(() => document.documentElement.scrollWidth);
  expect(width).toBeLessThanOrEqual(390);
  await page.screenshot({ path: 'test-results/api-tokens-390.png', fullPage: true });
  await tokens.revoke(name);
});

for (const person of [
  { role: 'operator', email: 'olga@example.com' },
  { role: 'supervisor', email: 'supervisor@example.com' },
]) {
  test(`a ${person.role} has no Settings link and gets 404 on the page`, async ({ page }) => {
    await new LoginPage(page).signInAs(person.email, ADMIN_PASSWORD);
    const sidebar = new Shell(page).sidebar;
    await expect(sidebar.getByRole('link', { name: /^Clients\b/ })).toBeVisible();
    await expect(sidebar.getByRole('link', { name: 'Settings' })).toHaveCount(0);
    const response = await page.goto('/settings/api-tokens');
    expect(response?.status()).toBe(404);
    await expect(page.getByRole('heading', { name: 'API tokens' })).toHaveCount(0);
    await expect(page.getByTestId('api-token-row')).toHaveCount(0);
  });
}
