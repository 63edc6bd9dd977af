// Stores a returning client whose first conversation was resolved more than a year ago straight in
// the database before the e2e app starts: `npx tsx tests/e2e/seed-archived-chat.ts` (same
// environment as the app), after the seed. Nothing is archived here: the spec runs the
// archive-old-messages job from the Jobs page. Like create-invites.ts it must run before
// `next start`: two processes never open one PGlite data dir. Writes { clientId, displayName,
// months } (the two months as `YYYY-MM`, UTC) to ARCHIVED_CHAT_FILE for
// tests/e2e/archived-history.spec.ts.
//
// The old conversation's messages (support/archived-chat.ts) fall on the 20th of one UTC month and
// the 3rd of the next, about 13 months back, with an edited reply, an internal note and a stored
// file; the recent conversation (resolved two days ago) stays in the database.
import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { eq } from 'drizzle-orm';
import { closeDb, getDbHandle } from '@/db/client';
import {
  attachments,
  clients,
  conversations,
  departments,
  messageEdits,
  messages,
  operators,
} from '@/db/schema';
import { getStorage } from '@/lib/storage/get-storage';
import { objectKey } from '@/lib/storage/storage';
import { makeClient } from '../factories/messages';
import {
  ARCHIVED_CHAT,
  ARCHIVED_CHAT_FILE,
  ARCHIVED_CHAT_OPERATOR,
  type ArchivedChatMessage,
} from './support/archived-chat';

const MINUTE = 60_000;
const DAY = 86_400_000;

async function main() {
  const file = path.resolve(process.cwd(), ARCHIVED_CHAT_FILE);
  fs.rmSync(file, { force: true });
  const { db } = await getDbHandle();
  const [billing] = await db.select().from(departments).where(eq(departments.name, 'Billing'));
  const [olga] = await db.select().from(operators).where(eq(operators.email, ARCHIVED_CHAT_OPERATOR.email));
  if (!billing || !olga) throw new Error('No Billing department or Olga: run `npm run db:seed` first.');

  // The 20th of the month 400 days back and the 3rd of the month after it (UTC): two months,
  // both far beyond the default 180 days of archiveAfterDays.
  const back = new Date(Date.now() - 400 * DAY);
  const earlier = Date.UTC(back.getUTCFullYear(), back.getUTCMonth(), 20, 10, 0);
  const later = Date.UTC(back.getUTCFullYear(), back.getUTCMonth() + 1, 3, 9, 0);
  const recent = Date.now() - 3 * DAY;

  // Resolved and unassigned in Billing: Olga (General, Billing) may see it, Nina (Delivery only)
  // may not; it waits in no queue and counts towards nobody's load.
  const displayName = `Archived History ${Date.now().toString(36)}`;
  const client = await makeClient(db, {
    departmentId: billing.id,
    status: 'resolved',
    chatId: 780_000_000 + (Date.now() % 1_000_000),
    name: displayName,
  });

  const conversation = async (openedAt: number, resolvedAt: number) => {
    const [row] = await db
      .insert(conversations)
      .values({
        clientId: client.id,
        departmentId: billing.id,
        operatorId: olga.id,
        status: 'resolved',
        openedAt: new Date(openedAt),
        firstResponseAt: new Date(openedAt + 5 * MINUTE),
        resolvedAt: new Date(resolvedAt),
        resolvedById: olga.id,
      })
      .returning({ id: conversations.id });
    if (!row) throw new Error('conversation not created');
    return row.id;
  };
  const old = await conversation(earlier, later + DAY);
  const young = await conversation(recent, recent + DAY);

  let telegramMessageId = 0;
  const store = async (conversationId: string, at: number, m: ArchivedChatMessage) => {
    const inbound = m.direction === 'inbound';
    const [row] = await db
      .insert(messages)
      .values({
        clientId: client.id,
        conversationId,
        direction: m.direction,
        senderKind: inbound ? 'client' : 'operator',
        operatorId: inbound ? null : olga.id,
        contentKind: m.file ? 'document' : 'text',
        text: m.text,
        telegramChatId: client.chatId,
        telegramMessageId: m.direction === 'internal' ? null : ++telegramMessageId,
        deliveryStatus: m.direction === 'outbound' ? 'sent' : null,
        deliveredAt: m.direction === 'outbound' ? new Date(at) : null,
        sentAtTelegram: inbound ? new Date(at) : null,
        editedAt: m.editedFrom ? new Date(at + MINUTE) : null,
        createdAt: new Date(at),
      })
      .returning({ id: messages.id });
    if (!row) throw new Error('message not created');
    if (m.editedFrom) {
      // The version the edit replaced, as edit-operator-message.ts keeps it.
      await db
        .insert(messageEdits)
        .values({ messageId: row.id, text: m.editedFrom, editedAt: new Date(at + MINUTE) });
    }
    if (m.file) {
      const id = randomUUID();
      const body = new TextEncoder().encode(m.file.body);
      const storageKey = objectKey('attachments', id, m.file.name, new Date(at));
      await getStorage().put(storageKey, body, { contentType: m.file.mimeType });
      await db.insert(attachments).values({
        id,
        messageId: row.id,
        kind: 'document',
        fileName: m.file.name,
        mimeType: m.file.mimeType,
        sizeBytes: body.byteLength,
        storageKey,
        status: 'stored',
        caption: m.text,
        createdAt: new Date(at),
      });
    }
  };
  for (const [i, m] of ARCHIVED_CHAT.earlierMonth.entries()) await store(old, earlier + i * 5 * MINUTE, m);
  for (const [i, m] of ARCHIVED_CHAT.laterMonth.entries()) await store(old, later + i * 5 * MINUTE, m);
  for (const [i, m] of ARCHIVED_CHAT.recent.entries()) await store(young, recent + i * 5 * MINUTE, m);

  const last = recent + (ARCHIVED_CHAT.recent.length - 1) * 5 * MINUTE;
  await db
    .update(clients)
    .set({
      createdAt: new Date(earlier - DAY),
      lastMessageAt: new Date(last),
      lastInboundAt: new Date(recent),
    })
    .where(eq(clients.id, client.id));

  fs.mkdirSync(path.dirname(file), { recursive: true });
  const months = {
    earlier: new Date(earlier).toISOString().slice(0, 7),
    later: new Date(later).toISOString().slice(0, 7),
  };
  fs.writeFileSync(file, `${JSON.stringify({ clientId: client.id, displayName, months }, null, 2)}\n`);
  console.log(
    `seed-archived-chat: ${displayName}, a conversation resolved ${new Date(later + DAY).toISOString()}.`,
  );
}

main()
  .catch((error: unknown) => {
    console.error('seed-archived-chat failed:', error instanceof Error ? error.message : error);
    process.exitCode = 1;
  })
  .finally(() => closeDb());
