import { expect, type Locator, type Page } from '@playwright/test';

/** A file to attach, as Playwright's `setInputFiles` takes it from memory. */
export type FilePayload = { name: string; mimeType: string; buffer: Buffer };

export class ChatPage {
  readonly clientName: Locator;
  readonly assignedOperator: Locator;
  readonly department: Locator;
  readonly status: Locator;
  /** The scrolling history. */
  readonly history: Locator;
  readonly messages: Locator;
  readonly reply: Locator;
  readonly note: Locator;
  readonly attachment: Locator;
  readonly send: Locator;
  readonly addNote: Locator;
  readonly noteMode: Locator;
  readonly replyMode: Locator;
  readonly newMessages: Locator;
  readonly error: Locator;
  readonly take: Locator;
  readonly resolve: Locator;
  readonly reopen: Locator;
  readonly assignTo: Locator;
  readonly transferTo: Locator;

  constructor(private readonly page: Page) {
    this.clientName = page.getByTestId('client-name');
    this.assignedOperator = page.getByTestId('client-operator');
    this.department = page.getByTestId('client-department');
    this.status = page.getByTestId('chat-header').locator('[data-status]');
    this.history = page.getByTestId('messages');
    this.messages = page.getByTestId('message');
    this.reply = page.getByRole('textbox', { name: 'Reply' });
    this.note = page.getByRole('textbox', { name: 'Note' });
    this.attachment = page.getByLabel('Attach a file');
    this.send = page.getByRole('button', { name: 'Send', exact: true });
    this.addNote = page.getByRole('button', { name: 'Add note' });
    this.noteMode = page.getByRole('button', { name: 'Note', exact: true });
    this.replyMode = page.getByRole('button', { name: 'Reply', exact: true });
    this.newMessages = page.getByTestId('new-messages');
    this.error = page.getByTestId('chat-error');
    this.take = page.getByRole('button', { name: 'Take', exact: true });
    this.resolve = page.getByRole('button', { name: 'Resolve', exact: true });
    this.reopen = page.getByRole('button', { name: 'Reopen', exact: true });
    this.assignTo = page.getByRole('combobox', { name: 'Assign to' });
    this.transferTo = page.getByRole('combobox', { name: 'Transfer to' });
  }

  /** Opens a client's chat by its id and waits for its name. */
  async goto(clientId: string, displayName: string) {
    await this.page.goto(`/clients/${clientId}`);
    await expect(this.clientName).toHaveText(displayName);
  }

  /** Writes an internal note in note mode and waits for the composer to clear. */
  async writeNote(text: string) {
    await this.noteMode.click();
    await this.note.fill(text);
    await this.addNote.click();
    await expect(this.note).toHaveValue('');
  }

  /** Scrolls the history to its very top (where older messages are loaded). */
  async scrollToTop() {
    await this.history.evaluate((el) => el.scrollTo({ top: 0 }));
  }

  /** How far the history is scrolled from its top, in pixels. */
  async scrollTop(): Promise<number> {
    return this.history.evaluate((el) => el.scrollTop);
  }

  /** The one message bubble with this text, in the given direction. */
  message(text: string, direction: 'inbound' | 'outbound' | 'internal'): Locator {
    return this.page
      .locator(`[data-testid="message"][data-direction="${direction}"]`)
      .filter({ hasText: text });
  }

  async sendReply(text: string) {
    await this.reply.fill(text);
    await this.send.click();
    // The form clears itself once the server action has answered, and takes typing again a
    // moment later (it is read-only while the action runs).
    await expect(this.reply).toHaveValue('');
    await expect(this.reply).toBeEditable();
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

  /**
   * Types `/` and a canned response's title at the end of the reply, picks it from the list with
   * Enter (the first match: the whole title keeps others with the same start out) and returns
   * the reply as it then reads.
   */
  async insertCanned(title: string): Promise<string> {
    await expect(this.reply).toBeEditable();
    await this.reply.press('End');
    await this.reply.pressSequentially(`/${title}`);
    await expect(this.page.getByRole('option', { name: new RegExp(`/${title}`) })).toBeVisible();
    await this.reply.press('Enter');
    return this.reply.inputValue();
  }
}
