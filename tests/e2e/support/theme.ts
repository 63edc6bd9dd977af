import type { Page } from '@playwright/test';
import { APP_URL } from './e2e-env';

export type Theme = 'light' | 'dark';

/** Picks the desk's theme for the page's context (the cookie the profile menu sets). */
export async function useTheme(page: Page, theme: Theme) {
  await page.context().addCookies([{ name: 'desk-theme', value: theme, url: APP_URL }]);
}
