// Stores a client with a long history (LONG_CHAT_MESSAGES, 1,200) straight in the database before the e2e app
// starts: `npx tsx tests/e2e/seed-long-chat.ts` (same environment as the app), after the seed.
// Like create-invites.ts it must run before `next start`: two processes never open one PGlite
// data dir. Writes { clientId, displayName, count } to LONG_CHAT_FILE for tests/e2e/chat.spec.ts.
import fs from 'node:fs';
import path from 'node:path';
import { eq } from 'drizzle-orm';
import { closeDb, getDbHandle } from '@/db/client';
import { departments, messages } from '@/db/schema';
import { makeClient } from '../factories/messages';
import { LONG_CHAT_FILE, LONG_CHAT_MESSAGES, longChatText } from './support/e2e-env';

async function main() {
  const file = path.resolve(process.cwd(), LONG_CHAT_FILE);
  fs.rmSync(file, { force: true });
  const { db } = await getDbHandle();
  const [general] = await db.select().from(departments).where(eq(departments.isDefault, true));
  if (!general) throw new Error('No default department: run `npm run db:seed` first.');
  // A past client (resolved): it counts towards nobody's load and waits in no queue.
  const displayName = `Long History ${Date.now().toString(36)}`;
  const client = await makeClient(db, {
    departmentId: general.id,
    status: 'resolved',
    chatId: 770_000_000 + (Date.now() % 1_000_000),
    name: displayName,
  });
  // One message a minute, the client and the desk taking turns, ending a minute ago.
  const start = Date.now() - (LONG_CHAT_MESSAGES + 1) * 60_000;
  await db.insert(messages).values(
    Array.from({ length: LONG_CHAT_MESSAGES }, (_, i) => {
      const n = i + 1;
      const inbound = n % 2 === 1;
      return {
        clientId: client.id,
        direction: inbound ? ('inbound' as const) : ('outbound' as const),
        senderKind: inbound ? ('client' as const) : ('system' as const),
        contentKind: 'text' as const,
        text: longChatText(n),
        telegramChatId: client.chatId,
        telegramMessageId: n,
        deliveryStatus: inbound ? null : ('sent' as const),
        deliveredAt: inbound ? null : new Date(start + n * 60_000),
        createdAt: new Date(start + n * 60_000),
      };
    }),
  );
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, `${JSON.stringify({ clientId: client.id, displayName }, null, 2)}\n`);
  console.log(`seed-long-chat: ${displayName} with ${LONG_CHAT_MESSAGES} messages.`);
}

main()
  .catch((error: unknown) => {
    console.error('seed-long-chat failed:', error instanceof Error ? error.message : error);
    process.exitCode = 1;
  })
  .finally(() => closeDb());
