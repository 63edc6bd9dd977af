import { POST } from '@/app/api/telegram/webhook/route';

export const WEBHOOK_SECRET = 'test-webhook-secret';

/** Calls the real route handler the way Telegram does. */
export async function postUpdate(body: unknown, secret: string | null = WEBHOOK_SECRET): Promise<Response> {
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  if (secret !== null) headers['x-telegram-bot-api-secret-token'] = secret;
  return POST(
    new Request('http://localhost/api/telegram/webhook', {
      method: 'POST',
      headers,
      body: typeof body === 'string' ? body : JSON.stringify(body),
    }),
  );
}
