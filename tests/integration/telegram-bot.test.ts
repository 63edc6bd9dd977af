import { and, eq } from 'drizzle-orm';
import { beforeEach, describe, expect, it } from 'vitest';
import type { Db } from '@/db/client';
import {
  clients,
  conversations,
  departments,
  messages,
  operatorLogs,
  operatorNotifications,
  operators,
} from '@/db/schema';
import { settleBackgroundWork } from '@/lib/background';
import { systemActor } from '@/lib/auth/actor';
import { createOperatorInvite } from '@/lib/operators/create-operator-invite';
import { makeDepartment, makeOperator, textUpdate } from '../factories';
import { getTestDb, resetDb } from '../support/db';
import { telegram } from '../support/setup-integration';
import { postUpdate } from '../support/webhook';

let db: Db;
let updateId = 990_000;
let messageId = 50_000;

beforeEach(async () => {
  await settleBackgroundWork();
  db = await getTestDb();
  await resetDb(db);
  telegram().reset();
});

async function send(body: unknown) {
  const response = await postUpdate(body);
  expect(response.status).toBe(200);
  await settleBackgroundWork();
}

/** A private message from any Telegram user (client or operator). */
function privateMessage(userId: number, extra: Record<string, unknown>, languageCode = 'en') {
  return {
    update_id: updateId++,
    message: {
      message_id: messageId++,
      date: Math.floor(Date.now() / 1000),
      chat: { id: userId, type: 'private', first_name: `U${userId}` },
      from: { id: userId, is_bot: false, first_name: `U${userId}`, language_code: languageCode },
      ...extra,
    },
  };
}

function callback(userId: number, data: string, message?: { chatId: number; messageId: number }) {
  return {
    update_id: updateId++,
    callback_query: {
      id: `cb-${updateId}`,
      from: { id: userId, is_bot: false, first_name: `U${userId}` },
      chat_instance: '1',
      data,
      ...(message
        ? {
            message: {
              message_id: message.messageId,
              date: 1,
              chat: { id: message.chatId, type: 'private' },
            },
          }
        : {}),
    },
  };
}

const callsTo = (chatId: number, method = 'sendMessage') =>
  telegram().calls.filter((c) => c.method === method && Number(c.payload.chat_id) === chatId);

describe('client commands', () => {
  it('/start greets in the client language, offers open departments, and keeps the deep-link source', async () => {
    const general = await makeDepartment(db, { name: 'General', isDefault: true, sortOrder: 0 });
    await makeDepartment(db, { name: 'Billing', sortOrder: 1 });
    await makeDepartment(db, { name: 'Closed', isActive: false });
    await send(privateMessage(41_001, { text: '/start spring_campaign' }, 'ru'));

    const [client] = await db.select().from(clients).where(eq(clients.telegramUserId, 41_001));
    expect(client).toMatchObject({ source: 'spring_campaign', departmentId: general.id, unreadCount: 0 });
    const [greeting] = callsTo(41_001);
    expect(String(greeting?.payload.text)).toContain('Здравствуйте');
    expect(greeting?.payload.reply_markup).toEqual({
      inline_keyboard: [
        [{ text: 'General', callback_data: `dept:${general.id}` }],
        [{ text: 'Billing', callback_data: expect.stringMatching(/^dept:/) }],
      ],
    });
    const [stored] = await db
      .select()
      .from(messages)
      .where(eq(messages.clientId, client?.id ?? ''));
    expect(stored).toMatchObject({ senderKind: 'bot', deliveryStatus: 'sent' });
  });

  it('/start with one open department just greets; /help explains', async () => {
    await makeDepartment(db, { isDefault: true, greeting: { en: 'Welcome to Acme support!' } });
    await send(privateMessage(41_002, { text: '/start' }));
    await send(privateMessage(41_002, { text: '/help' }));
    const texts = callsTo(41_002).map((c) => c.payload.text);
    expect(texts[0]).toBe('Welcome to Acme support!');
    expect(callsTo(41_002)[0]?.payload.reply_markup).toBeUndefined();
    expect(String(texts[1])).toContain('Write your question');
  });

  it('choosing a department routes the client there and answers the button', async () => {
    await makeDepartment(db, { name: 'General', isDefault: true });
    const billing = await makeDepartment(db, { name: 'Billing' });
    const billingOperator = await makeOperator(db, { departmentIds: [billing.id] });
    await send(privateMessage(41_003, { text: '/start' }));
    await send(callback(41_003, `dept:${billing.id}`, { chatId: 41_003, messageId: 1000 }));
    await send(privateMessage(41_003, { text: 'My invoice is wrong' }));

    const [client] = await db.select().from(clients).where(eq(clients.telegramUserId, 41_003));
    expect(client).toMatchObject({ departmentId: billing.id, assignedOperatorId: billingOperator.id });
    expect(telegram().calls.find((c) => c.method === 'answerCallbackQuery')?.payload.text).toBe('Billing');
    expect(callsTo(41_003, 'editMessageText')[0]?.payload.text).toContain('Billing');
    const [audit] = await db
      .select()
      .from(operatorLogs)
      .where(eq(operatorLogs.action, 'client.department_chosen'));
    expect(audit).toMatchObject({ actorType: 'telegram', targetId: client?.id });
  });
});

