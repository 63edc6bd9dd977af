// axe-core in the browser tests: the WCAG 2.1 A/AA rules (colour contrast included), with only
// serious and critical violations counted — the bar the dashboard issue sets for every page.
import AxeBuilder from '@axe-core/playwright';
import { expect, type Page, type TestInfo } from '@playwright/test';

/**
 * Runs axe-core on the page as it is now and returns one line per serious or critical violation:
 * the rule, its impact, how many elements and the first three offending selectors — enough for
 * a failure message to say what to fix. Empty when the page passes.
 */
export async function seriousViolations(page: Page): Promise<string[]> {
  const results = await new AxeBuilder({ page })
    .withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'])
    // The Telegram Login Widget is Telegram's own iframe: not ours to fix.
    .exclude('iframe[id^="telegram-login"]')
    .analyze();
  return results.violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map(
      (v) =>
        `${v.id} (${v.impact}, ${v.nodes.length} elements): ${v.help} — ${v.nodes
          .slice(0, 3)
          .map((n) => n.target.join(' '))
          .join(' | ')}`,
    );
}

/**
 * What the role-day tests do on each page they reach: axe-core finds no serious or critical
 * violation, and a screenshot of the page (the viewport's full scroll height) is attached to
 * the test's report as `<name>.png`, written under the test's output directory.
 */
export async function checkPage(page: Page, testInfo: TestInfo, name: string) {
  await page.waitForLoadState('load');
  // Running CSS transitions first (at most 2 s): a button fading back from disabled (daisyUI's
  // colour transition) has a contrast that is neither of its states.
  await page.evaluate(() =>
    Promise.race([
      Promise.all(
        document
          .getAnimations()
          .filter((a) => a instanceof CSSTransition)
          .map((a) => a.finished.catch(() => undefined)),
      ),
      new Promise((resolve) => setTimeout(resolve, 2_000)),
    ]),
  );
  expect(await seriousViolations(page), `axe on ${name} (${page.url()})`).toEqual([]);
  const file = testInfo.outputPath(`${name}.png`);
  await page.screenshot({ path: file, fullPage: true });
  await testInfo.attach(name, { path: file, contentType: 'image/png' });
}
