import { expect, test } from '@playwright/test';
import { ADMIN_EMAIL, ADMIN_PASSWORD } from './support/e2e-env';
import { LoginPage } from './pages/login-page';
import { seriousViolations } from './support/axe';
import { useTheme } from './support/theme';

// axe-core on every page of the desk, in both themes, on a desktop and a 390 px phone: no
// serious or critical violation (WCAG 2.1 A/AA rules, colour contrast included). Each failure
// names the rule, the impact and the first offending elements, so the report says what to fix.

// /api/docs is Swagger UI's own markup (nested controls, its grey texts): not audited here.
const PAGES = [
  '/',
  '/kanban',
  '/clients',
  '/clients?view=queue',
  '/operators',
  '/logs',
  '/reports',
  '/settings/api-tokens',
  '/settings/canned-responses',
  '/settings/departments',
  '/settings/telegram',
  '/settings/jobs',
];
const THEMES = ['light', 'dark'] as const;
const VIEWPORTS = [
  { name: 'desktop', width: 1280, height: 800 },
  { name: 'phone', width: 390, height: 844 },
] as const;

for (const theme of THEMES) {
  test(`the sign-in page has no serious accessibility violation (${theme})`, async ({ page }) => {
    await useTheme(page, theme);
    for (const viewport of VIEWPORTS) {
      await page.setViewportSize(viewport);
      await new LoginPage(page).goto();
      expect(await seriousViolations(page), `/login ${viewport.name}`).toEqual([]);
    }
  });

  test(`the desk's pages have no serious accessibility violation (${theme})`, async ({ page }) => {
    test.setTimeout(180_000);
    await useTheme(page, theme);
    await new LoginPage(page).signInAs(ADMIN_EMAIL, ADMIN_PASSWORD);
    // A chat with messages from the seed: the first client of the list.
    await page.goto('/clients');
    const firstChat = await page.locator('a[href^="/clients/"]').first().getAttribute('href');
    const pages = [...PAGES, ...(firstChat ? [firstChat] : [])];
    expect(firstChat, 'the seed has a client to open').toBeTruthy();
    const found: string[] = [];
    for (const viewport of VIEWPORTS) {
      await page.setViewportSize(viewport);
      for (const path of pages) {
        await page.goto(path);
        await page.waitForLoadState('load');
        for (const v of await seriousViolations(page)) found.push(`${path} ${viewport.name}: ${v}`);
      }
    }
    expect(found).toEqual([]);
  });
}
