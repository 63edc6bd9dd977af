import fs from 'node:fs';
import { parse } from 'csv-parse/sync';
import { expect, type Locator, type Page } from '@playwright/test';

/** The operator log (audit trail) page. */
export class LogsPage {
  readonly table: Locator;
  readonly rows: Locator;
  readonly count: Locator;
  readonly filters: Locator;

  constructor(private readonly page: Page) {
    this.table = page.getByTestId('logs-table');
    this.rows = page.getByTestId('log-row');
    this.count = page.getByTestId('logs-count');
    this.filters = page.getByRole('search', { name: 'Filter the log' });
  }

  /** The actions of the rows shown, top to bottom. */
  async actions(): Promise<string[]> {
    return this.rows.locator('td:nth-child(3)').allInnerTexts();
  }

  /** Types into the text filters and applies them together. */
  async filter(values: { action?: string; targetType?: string; targetId?: string; search?: string }) {
    if (values.search !== undefined) await this.filters.getByLabel('Search actor').fill(values.search);
    if (values.action !== undefined)
      await this.filters.getByLabel('Action', { exact: true }).fill(values.action);
    if (values.targetType !== undefined)
      await this.filters.getByLabel('Target type', { exact: true }).fill(values.targetType);
    if (values.targetId !== undefined)
      await this.filters.getByLabel('Target id', { exact: true }).fill(values.targetId);
    await this.filters.getByRole('button', { name: 'Apply' }).click();
  }

  /** Opens a row's details dialog and returns the JSON it shows, parsed. */
  async details(row: Locator): Promise<Record<string, unknown>> {
    await row.getByRole('button', { name: /^Details/ }).click();
    const dialog = this.page.getByTestId('log-details');
    const text = await dialog.getByTestId('log-details-json').innerText();
    await dialog.getByRole('button', { name: 'Close' }).click();
    await expect(dialog.getByTestId('log-details-json')).toHaveCount(0);
    return JSON.parse(text) as Record<string, unknown>;
  }

  /**
   * Clicks "Export CSV" and returns the download's file name and its rows, one object per line
   * keyed by the header (action, target_type, target_id, actor_label, details…).
   */
  async exportCsv(): Promise<{ filename: string; records: Record<string, string>[] }> {
    const [download] = await Promise.all([
      this.page.waitForEvent('download'),
      this.page.getByRole('link', { name: 'Export CSV' }).click(),
    ]);
    const csv = fs.readFileSync(await download.path(), 'utf8');
    const records = parse(csv, { bom: true, columns: true }) as Record<string, string>[];
    return { filename: download.suggestedFilename(), records };
  }
}
