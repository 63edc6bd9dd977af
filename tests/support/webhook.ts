import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { handleTelegramWebhook } from '@/lib/telegram/webhook-handler';

export const WEBHOOK_SECRET = 'test-webhook-secret';

let base: Promise<string> | undefined;

/** The real webhook handler on a real HTTP server (one per test process, on a free port). */
export async function webhookUrl(): Promise<string> {
  return `${await webhookBase()}/api/telegram/webhook`;
}

function webhookBase(): Promise<string> {
  base ??= new Promise((resolve, reject) => {
    const server = http.createServer((req, res) => void handleTelegramWebhook(req, res));
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      server.unref(); // never keeps the test process alive
      resolve(`http://127.0.0.1:${(server.address() as AddressInfo).port}`);
    });
  });
  return base;
}

/** POSTs an update the way Telegram does. A string body is sent as is (e.g. broken JSON). */
export async function postUpdate(body: unknown, secret: string | null = WEBHOOK_SECRET): Promise<Response> {
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  if (secret !== null) headers['x-telegram-bot-api-secret-token'] = secret;
  const response = await fetch(await webhookUrl(), {
    method: 'POST',
    headers,
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
  // Read the body now so callers can inspect it after the connection is reused.
  const text = await response.text();
  return new Response(text, { status: response.status, headers: response.headers });
}
