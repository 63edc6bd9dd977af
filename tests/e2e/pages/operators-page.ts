import { expect, type Locator, type Page } from '@playwright/test';

/** What the admin types into the "New operator" dialog. */
export type NewOperator = {
  name: string;
  email: string;
  password?: string;
  role: 'operator' | 'supervisor' | 'admin';
  capacity?: number;
  departments: string[];
};

/** The operators list and the admin's dialogs on it. */
export class OperatorsPage {
  readonly table: Locator;
  readonly notice: Locator;
  readonly dialog: Locator;

  constructor(private readonly page: Page) {
    this.table = page.getByTestId('operators-table');
    this.notice = page.getByTestId('operators-notice');
    this.dialog = page.getByTestId('operator-dialog');
  }

  async goto() {
    await this.page.goto('/operators');
    await expect(this.page.getByRole('heading', { level: 1, name: 'Operators' })).toBeVisible();
  }

  row(name: string): Locator {
    return this.page.getByTestId('operator-row').filter({ hasText: name });
  }

  /** The operator's id, read from their row's link to the log entries about them. */
  async idOf(name: string): Promise<string> {
    const href = await this.row(name)
      .getByRole('link', { name: `Log ${name}` })
      .getAttribute('href');
    const id = new URL(href ?? '', 'http://x').searchParams.get('targetId');
    expect(id).toMatch(/^[0-9a-f-]{36}$/);
    return id ?? '';
  }

  async create(operator: NewOperator) {
    await this.page.getByRole('button', { name: 'New operator' }).click();
    const dialog = this.page.getByRole('dialog', { name: 'New operator' });
    await dialog.getByLabel('Name').fill(operator.name);
    await dialog.getByLabel('Email').fill(operator.email);
    if (operator.password) await dialog.getByLabel('Password (optional)').fill(operator.password);
    await dialog.getByLabel('Role').selectOption(operator.role);
    if (operator.capacity !== undefined)
      await dialog.getByLabel('Capacity (clients at once)').fill(String(operator.capacity));
    for (const department of operator.departments)
      await dialog.getByRole('checkbox', { name: department }).check();
    await dialog.getByRole('button', { name: 'Create' }).click();
    await expect(this.notice).toHaveText(`${operator.name} was created.`);
    await expect(dialog).toBeHidden();
    await expect(this.row(operator.name)).toBeVisible();
  }

  async setCapacity(name: string, capacity: number) {
    await this.row(name)
      .getByRole('button', { name: `Edit ${name}` })
      .click();
    const dialog = this.page.getByRole('dialog', { name: `Edit ${name}` });
    await dialog.getByLabel('Capacity (clients at once)').fill(String(capacity));
    await dialog.getByRole('button', { name: 'Save' }).click();
    await expect(this.notice).toHaveText(`${name} was saved.`);
  }

  /** Issues the Telegram invite and returns the link the dialog shows once. */
  async issueInvite(name: string): Promise<string> {
    await this.row(name)
      .getByRole('button', { name: `Invite link ${name}` })
      .click();
    const dialog = this.page.getByRole('dialog', { name: `Telegram invite for ${name}` });
    await dialog.getByRole('button', { name: 'Create the link' }).click();
    const link = dialog.getByLabel('Invite link');
    await expect(link).toHaveValue(/^https:\/\/t\.me\//);
    const url = await link.inputValue();
    await dialog.getByRole('button', { name: 'Close' }).click();
    await expect(dialog).toBeHidden();
    return url;
  }

  async deactivate(name: string) {
    await this.row(name)
      .getByRole('button', { name: `Deactivate ${name}` })
      .click();
    const dialog = this.page.getByRole('dialog', { name: `Deactivate ${name}?` });
    await dialog.getByRole('button', { name: 'Deactivate' }).click();
    await expect(this.notice).toHaveText(`${name} was deactivated.`);
  }
}
