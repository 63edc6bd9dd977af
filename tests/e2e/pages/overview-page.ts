import { expect, type Locator, type Page } from '@playwright/test';

/** The overview (`/`): the desk's live stats cards. */
export class OverviewPage {
  readonly heading: Locator;

  constructor(private readonly page: Page) {
    this.heading = page.getByRole('heading', { level: 1, name: 'Overview' });
  }

  async goto() {
    await this.page.goto('/');
    await expect(this.heading).toBeVisible();
  }

  /** A stats card by its test id (`stat-open`, `stat-queue`, `stat-messages`…). */
  card(testId: string): Locator {
    return this.page.getByTestId(testId);
  }

  /** A card's big number, as a number. */
  async value(testId: string): Promise<number> {
    return Number((await this.card(testId).locator('.stat-value').innerText()).trim());
  }
}
