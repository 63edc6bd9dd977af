// The one Pages Router file. Telegram's webhook is the hottest endpoint and does no rendering;
// as an API route it runs on Node's request and response, without the App Router's
// per-request Request/Response and store set-up: 0.93 against 1.39 ms of server CPU per
// update in paired runs of `npm run bench:ingest` (766 against 599 updates/s). Everything
// else stays in `app/`. The handler lives in lib/ and is tested there.
import { handleTelegramWebhook } from '@/lib/telegram/webhook-handler';

// The handler reads the raw body itself: Telegram's secret is checked before any parsing, and
// malformed JSON is recorded rather than refused.
export const config = { api: { bodyParser: false } };

export default handleTelegramWebhook;