describe('operators in Telegram', () => {
  async function linkedOperator(telegramUserId: number) {
    const department = await makeDepartment(db, { isDefault: true });
    const operator = await makeOperator(db, { departmentIds: [department.id], name: 'Olga' });
    const invite = await createOperatorInvite({
      db,
      actor: systemActor('test'),
      input: { operatorId: operator.id },
    });
    expect(invite.url).toMatch(/^https:\/\/t\.me\/desk_test_bot\?start=op_[A-Za-z0-9_-]+$/);
    await send(privateMessage(telegramUserId, { text: `/start op_${invite.token}` }));
    return { department, operator, invite };
  }

  it('an invite link links the Telegram account once', async () => {
    const { operator, invite } = await linkedOperator(42_001);
    const [linked] = await db.select().from(operators).where(eq(operators.id, operator.id));
    expect(linked?.telegramUserId).toBe(42_001);
    expect(String(callsTo(42_001)[0]?.payload.text)).toContain('Welcome, Olga');
    // Used again by someone else: refused, and nothing changes.
    await send(privateMessage(42_002, { text: `/start op_${invite.token}` }));
    expect(String(callsTo(42_002)[0]?.payload.text)).toContain('already used');
    expect(await db.select().from(clients)).toHaveLength(0);
  });

  it('forwards a client message to the operator and delivers the operator’s Telegram reply to the client', async () => {
    const { operator } = await linkedOperator(42_010);
    telegram().reset();
    await send(textUpdate({ id: 42_011, first_name: 'Client' }, 'Where is my parcel?'));

    const [notice] = callsTo(42_010);
    expect(String(notice?.payload.text)).toContain('<b>Client</b>');
    expect(String(notice?.payload.text)).toContain('Where is my parcel?');
    const [notification] = await db.select().from(operatorNotifications);
    expect(notification).toMatchObject({ operatorId: operator.id, telegramChatId: 42_010 });

    await send(
      privateMessage(42_010, {
        text: 'It ships today <3',
        reply_to_message: {
          message_id: notification?.telegramMessageId,
          date: 1,
          chat: { id: 42_010, type: 'private' },
        },
      }),
    );
    // Relayed as written: the text as it is (no HTML parsing), with its entities if it had any.
    const [reply] = callsTo(42_011);
    expect(reply?.payload).toMatchObject({ text: 'It ships today <3' });
    expect(reply?.payload.parse_mode).toBeUndefined();
    const [stored] = await db
      .select()
      .from(messages)
      .where(and(eq(messages.direction, 'outbound'), eq(messages.telegramChatId, 42_011)));
    expect(stored).toMatchObject({
      operatorId: operator.id,
      senderKind: 'operator',
      deliveryStatus: 'sent',
      text: 'It ships today <3',
    });
  });

  it('splits a long client message for the operator by visible length, escaping each part', async () => {
    await linkedOperator(42_015);
    telegram().reset();
    await send(textUpdate({ id: 42_016, first_name: 'Amp' }, '&'.repeat(5000)));
    const parts = callsTo(42_015).map((c) => String(c.payload.text));
    expect(parts).toHaveLength(2);
    const visible = parts.map((p) => p.replace(/<[^>]+>/g, '').replaceAll('&amp;', '&'));
    expect(visible.every((v) => v.length <= 4096)).toBe(true);
    expect(visible.join('').match(/&/g)).toHaveLength(5000);
    expect(parts.every((p) => !/&(?!amp;)/.test(p))).toBe(true);
  });

  it('copies media to the operator instead of re-uploading it', async () => {
    await linkedOperator(42_020);
    telegram().reset();
    const update = textUpdate({ id: 42_021 }, 'x');
    const { text: _text, ...rest } = update.message;
    await send({
      update_id: update.update_id,
      message: { ...rest, location: { latitude: 1.5, longitude: 2.5 } },
    });
    const copy = telegram().calls.find((c) => c.method === 'copyMessage');
    expect(copy?.payload).toMatchObject({
      chat_id: 42_020,
      from_chat_id: 42_021,
      message_id: update.message.message_id,
    });
    expect(await db.select().from(operatorNotifications)).toHaveLength(2);
  });

  it('/close as a reply resolves the client and ends the episode', async () => {
    const { operator } = await linkedOperator(42_030);
    await send(textUpdate({ id: 42_031 }, 'thanks, all good'));
    const [notification] = await db.select().from(operatorNotifications);
    await send(
      privateMessage(42_030, {
        text: '/close',
        reply_to_message: {
          message_id: notification?.telegramMessageId,
          date: 1,
          chat: { id: 42_030, type: 'private' },
        },
      }),
    );
    const [client] = await db.select().from(clients).where(eq(clients.telegramUserId, 42_031));
    expect(client?.status).toBe('resolved');
    const [episode] = await db
      .select()
      .from(conversations)
      .where(eq(conversations.clientId, client?.id ?? ''));
    expect(episode).toMatchObject({ status: 'resolved', resolvedById: operator.id });
    expect(episode?.resolvedAt).not.toBeNull();
    expect(callsTo(42_030).some((c) => String(c.payload.text).includes('Resolved'))).toBe(true);
  });

  it('/status shows a keyboard; pressing a button changes the status and drains the queue', async () => {
    const { operator, department } = await linkedOperator(42_040);
    await db.update(operators).set({ status: 'offline' }).where(eq(operators.id, operator.id));
    await send(textUpdate({ id: 42_041 }, 'anyone?'));
    await send(privateMessage(42_040, { text: '/status' }));
    const keyboard = callsTo(42_040).at(-1)?.payload.reply_markup;
    expect(JSON.stringify(keyboard)).toContain('status:online');

    await send(callback(42_040, 'status:online', { chatId: 42_040, messageId: 7 }));
    const [after] = await db.select().from(operators).where(eq(operators.id, operator.id));
    expect(after?.status).toBe('online');
    const [client] = await db.select().from(clients).where(eq(clients.telegramUserId, 42_041));
    expect(client?.assignedOperatorId).toBe(operator.id);
    expect(client?.departmentId).toBe(department.id);
    expect(String(telegram().calls.find((c) => c.method === 'answerCallbackQuery')?.payload.text)).toContain(
      'Online',
    );
  });

  it('/login sends a one-time dashboard link', async () => {
    await linkedOperator(42_050);
    await send(privateMessage(42_050, { text: '/login' }));
    expect(String(callsTo(42_050).at(-1)?.payload.text)).toMatch(/\/login\/link\?token=[A-Za-z0-9_-]+/);
  });

  it('a message that is not a reply gets a hint instead of silence', async () => {
    await linkedOperator(42_060);
    await send(privateMessage(42_060, { text: 'hello?' }));
    expect(String(callsTo(42_060).at(-1)?.payload.text)).toContain('reply to their message');
    expect(await db.select().from(departments)).toHaveLength(1);
  });
});
