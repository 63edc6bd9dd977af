// The README's screenshots (docs/screenshots/*.png), taken from the production build with the
// demo seed: overview, kanban and a chat, 1280×800, light theme. Rewritten only on request —
//   UPDATE_SCREENSHOTS=1 npx playwright test readme-screenshots
// against freshly started e2e servers (so the desk shows the seed, not earlier tests' clients).
import path from 'node:path';
import { expect, test } from '@playwright/test';
import { ClientsPage } from './pages/clients-page';
import { KanbanPage } from './pages/kanban-page';
import { LoginPage } from './pages/login-page';
import { OverviewPage } from './pages/overview-page';
import { ADMIN_EMAIL, ADMIN_PASSWORD } from './support/e2e-env';
import { useTheme } from './support/theme';

const DIR = path.resolve(process.cwd(), 'docs/screenshots');

test.use({ viewport: { width: 1280, height: 800 } });

test('README screenshots of the overview, the kanban and a chat', async ({ page }) => {
  test.skip(process.env.UPDATE_SCREENSHOTS !== '1', 'set UPDATE_SCREENSHOTS=1 to rewrite docs/screenshots');
  await useTheme(page, 'light');
  await new LoginPage(page).signInAs(ADMIN_EMAIL, ADMIN_PASSWORD);
  await expect(page.locator('html')).toHaveAttribute('data-theme', 'light');

  // A seeded conversation answered, so the chat shows both sides.
  const chat = await new ClientsPage(page).openChat('James Miller');
  await chat.waitForDeliveriesToSettle();
  const reply = 'Hi James! Order #4821 left our warehouse yesterday — it should reach you on Friday.';
  if ((await chat.message(reply, 'outbound').count()) === 0) await chat.sendReply(reply);
  await expect(chat.message(reply, 'outbound').getByTestId('delivery-status')).toHaveText('sent');
  await chat.reply.blur();
  await page.screenshot({ path: path.join(DIR, 'chat.png') });

  const overview = new OverviewPage(page);
  await overview.goto();
  await expect(overview.card('stat-open')).toBeVisible();
  await page.screenshot({ path: path.join(DIR, 'overview.png') });

  const kanban = new KanbanPage(page);
  await kanban.goto();
  await expect(kanban.card('James Miller')).toBeVisible();
  await page.screenshot({ path: path.join(DIR, 'kanban.png') });
});
