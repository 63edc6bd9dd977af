// `npm run telegram:info`: the bot's identity and webhook state (URL, pending updates, last error).
import { z } from 'zod';
import { callBotApi } from '@/lib/telegram/bot-api';

const me = z.looseObject({ id: z.number(), username: z.string().optional() });
const info = z.looseObject({
  url: z.string(),
  pending_update_count: z.number(),
  last_error_date: z.number().optional(),
  last_error_message: z.string().optional(),
  allowed_updates: z.array(z.string()).optional(),
  max_connections: z.number().optional(),
});

async function main() {
  const bot = me.parse(await callBotApi('getMe', {}));
  const webhook = info.parse(await callBotApi('getWebhookInfo', {}));
  console.log(`Bot: @${bot.username ?? '?'} (id ${bot.id})`);
  console.log(`Webhook: ${webhook.url || '(none — polling mode)'}`);
  console.log(`Pending updates: ${webhook.pending_update_count}`);
  console.log(`Allowed updates: ${(webhook.allowed_updates ?? ['(default)']).join(', ')}`);
  if (webhook.max_connections) console.log(`Max connections: ${webhook.max_connections}`);
  if (webhook.last_error_message) {
    const when = webhook.last_error_date ? new Date(webhook.last_error_date * 1000).toISOString() : '?';
    console.log(`Last error (${when}): ${webhook.last_error_message}`);
  }
}

main().catch((error: unknown) => {
  console.error('telegram:info failed:', error instanceof Error ? error.message : error);
  process.exit(1);
});
