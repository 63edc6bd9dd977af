// After resolve, the client is asked to rate the episode (an inline keyboard 1–5); their tap is
// stored on the conversation, audited, and answered in their language; someone else's tap, a bad
// button or a reopened episode changes nothing.
import { and, eq } from 'drizzle-orm';
import { beforeEach, describe, expect, it } from 'vitest';
import type { Db } from '@/db/client';
import { clients, conversations, messages, operatorLogs } from '@/db/schema';
import { settleBackgroundWork } from '@/lib/background';
import { resolveClient } from '@/lib/clients/resolve-client';
import { drainOutbox } from '@/lib/outbox/outbox-worker';
import { actorFor, makeDepartment, makeOperator, textUpdate } from '../factories';
import { getTestDb, resetDb } from '../support/db';
import { telegram } from '../support/setup-integration';
import { postUpdate } from '../support/webhook';

let db: Db;
let updateId = 880_000;

beforeEach(async () => {
  await settleBackgroundWork();
  db = await getTestDb();
  await resetDb(db);
  telegram().reset();
});

/** Taps an inline button; resolves to the callback query's id once the webhook answered. */
async function tap(userId: number, data: string, message = { chatId: userId, messageId: 1 }) {
  const id = `cb-${updateId}`;
  const response = await postUpdate({
    update_id: updateId++,
    callback_query: {
      id,
      from: { id: userId, is_bot: false, first_name: `U${userId}` },
      chat_instance: '1',
      data,
      message: { message_id: message.messageId, date: 1, chat: { id: message.chatId, type: 'private' } },
    },
  });
  expect(response.status).toBe(200);
  return id;
}

/** The bot's answer to one callback query (answers carry no chat: they are found by id). */
const answerTo = (callbackQueryId: string) =>
  telegram().calls.find(
    (c) => c.method === 'answerCallbackQuery' && c.payload.callback_query_id === callbackQueryId,
  );

async function resolvedClient(userId: number, languageCode = 'en') {
  const department = await makeDepartment(db, { isDefault: true });
  const operator = await makeOperator(db, { departmentIds: [department.id] });
  const response = await postUpdate(textUpdate({ id: userId, language_code: languageCode }, 'hello'));
  expect(response.status).toBe(200);
  await settleBackgroundWork();
  const [client] = await db.select().from(clients).where(eq(clients.telegramUserId, userId));
  if (!client?.currentConversationId) throw new Error('no client episode');
  const actor = actorFor(operator, [department.id]);
  const resolved = await db.transaction((tx) => resolveClient({ tx, actor, input: { clientId: client.id } }));
  expect(resolved.ratingRequest).not.toBeNull();
  await drainOutbox();
  return { client, conversationId: client.currentConversationId, actor };
}

const calls = (method: string, chatId: number) =>
  telegram().calls.filter((c) => c.method === method && Number(c.payload.chat_id ?? chatId) === chatId);

describe('rating after resolve', () => {
  it('asks the client with 1–5 buttons in their language, stores their tap, thanks them and audits it', async () => {
    const { client, conversationId } = await resolvedClient(881_001, 'ru');
    const [request] = calls('sendMessage', 881_001);
    expect(request?.payload.text).toBe(
      'Ваш вопрос решён. Как вы оцениваете нашу помощь? Нажмите от 1 (плохо) до 5 (отлично).',
    );
    const keyboard = request?.payload.reply_markup as {
      inline_keyboard: { text: string; callback_data: string }[][];
    };
    expect(keyboard.inline_keyboard[0]?.map((b) => b.callback_data)).toEqual(
      [1, 2, 3, 4, 5].map((n) => `rate:${conversationId}:${n}`),
    );
    const [stored] = await db.select().from(messages).where(eq(messages.conversationId, conversationId));
    expect(stored).toBeDefined();

    const rated = await tap(881_001, `rate:${conversationId}:4`);
    await settleBackgroundWork();
    const [episode] = await db.select().from(conversations).where(eq(conversations.id, conversationId));
    expect(episode?.rating).toBe(4);
    expect(answerTo(rated)?.payload.text).toBe('Спасибо за оценку: ★★★★☆');
    expect(calls('editMessageText', 881_001).at(-1)?.payload).toMatchObject({
      chat_id: 881_001,
      message_id: 1,
      text: 'Спасибо за оценку: ★★★★☆',
    });
    const [audit] = await db
      .select()
      .from(operatorLogs)
      .where(and(eq(operatorLogs.action, 'conversation.rated'), eq(operatorLogs.targetId, client.id)));
    expect(audit).toMatchObject({
      actorType: 'telegram',
      telegramUserId: 881_001,
      details: { conversationId, rating: 4 },
    });
    expect(audit?.departmentId).toBe(client.departmentId);

    // A second tap changes the rating.
    await tap(881_001, `rate:${conversationId}:5`);
    await settleBackgroundWork();
    const [changed] = await db.select().from(conversations).where(eq(conversations.id, conversationId));
    expect(changed?.rating).toBe(5);
  });

  it('ignores a tap by someone else, a bad button and a reopened episode', async () => {
    const { conversationId } = await resolvedClient(881_002);
    const stranger = await tap(881_999, `rate:${conversationId}:1`);
    await tap(881_002, `rate:${conversationId}:9`);
    await tap(881_002, `rate:not-a-uuid:3`);
    await settleBackgroundWork();
    expect(answerTo(stranger)?.payload.text).toBe('This rating is no longer open.');
    // The client writes again: a new episode opens; the old one is still theirs to rate.
    await postUpdate(textUpdate({ id: 881_002 }, 'one more question'));
    await settleBackgroundWork();
    const [episode] = await db.select().from(conversations).where(eq(conversations.id, conversationId));
    expect(episode?.rating).toBeNull();
    expect(await db.$count(operatorLogs, eq(operatorLogs.action, 'conversation.rated'))).toBe(0);
  });

  it('does not ask a client who blocked the bot', async () => {
    const department = await makeDepartment(db, { isDefault: true });
    const operator = await makeOperator(db, { departmentIds: [department.id] });
    await postUpdate(textUpdate({ id: 881_003 }, 'hello'));
    await settleBackgroundWork();
    const [client] = await db.select().from(clients).where(eq(clients.telegramUserId, 881_003));
    await postUpdate({
      update_id: updateId++,
      my_chat_member: {
        chat: { id: 881_003, type: 'private' },
        from: { id: 881_003, is_bot: false, first_name: 'B' },
        date: 1,
        old_chat_member: { status: 'member', user: { id: 1, is_bot: true, first_name: 'bot' } },
        new_chat_member: {
          status: 'kicked',
          until_date: 0,
          user: { id: 1, is_bot: true, first_name: 'bot' },
        },
      },
    });
    await settleBackgroundWork();
    const resolved = await db.transaction((tx) =>
      resolveClient({
        tx,
        actor: actorFor(operator, [department.id]),
        input: { clientId: client?.id ?? '' },
      }),
    );
    expect(resolved).toMatchObject({ status: 'blocked', ratingRequest: null });
  });
});
