import { RateLimiterMemory, RateLimiterRes } from 'rate-limiter-flexible';
import { getEnv } from '@/lib/env';

/** The pace of the bot's sends: messages per second overall, and the least gap (ms) in one chat. */
export type SendLimits = { sendsPerSecond: number; chatIntervalMs: number };

type Pace = { bot: RateLimiterMemory; chat: RateLimiterMemory | null; limits: SendLimits };

// One pace per process: Next.js bundles instrumentation, route handlers and server actions
// separately, and module state would give each bundle its own full rate.
const g = globalThis as typeof globalThis & { __deskSendPace?: Pace };

/**
 * Sets the pace of every message this process posts to Telegram (see paceSend): `limits`, or
 * the environment's TELEGRAM_SENDS_PER_SECOND and TELEGRAM_CHAT_INTERVAL_MS when omitted
 * (tests pass their own). Returns the limits in force.
 */
export function configureSendPace(limits?: SendLimits): SendLimits {
  const env = getEnv();
  const chosen = limits ?? {
    sendsPerSecond: env.TELEGRAM_SENDS_PER_SECOND,
    chatIntervalMs: env.TELEGRAM_CHAT_INTERVAL_MS,
  };
  g.__deskSendPace = {
    // One point per window: a window is the least gap between two sends, opening at the send
    // that takes it, so any sliding second holds at most `sendsPerSecond` (+1 at its edge).
    bot: new RateLimiterMemory({ points: 1, duration: 1 / chosen.sendsPerSecond }),
    chat:
      chosen.chatIntervalMs > 0
        ? new RateLimiterMemory({ points: 1, duration: chosen.chatIntervalMs / 1000 })
        : null,
    limits: chosen,
  };
  return chosen;
}

/** Bot API methods that post a message into a chat: the ones Telegram's send limits count. */
export function postsMessage(method: string): boolean {
  return method.startsWith('send') || method === 'copyMessage' || method === 'forwardMessage';
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Waits for `key`'s turn under `limiter`, then takes it. A wait never exceeds one window
 * (`windowMs`): the limiter reckons with the wall clock, and a clock stepped back must not stall
 * the sends for the size of the step.
 */
async function takeTurn(limiter: RateLimiterMemory, key: string, windowMs: number): Promise<void> {
  for (;;) {
    try {
      await limiter.consume(key);
      return;
    } catch (rejection) {
      if (!(rejection instanceof RateLimiterRes)) throw rejection;
      await sleep(Math.min(Math.max(1, rejection.msBeforeNext), Math.max(1, windowMs)));
    }
  }
}

/**
 * Waits until a message may be posted to `chatId` by Telegram's limits, then takes the turn:
 * about 30 messages per second per bot and about one per second per chat
 * (core.telegram.org/bots/faq, "My bot is hitting limits"); the defaults (20/s, 1,100 ms) keep
 * a margin. Applied at the Bot API call itself (callBotApi), so each part of a long message and
 * every sender in the process — outbox worker, Inngest function, notices — shares one pace, and
 * the time a send spends in the database before its call cannot bunch calls together. Other
 * methods (getFile, edits, answers) pass at once. rate-limiter-flexible in memory: one pace per
 * process, so instances behind a load balancer each keep it (run one sender, or Inngest).
 */
export async function paceSend(method: string, chatId: unknown): Promise<void> {
  if (!postsMessage(method)) return;
  const pace = g.__deskSendPace ?? (configureSendPace(), g.__deskSendPace);
  if (!pace) return;
  const chat = typeof chatId === 'string' ? Number(chatId) : chatId;
  if (pace.chat && typeof chat === 'number' && Number.isFinite(chat)) {
    await takeTurn(pace.chat, String(chat), pace.limits.chatIntervalMs);
  }
  await takeTurn(pace.bot, 'bot', 1000 / pace.limits.sendsPerSecond);
}
