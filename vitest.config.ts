import path from 'node:path';
import { defineConfig } from 'vitest/config';

const root = path.dirname(new URL(import.meta.url).pathname);

export default defineConfig({
  resolve: { alias: { '@': root } },
  test: {
    env: {
      NODE_ENV: 'test',
      TELEGRAM_BOT_TOKEN: '123456:TEST-token-for-the-recording-server',
      TELEGRAM_WEBHOOK_SECRET: 'test-webhook-secret',
      TELEGRAM_BOT_USERNAME: 'desk_test_bot',
      INNGEST_DEV: '',
      INNGEST_EVENT_KEY: '',
      INNGEST_BASE_URL: '',
      // No per-chat gap in most tests (several replies to one client would each wait a second);
      // tests/integration/outbox.test.ts checks Telegram's pace with the real limits.
      TELEGRAM_CHAT_INTERVAL_MS: '0',
    },
    projects: [
      {
        extends: true,
        test: { name: 'unit', include: ['lib/**/*.test.ts', 'tests/unit/**/*.test.ts'] },
      },
      {
        extends: true,
        test: {
          name: 'integration',
          include: ['tests/integration/**/*.test.ts'],
          // One database per run: PGlite costs seconds to start, and Postgres tests share a schema.
          fileParallelism: false,
          isolate: false,
          testTimeout: 30_000,
          hookTimeout: 120_000,
          setupFiles: ['tests/support/setup-integration.ts'],
        },
      },
    ],
  },
});
