import fs from 'node:fs';
import { defineConfig, devices } from '@playwright/test';
import { APP_PORT, APP_URL, TELEGRAM_API_ROOT, TELEGRAM_PORT, appEnv } from './tests/e2e/support/e2e-env';

// Browsers cannot be downloaded on the build machines: use Debian's Chromium where it exists,
// Playwright's own browser elsewhere (`npx playwright install chromium` on a laptop).
const SYSTEM_CHROMIUM = '/usr/bin/chromium';
const launchOptions = fs.existsSync(SYSTEM_CHROMIUM)
  ? {
      executablePath: SYSTEM_CHROMIUM,
      args: [
        '--no-sandbox',
        '--disable-gpu',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
        '--no-first-run',
        '--disable-quic',
      ],
    }
  : {};

export default defineConfig({
  testDir: 'tests/e2e',
  outputDir: 'test-results',
  fullyParallel: false,
  workers: 1,
  retries: 0,
  forbidOnly: Boolean(process.env.CI),
  reporter: 'list',
  timeout: 60_000,
  expect: { timeout: 10_000 },
  use: {
    baseURL: APP_URL,
    trace: 'retain-on-failure',
    screenshot: 'only-on-failure',
  },
  projects: [{ name: 'chromium', use: { ...devices['Desktop Chrome'], launchOptions } }],
  // Started in order: the app sends the seed's auto-replies to the recording server.
  webServer: [
    {
      command: 'npx tsx tests/support/telegram-server.ts',
      url: `${TELEGRAM_API_ROOT}/__calls`,
      env: { TELEGRAM_TEST_PORT: String(TELEGRAM_PORT) },
      reuseExistingServer: !process.env.CI,
      timeout: 30_000,
    },
    {
      // prepare-db empties the database (PGlite dir, or a local Postgres from DATABASE_URL),
      // so the seed starts from nothing on every fresh start. create-invites writes the operators'
      // Telegram invite tokens, seed-long-chat a client with a long history and seed-archived-chat
      // one with a conversation old enough to archive before `next start` opens the database (one
      // PGlite process at a time).
      command: `npx tsx tests/e2e/prepare-db.ts && npm run db:seed && npx tsx tests/e2e/create-invites.ts && npx tsx tests/e2e/seed-long-chat.ts && npx tsx tests/e2e/seed-archived-chat.ts && npm run build && npm run start -- -p ${APP_PORT}`,
      url: `${APP_URL}/api/health`,
      env: appEnv,
      reuseExistingServer: !process.env.CI,
      timeout: 240_000,
    },
  ],
});
