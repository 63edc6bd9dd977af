import { spawn, type ChildProcess } from 'node:child_process';
import { and, eq, inArray } from 'drizzle-orm';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { Db } from '@/db/client';
import { messages } from '@/db/schema';
import { settleBackgroundWork } from '@/lib/background';
import { resetEnvCache } from '@/lib/env';
import { drainOutbox } from '@/lib/outbox/outbox-worker';
import { configureSendPace } from '@/lib/telegram/send-pace';
import { makeDepartment, makeOperator, textUpdate } from '../factories';
import { getTestDb, resetDb, testDbKind } from '../support/db';
import { telegram } from '../support/setup-integration';
import type { RecordedCall } from '../support/telegram-server';
import { freePort } from '../support/temp-postgres';
import { postUpdate } from '../support/webhook';

/** The burst: 500 new clients at once while nobody is online. */
const CLIENTS = 500;
/** Webhook deliveries in flight at once (Telegram's default max_connections is 40). */
const IN_FLIGHT = 20;
/** Telegram's limits as the recording Bot API enforces them (core.telegram.org/bots/faq). */
const TELEGRAM_LIMITS = { perSecond: 30, perChatMs: 1_000 };
/** The in-process worker's production defaults (TELEGRAM_SENDS_PER_SECOND, TELEGRAM_CHAT_INTERVAL_MS). */
const WORKER_LIMITS = { sendsPerSecond: 20, chatIntervalMs: 1_100 };

let botApi: ChildProcess | undefined;

afterEach(() => {
  configureSendPace();
  botApi?.kill();
  botApi = undefined;
  process.env.TELEGRAM_API_ROOT = telegram().url;
  resetEnvCache();
});

/**
 * The recording Bot API in a process of its own, as Telegram is: it stamps each call when it
 * arrives by its own clock, which the desk's busy event loop cannot hold back and then release
 * in a bunch (the in-process server would see such bunches as bursts the desk never sent).
 */
async function startSeparateBotApi(): Promise<string> {
  const port = await freePort();
  const child = spawn(process.execPath, ['--import', 'tsx', 'tests/support/telegram-server.ts'], {
    env: { ...process.env, TELEGRAM_TEST_PORT: String(port) },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  botApi = child;
  await new Promise<void>((resolve, reject) => {
    child.stdout?.on('data', (chunk: Buffer) => {
      if (chunk.toString().includes('recording Telegram Bot API server')) resolve();
    });
    child.on('exit', (code) => reject(new Error(`the Bot API server exited (${code})`)));
  });
  const url = `http://127.0.0.1:${port}`;
  process.env.TELEGRAM_API_ROOT = url;
  resetEnvCache();
  return url;
}

/** Forgets the calls and sets Telegram's limits on the separate Bot API. */
async function resetBotApi(url: string): Promise<void> {
  await fetch(`${url}/__reset`, { method: 'POST' });
  await fetch(`${url}/__limits`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(TELEGRAM_LIMITS),
  });
}

async function callsOf(url: string): Promise<RecordedCall[]> {
  return (await (await fetch(`${url}/__calls`)).json()) as RecordedCall[];
}

/** Posts one first message from each of `count` new clients, IN_FLIGHT at a time; webhook latencies (ms). */
async function burst(firstChatId: number, count: number): Promise<number[]> {
  const latencies: number[] = [];
  let next = 0;
  const lane = async () => {
    while (next < count) {
      const chatId = firstChatId + next++;
      const started = performance.now();
      const response = await postUpdate(textUpdate({ id: chatId, first_name: `C${chatId}` }, 'hello?'));
      latencies.push(performance.now() - started);
      expect(response.status).toBe(200);
    }
  };
  await Promise.all(Array.from({ length: IN_FLIGHT }, lane));
  return latencies;
}

function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? 0;
}

