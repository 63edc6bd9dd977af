import { expect, type Locator, type Page } from '@playwright/test';
import { ChatPage } from './chat-page';

export class ClientsPage {
  readonly table: Locator;

  constructor(private readonly page: Page) {
    this.table = page.getByTestId('clients-table');
  }

  /** The link to a client's chat, by the client's display name. */
  clientLink(displayName: string): Locator {
    return this.table.getByRole('link', { name: displayName });
  }

  /** Opens the client's chat from the list (the list the desk opens after login). */
  async openChat(displayName: string): Promise<ChatPage> {
    const link = this.clientLink(displayName);
    await expect(link).toBeVisible();
    await link.click();
    await expect(this.page).toHaveURL(/\/clients\/[0-9a-f-]{36}$/);
    const chat = new ChatPage(this.page);
    await expect(chat.clientName).toHaveText(displayName);
    return chat;
  }
}
