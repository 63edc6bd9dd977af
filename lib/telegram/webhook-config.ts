/** Every update type the desk handles or records; Telegram keeps the previous list if omitted. */
export const ALLOWED_UPDATES = ['message', 'edited_message', 'callback_query', 'my_chat_member'] as const;

export const WEBHOOK_PATH = '/api/telegram/webhook';

export function webhookUrl(appUrl: string): string {
  return new URL(WEBHOOK_PATH, appUrl).toString();
}
