// `npm run bot:poll`: local development without a public URL. Long-polls Telegram with
// Telegraf's client and relays each update to the running app's webhook, so updates take exactly
// the production path. The offset only advances after the app stored an update: nothing is lost
// while the app is down.
import { Telegram } from 'telegraf';
import { getEnv } from '@/lib/env';
import { redactToken } from '@/lib/telegram/redact';
import { ALLOWED_UPDATES, webhookUrl } from '@/lib/telegram/webhook-config';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function main() {
  const env = getEnv();
  const token = env.TELEGRAM_BOT_TOKEN;
  const secret = env.TELEGRAM_WEBHOOK_SECRET;
  if (!token || !secret) throw new Error('Set TELEGRAM_BOT_TOKEN and TELEGRAM_WEBHOOK_SECRET first.');
  const target = process.env.POLL_TARGET_URL ?? webhookUrl(env.APP_URL);
  const telegram = new Telegram(token, { apiRoot: env.TELEGRAM_API_ROOT });
  // Polling and a webhook exclude each other; keep pending updates.
  await telegram.deleteWebhook({ drop_pending_updates: false });
  const me = await telegram.getMe();
  console.log(`Polling as @${me.username}, relaying to ${target}. Ctrl+C to stop.`);

  let offset = 0;
  let stopping = false;
  process.on('SIGINT', () => (stopping = true));
  while (!stopping) {
    try {
      const updates = await telegram.getUpdates(25, 100, offset, [...ALLOWED_UPDATES]);
      for (const update of updates) {
        const response = await fetch(target, {
          method: 'POST',
          headers: { 'content-type': 'application/json', 'x-telegram-bot-api-secret-token': secret },
          body: JSON.stringify(update),
        });
        if (!response.ok) throw new Error(`app answered ${response.status} for update ${update.update_id}`);
        offset = update.update_id + 1;
      }
    } catch (error) {
      console.error(
        'poll:',
        redactToken(error instanceof Error ? error.message : String(error), token),
        '- retrying in 3 s',
      );
      await sleep(3000);
    }
  }
}

main().catch((error: unknown) => {
  console.error(
    'bot:poll failed:',
    redactToken(error instanceof Error ? error.message : String(error), process.env.TELEGRAM_BOT_TOKEN),
  );
  process.exit(1);
});
