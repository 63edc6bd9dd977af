import { expect, type Locator, type Page } from '@playwright/test';

/** Settings → Departments: the list and the "Add a department" form (admins). */
export class DepartmentsPage {
  readonly heading: Locator;
  readonly form: Locator;

  constructor(private readonly page: Page) {
    this.heading = page.getByRole('heading', { name: 'Departments', level: 1 });
    this.form = page.getByTestId('department-form');
  }

  async goto() {
    await this.page.goto('/settings/departments');
    await expect(this.heading).toBeVisible();
  }

  row(name: string): Locator {
    return this.page.getByTestId('department-row').filter({ hasText: name });
  }

  /** Opens the form, fills the name (and the default capacity) and adds the department. */
  async add(options: { name: string; defaultCapacity?: number }) {
    await this.page.getByText('Add a department').click();
    await this.form.getByLabel('Name').fill(options.name);
    if (options.defaultCapacity !== undefined)
      await this.form.getByLabel('Default capacity').fill(String(options.defaultCapacity));
    await this.form.getByRole('button', { name: 'Add department', exact: true }).click();
    await expect(this.form.getByRole('status')).toHaveText(`Department “${options.name}” added.`);
    await expect(this.row(options.name).getByTestId('department-state')).toHaveText('Active');
  }
}

/** Settings → Canned responses: admins and supervisors add their departments' answers. */
export class CannedResponsesPage {
  constructor(private readonly page: Page) {}

  async goto() {
    await this.page.goto('/settings/canned-responses');
    await expect(this.page.getByRole('heading', { level: 1, name: 'Canned responses' })).toBeVisible();
  }

  item(title: string): Locator {
    return this.page.getByTestId('canned-response').filter({ hasText: `/${title}` });
  }

  /** Adds a canned response to a department and waits for it in the list. */
  async add(options: { department: string; title: string; body: string }) {
    await this.page.getByLabel('Department').selectOption({ label: options.department });
    await this.page.getByLabel('Title').fill(options.title);
    await this.page.getByLabel('Text').fill(options.body);
    await this.page.getByRole('button', { name: 'Add a canned response' }).click();
    await expect(this.item(options.title)).toContainText(options.body);
  }
}
