// Proof that a page changed without a reload: a mark set on `window` survives client-side
// updates and navigations, and is lost by a reload or a full page load.
import type { Page } from '@playwright/test';

type Marked = { e2eMark?: string };

/** Marks the page's window. */
export async function markPage(page: Page) {
  await page.evaluate(() => {
    (window as unknown as Marked).e2eMark = 'still here';
  });
}

/** `'still here'` while the page has not been reloaded since markPage, else undefined. */
export async function pageMark(page: Page): Promise<string | undefined> {
  return page.evaluate(() => (window as unknown as Marked).e2eMark);
}