/** The most calls accepted within any one second (a sliding window over the call times). */
function busiestSecond(times: number[]): number {
  const sorted = [...times].sort((a, b) => a - b);
  let most = 0;
  let start = 0;
  for (let end = 0; end < sorted.length; end++) {
    while ((sorted[end] ?? 0) - (sorted[start] ?? 0) >= 1_000) start++;
    most = Math.max(most, end - start + 1);
  }
  return most;
}

async function outboundOf(db: Db, chatIds: number[]) {
  return db
    .select({ status: messages.deliveryStatus })
    .from(messages)
    .where(and(eq(messages.direction, 'outbound'), inArray(messages.telegramChatId, chatIds)));
}

describe('a burst of new clients on the embedded default (no Inngest)', () => {
  it("sends every queue auto-reply within Telegram's limits: 0 × 429, all `sent`, ≤ 30 in any second", async () => {
    await settleBackgroundWork();
    const db = await getTestDb();
    await resetDb(db);
    configureSendPace(WORKER_LIMITS);
    const bot = await startSeparateBotApi();
    await resetBotApi(bot);

    // The same burst that sends nothing: an operator online with room for everyone (no
    // auto-reply, no Telegram notice), for the webhook latency to compare with.
    const staffed = await makeDepartment(db, { isDefault: true });
    await makeOperator(db, { departmentIds: [staffed.id], capacity: 10_000 });
    const quiet = await burst(730_000, CLIENTS);
    await settleBackgroundWork();
    expect((await callsOf(bot)).filter((c) => c.method === 'sendMessage')).toEqual([]);

    // Nobody online: every new client gets the department's queue auto-reply.
    await resetDb(db);
    await resetBotApi(bot);
    await makeDepartment(db, { isDefault: true });
    const chatIds = Array.from({ length: CLIENTS }, (_, i) => 740_000 + i);
    const sending = await burst(740_000, CLIENTS);

    await vi.waitFor(
      async () => {
        await drainOutbox();
        const replies = await outboundOf(db, chatIds);
        expect(replies.filter((r) => r.status === 'sent')).toHaveLength(CLIENTS);
      },
      { timeout: 90_000, interval: 500 },
    );

    const sends = (await callsOf(bot)).filter((c) => c.method === 'sendMessage');
    const refused = sends.filter(
      (c) => (c.result as { error_code?: number } | undefined)?.error_code === 429,
    );
    const accepted = sends.filter((c) => (c.result as { ok?: boolean } | undefined)?.ok === true);
    const replies = await outboundOf(db, chatIds);
    expect(replies).toHaveLength(CLIENTS);
    expect(replies.every((r) => r.status === 'sent')).toBe(true);
    const first0 = sends[0]?.at ?? 0;
    expect(
      refused.map((c) => ({
        chat: c.payload.chat_id,
        atMs: c.at - first0,
        previousToChat: sends
          .filter((o) => o.payload.chat_id === c.payload.chat_id && o.at < c.at)
          .map((o) => o.at - first0),
        inLastSecond: sends.filter((o) => o.at > c.at - 1000 && o.at <= c.at && o !== c).length,
      })),
    ).toEqual([]);
    expect(accepted).toHaveLength(CLIENTS); // each auto-reply once
    const peak = busiestSecond(accepted.map((c) => c.at));
    expect(peak).toBeLessThanOrEqual(TELEGRAM_LIMITS.perSecond);

    // Printed, not asserted (speed is for benchmarks): the webhook's latency with and without sends.
    const first = Math.min(...accepted.map((c) => c.at));
    const last = Math.max(...accepted.map((c) => c.at));
    console.log(
      `outbox burst (${testDbKind()}, ${CLIENTS} new clients, ${IN_FLIGHT} in flight): ` +
        `webhook p50/p99 ${percentile(quiet, 50).toFixed(0)}/${percentile(quiet, 99).toFixed(0)} ms sending nothing, ` +
        `${percentile(sending, 50).toFixed(0)}/${percentile(sending, 99).toFixed(0)} ms with the auto-replies; ` +
        `${accepted.length} sends in ${((last - first) / 1000).toFixed(1)} s, busiest second ${peak}, 429s ${refused.length}`,
    );
  }, 180_000);
});
