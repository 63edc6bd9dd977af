import { afterAll, beforeAll } from 'vitest';
import { resetEnvCache } from '@/lib/env';
import { startTelegramServer, type TelegramServer } from './telegram-server';

type GlobalWithTelegram = typeof globalThis & { __telegram?: TelegramServer };
const g = globalThis as GlobalWithTelegram;

// One recording Bot API server per worker; every outbound call in the tests goes to it.
beforeAll(async () => {
  g.__telegram ??= await startTelegramServer();
  process.env.TELEGRAM_API_ROOT = g.__telegram.url;
  resetEnvCache();
});

afterAll(() => {
  g.__telegram?.reset();
});

export function telegram(): TelegramServer {
  if (!g.__telegram) throw new Error('recording Telegram server not started');
  return g.__telegram;
}
