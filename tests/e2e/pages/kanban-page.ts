import { expect, type Locator, type Page } from '@playwright/test';

/** A kanban column's status (the client statuses, as the board's test ids name them). */
export type KanbanStatus = 'new' | 'in_progress' | 'waiting' | 'resolved' | 'blocked';

/** The kanban board: a column per client status, cards that move by drag and drop or menu. */
export class KanbanPage {
  readonly board: Locator;
  readonly notice: Locator;

  constructor(private readonly page: Page) {
    this.board = page.getByTestId('kanban');
    this.notice = page.getByTestId('kanban-notice');
  }

  async goto() {
    await this.page.goto('/kanban');
    await expect(this.page.getByRole('heading', { level: 1, name: 'Kanban' })).toBeVisible();
    await expect(this.board).toBeVisible();
  }

  column(status: KanbanStatus): Locator {
    return this.page.getByTestId(`kanban-column-${status}`);
  }

  /** The column's count badge, read as a number (the count from the database, not the cards). */
  async count(status: KanbanStatus): Promise<number> {
    return Number(await this.column(status).getByTestId('kanban-count').innerText());
  }

  /** The client's card, wherever it is on the board. */
  card(displayName: string): Locator {
    return this.board.getByTestId('kanban-card').filter({ hasText: displayName });
  }

  /** The client's card in one column. */
  cardIn(status: KanbanStatus, displayName: string): Locator {
    return this.column(status).getByTestId('kanban-card').filter({ hasText: displayName });
  }

  /**
   * Drags the card by its handle onto another column with the mouse, in small steps, as a person
   * does: dnd-kit's pointer sensor starts a drag only after 5 px of movement. Both the card and
   * the column must fit in the window (a wide one shows all five columns).
   */
  async dragCard(displayName: string, to: KanbanStatus) {
    const handle = this.card(displayName).getByRole('button', { name: `Move ${displayName} to` });
    await this.column(to).scrollIntoViewIfNeeded();
    await handle.scrollIntoViewIfNeeded();
    await expect(handle).toBeInViewport({ ratio: 1 });
    await expect(this.column(to)).toBeInViewport();
    const from = await handle.boundingBox();
    const target = await this.column(to).boundingBox();
    if (!from || !target) throw new Error(`the card of ${displayName} or the ${to} column is not on screen`);
    const start = { x: from.x + from.width / 2, y: from.y + from.height / 2 };
    await this.page.mouse.move(start.x, start.y);
    await this.page.mouse.down();
    await this.page.mouse.move(start.x + 10, start.y + 10, { steps: 5 });
    await this.page.mouse.move(target.x + target.width / 2, target.y + Math.min(120, target.height / 2), {
      steps: 20,
    });
    await expect(this.column(to)).toHaveClass(/ring-2/);
    await this.page.mouse.up();
  }

  /** The keyboard and screen-reader alternative to dragging: the card's "Move to…" menu. */
  async moveWithMenu(displayName: string, to: string) {
    await this.card(displayName)
      .getByRole('combobox', { name: `Move ${displayName} to` })
      .selectOption({ label: to });
  }
}
