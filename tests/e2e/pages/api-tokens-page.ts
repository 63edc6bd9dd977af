import { expect, type Locator, type Page } from '@playwright/test';

/** Settings → API tokens: the new-token form, the token shown once, the list and revoking. */
export class ApiTokensPage {
  readonly heading: Locator;
  readonly name: Locator;
  readonly role: Locator;
  readonly create: Locator;
  readonly newToken: Locator;
  readonly warning: Locator;
  readonly rows: Locator;

  constructor(private readonly page: Page) {
    this.heading = page.getByRole('heading', { level: 1, name: 'API tokens' });
    this.name = page.getByRole('textbox', { name: 'Name', exact: true });
    this.role = page.getByRole('combobox', { name: 'Role' });
    this.create = page.getByRole('button', { name: 'Create token' });
    this.newToken = page.getByTestId('new-api-token');
    this.warning = page.getByRole('alert').filter({ hasText: 'cannot be shown again' });
    this.rows = page.getByTestId('api-token-row');
  }

  async goto() {
    await this.page.goto('/settings/api-tokens');
    await expect(this.heading).toBeVisible();
  }

  /** Fills and sends the form; returns the token the page shows once. */
  async createToken(options: {
    name: string;
    role: string;
    departments: string[];
    /** The last day it works, yyyy-mm-dd. */
    expiresOn?: string;
  }): Promise<string> {
    await this.name.fill(options.name);
    await this.role.selectOption({ label: options.role });
    for (const department of options.departments) {
      await this.page.getByRole('checkbox', { name: department, exact: true }).check();
    }
    if (options.expiresOn) await this.page.getByLabel('Works until (optional)').fill(options.expiresOn);
    await this.create.click();
    await expect(this.warning).toBeVisible();
    const token = await this.newToken.inputValue();
    expect(token).toMatch(/^tsd_[A-Za-z0-9_-]{43}$/);
    return token;
  }

  row(name: string): Locator {
    return this.rows.filter({ hasText: name });
  }

  /** Revokes the token named `name`, confirming in the dialog. */
  async revoke(name: string) {
    await this.row(name)
      .getByRole('button', { name: `Revoke token “${name}”` })
      .click();
    const dialog = this.page.getByRole('dialog', { name: `Revoke “${name}”?` });
    await expect(dialog).toContainText('stop working at once');
    await dialog.getByRole('button', { name: 'Revoke token' }).click();
    await expect(this.row(name).getByTestId('api-token-state')).toHaveText('Revoked');
  }
}
