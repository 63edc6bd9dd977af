import { expect, type Locator, type Page } from '@playwright/test';

export class ChatPage {
  readonly clientName: Locator;
  readonly messages: Locator;
  readonly reply: Locator;
  readonly send: Locator;

  constructor(private readonly page: Page) {
    this.clientName = page.getByTestId('client-name');
    this.messages = page.getByTestId('message');
    this.reply = page.getByRole('textbox', { name: 'Reply' });
    this.send = page.getByRole('button', { name: 'Send' });
  }

  /** The one message bubble with this text, in the given direction. */
  message(text: string, direction: 'inbound' | 'outbound'): Locator {
    return this.page
      .locator(`[data-testid="message"][data-direction="${direction}"]`)
      .filter({ hasText: text });
  }

  async sendReply(text: string) {
    await this.reply.fill(text);
    await this.send.click();
    // The form clears itself once the server action has answered.
    await expect(this.reply).toHaveValue('');
  }

  /** Waits until no outbound message is still queued or sending (e.g. a bot auto-reply). */
  async waitForDeliveriesToSettle() {
    await expect(
      this.page.getByTestId('delivery-status').filter({ hasText: /^(queued|sending)$/ }),
    ).toHaveCount(0, {
      timeout: 15_000,
    });
  }
}
