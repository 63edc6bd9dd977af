// `npm run telegram:set-webhook`: points Telegram at APP_URL/api/telegram/webhook with the
// secret header, the update types we handle and a connection cap. The token is never printed.
import { z } from 'zod';
import { getEnv } from '@/lib/env';
import { callBotApi } from '@/lib/telegram/bot-api';
import { ALLOWED_UPDATES, webhookUrl } from '@/lib/telegram/webhook-config';

const webhookInfo = z.looseObject({
  url: z.string(),
  pending_update_count: z.number(),
  last_error_message: z.string().optional(),
  allowed_updates: z.array(z.string()).optional(),
  max_connections: z.number().optional(),
});

async function main() {
  const env = getEnv();
  if (!env.TELEGRAM_BOT_TOKEN) throw new Error('TELEGRAM_BOT_TOKEN is not set.');
  if (!env.TELEGRAM_WEBHOOK_SECRET)
    throw new Error('TELEGRAM_WEBHOOK_SECRET is not set: the webhook would refuse every update.');
  const url = webhookUrl(env.APP_URL);
  if (!url.startsWith('https://'))
    console.warn(`Warning: Telegram only delivers to https URLs; ${url} will be refused.`);
  const maxConnections = Number(process.env.TELEGRAM_MAX_CONNECTIONS ?? 40);
  await callBotApi('setWebhook', {
    url,
    secret_token: env.TELEGRAM_WEBHOOK_SECRET,
    allowed_updates: ALLOWED_UPDATES,
    max_connections: maxConnections,
    drop_pending_updates: process.argv.includes('--drop-pending'),
  });
  const info = webhookInfo.parse(await callBotApi('getWebhookInfo', {}));
  console.log(`Webhook set: ${info.url}`);
  console.log(`  allowed updates: ${(info.allowed_updates ?? []).join(', ')}`);
  console.log(
    `  max connections: ${info.max_connections ?? maxConnections}, pending updates: ${info.pending_update_count}`,
  );
  if (info.last_error_message) console.log(`  last error: ${info.last_error_message}`);
}

main().catch((error: unknown) => {
  console.error('set-webhook failed:', error instanceof Error ? error.message : error);
  process.exit(1);
});
