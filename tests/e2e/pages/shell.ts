import { expect, type Locator, type Page } from '@playwright/test';

/** The dashboard's shell: navbar, profile menu, sidebar. */
export class Shell {
  readonly profileButton: Locator;
  readonly sidebar: Locator;

  constructor(private readonly page: Page) {
    this.profileButton = page.getByRole('button', { name: /^Profile menu of / });
    this.sidebar = page.getByTestId('sidebar');
  }

  /** Opens the profile menu and returns its Sign out button. */
  async signOutButton(): Promise<Locator> {
    await this.profileButton.click();
    const button = this.page.getByRole('button', { name: 'Sign out' });
    await expect(button).toBeVisible();
    return button;
  }
}
