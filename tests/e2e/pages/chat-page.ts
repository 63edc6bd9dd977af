import { expect, type Locator, type Page } from '@playwright/test';

/** A file to attach, as Playwright's `setInputFiles` takes it from memory. */
export type FilePayload = { name: string; mimeType: string; buffer: Buffer };

export class ChatPage {
  readonly clientName: Locator;
  readonly assignedOperator: Locator;
  readonly messages: Locator;
  readonly reply: Locator;
  readonly attachment: Locator;
  readonly send: Locator;

  constructor(private readonly page: Page) {
    this.clientName = page.getByTestId('client-name');
    this.assignedOperator = page.getByText(/^Operator: /);
    this.messages = page.getByTestId('message');
    this.reply = page.getByRole('textbox', { name: 'Reply' });
    this.attachment = page.getByLabel('Attach a file');
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

  /** The bubble header: who wrote the message (client, operator name, Bot) and when. */
  author(message: Locator): Locator {
    return message.locator('.chat-header');
  }

  /** The inline thumbnail of a message's image attachment. */
  image(message: Locator): Locator {
    return message.getByTestId('attachment-image').locator('img');
  }

  /** Attaches a file to the reply; the reply text then goes as its caption. */
  async attachFile(file: FilePayload) {
    await this.attachment.setInputFiles(file);
  }

  /** Sends a file with a caption and waits for the form to clear (the upload was accepted). */
  async sendFile(file: FilePayload, caption: string) {
    await this.attachFile(file);
    await this.reply.fill(caption);
    await this.send.click();
    await expect(this.reply).toHaveValue('');
    await expect(this.attachment).toHaveValue('');
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
