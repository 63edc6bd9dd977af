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

  /** Sets the signed-in person's presence in the profile menu and waits until it is saved. */
  async setStatus(status: 'Online' | 'Away' | 'Offline') {
    await this.profileButton.click();
    // The menu's own select (the page may have a status filter of its own).
    const select = this.profileButton.locator('..').getByRole('combobox', { name: 'Status' });
    await select.selectOption({ label: status });
    // The menu disables its selects while the server action runs.
    await expect(select).toBeEnabled();
    await expect(this.page.getByText(/^Could not save/)).toHaveCount(0);
    await this.page.keyboard.press('Escape');
  }
}
