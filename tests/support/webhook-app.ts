// The webhook handler alone, in a process of its own, for tests that must watch the app from
// outside (its log, its reconnection) while they restart its database:
//   DATABASE_URL=... TELEGRAM_WEBHOOK_SECRET=... node --import tsx tests/support/webhook-app.ts
// Prints {"port": N} once listening. Like Next's server, it logs an uncaught exception or an
// unhandled rejection and keeps running, so a test can find them in the log.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { handleTelegramWebhook } from '@/lib/telegram/webhook-handler';

process.on('uncaughtException', (error) => console.error('uncaughtException:', error));
process.on('unhandledRejection', (reason) => console.error('unhandledRejection:', reason));

const server = http.createServer((req, res) => void handleTelegramWebhook(req, res));
server.keepAliveTimeout = 30_000;
server.listen(0, '127.0.0.1', () => {
  console.log(JSON.stringify({ port: (server.address() as AddressInfo).port }));
});
process.on('SIGTERM', () => process.exit(0));
