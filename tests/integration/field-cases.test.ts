// The field cases (tests/fixtures/field-cases): faults people running Telegram support desks
// reported, each as the Update JSON that reproduces it. Every case is a test named by its id,
// followed by variations of the same kind: the fix must hold for the kind, not the one input.
import { and, asc, desc, eq } from 'drizzle-orm';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Db } from '@/db/client';
import {
  attachments,
  clients,
  messageEdits,
  messages,
  operatorNotifications,
  type Attachment,
} from '@/db/schema';
import { systemActor } from '@/lib/auth/actor';
import { settleBackgroundWork } from '@/lib/background';
import { clientLabel } from '@/lib/clients/client-label';
import { resetEnvCache } from '@/lib/env';
import { listClientMessages } from '@/lib/messages/list-client-messages';
import { retryMessage } from '@/lib/messages/retry-message';
import { sweepDeliveries } from '@/lib/messages/sweep-deliveries';
import { createOperatorInvite } from '@/lib/operators/create-operator-invite';
import { actorFor, makeDepartment, makeOperator } from '../factories';
import { getTestDb, resetDb } from '../support/db';
import { loadFieldCase, withReplyTo } from '../support/field-cases';
import { telegram } from '../support/setup-integration';
import { behaviourOf } from '../support/telegram-server';
import { postUpdate } from '../support/webhook';

let db: Db;
let updateSeq = 61_000_000;
let messageSeq = 9_000;

beforeEach(async () => {
  await settleBackgroundWork();
  db = await getTestDb();
  await resetDb(db);
  telegram().reset();
});

afterEach(() => {
  delete process.env.TELEGRAM_CALL_TIMEOUT_SEC;
  resetEnvCache();
});

async function post(update: unknown) {
  const response = await postUpdate(update);
  expect(response.status).toBe(200);
  await settleBackgroundWork();
  return (await response.json()) as { status: string };
}

const calls = (chatId: number, method?: string) =>
  telegram().calls.filter((c) => Number(c.payload.chat_id) === chatId && (!method || c.method === method));

function privateMessage(userId: number, extra: Record<string, unknown>, from: Record<string, unknown> = {}) {
  return {
    update_id: updateSeq++,
    message: {
      message_id: messageSeq++,
      date: Math.floor(Date.now() / 1000),
      chat: { id: userId, type: 'private', first_name: `U${userId}` },
      from: { id: userId, is_bot: false, first_name: `U${userId}`, language_code: 'en', ...from },
      ...extra,
    },
  };
}

async function clientOf(telegramUserId: number) {
  const [client] = await db.select().from(clients).where(eq(clients.telegramUserId, telegramUserId));
  if (!client) throw new Error(`no client ${telegramUserId}`);
  return client;
}

async function albumFiles(messageId: string) {
  return db
    .select()
    .from(attachments)
    .where(eq(attachments.messageId, messageId))
    .orderBy(asc(attachments.position));
}

/**
 * The preconditions of the operator cases: an operator linked to Telegram user `operatorChat`
 * through an invite, and a client routed to them (/start, then a first message while they are
 * online), so the operator holds a notification about that client to reply to.
 */
async function clientRoutedToLinkedOperator(operatorChat: number, clientChat: number) {
  const department = await makeDepartment(db, { name: 'Delivery', isDefault: true });
  const operator = await makeOperator(db, { departmentIds: [department.id], name: 'Nina' });
  const invite = await createOperatorInvite({
    db,
    actor: systemActor('test'),
    input: { operatorId: operator.id },
  });
  await post(privateMessage(operatorChat, { text: `/start op_${invite.token}` }));
  await post(privateMessage(clientChat, { text: '/start' }, { first_name: 'Case' }));
  await post(privateMessage(clientChat, { text: 'Where is my order?' }, { first_name: 'Case' }));
  const client = await clientOf(clientChat);
  expect(client.assignedOperatorId).toBe(operator.id);
  const [notification] = await db
    .select()
    .from(operatorNotifications)
    .where(eq(operatorNotifications.clientId, client.id))
    .orderBy(desc(operatorNotifications.id))
    .limit(1);
  if (!notification) throw new Error('the operator was not notified');
  return { department, operator, client, notificationId: notification.telegramMessageId };
}

/** A client's chat as the dashboard lists it, without the desk's own messages (queue auto-replies). */
async function inbound(clientId: string) {
  const chat = (
    await listClientMessages({ db, actor: systemActor('test'), input: { clientId } })
  ).results.toReversed();
  return chat.filter((m) => m.direction === 'inbound');
}

/** The outbound message stored for an operator's Telegram message. */
async function relayedReply(operatorChat: number, operatorMessageId: number) {
  const [row] = await db
    .select()
    .from(messages)
    .where(
      and(
        eq(messages.operatorTelegramChatId, operatorChat),
        eq(messages.operatorTelegramMessageId, operatorMessageId),
      ),
    );
  if (!row) throw new Error('reply not stored');
  return row;
}

describe('C01: album order', () => {
  const fieldCase = loadFieldCase('C01');

  it('C01: album items keep the order the client sent them', async () => {
    const [first, second, third, ...concurrent] = fieldCase.inputs;
    for (const input of [first, second, third]) await post(input?.update);
    // The three later albums arrive all at once, as Telegram delivers them concurrently.
    await Promise.all(concurrent.map((input) => postUpdate(input.update)));
    await settleBackgroundWork();

    const albums = await db
      .select()
      .from(messages)
      .where(and(eq(messages.telegramChatId, 772000101), eq(messages.direction, 'inbound')))
      .orderBy(asc(messages.telegramMessageId));
    expect(albums.map((a) => a.telegramMessageId)).toEqual([101, 201, 301, 401]);
    for (const album of albums) {
      const files = await albumFiles(album.id);
      const ids = files.map((f) => f.telegramMessageId);
      const base = album.telegramMessageId ?? 0;
      expect(ids).toEqual([base, base + 1, base + 2]);
      expect(files.map((f) => f.position)).toEqual([0, 1, 2]);
      expect(album.contentKind).toBe('album');
      expect((album.telegramPayload as { items: unknown[] }).items).toHaveLength(3);
    }
    expect(albums[0]?.text).toBe('Photo 1 of 3: the damaged box');
  });

  it('C01 kind: any arrival order and any concurrency gives message-id order and captions in order', async () => {
    const user = 772_300_001;
    for (let album = 0; album < 4; album++) {
      const ids = [1, 2, 3, 4, 5].map((i) => 500_000 + album * 10 + i);
      const items = ids.map((id) =>
        privateMessage(
          user,
          {
            message_id: id,
            media_group_id: `g-${album}`,
            photo: [{ file_id: `f-${id}`, file_unique_id: `u-${id}`, width: 10, height: 10 }],
            caption: `caption ${id}`,
          },
          { first_name: 'Albums' },
        ),
      );
      // A different shuffle per album: reversed, rotated, interleaved.
      const order = [
        [4, 3, 2, 1, 0],
        [2, 0, 4, 1, 3],
        [1, 3, 0, 4, 2],
        [3, 4, 0, 2, 1],
      ][album] ?? [0, 1, 2, 3, 4];
      const shuffled = order.map((i) => items[i]);
      if (album % 2 === 0) for (const item of shuffled) await post(item);
      else await Promise.all(shuffled.map((item) => postUpdate(item)));
      await settleBackgroundWork();
      const [stored] = await db
        .select()
        .from(messages)
        .where(and(eq(messages.telegramChatId, user), eq(messages.mediaGroupId, `g-${album}`)));
      if (!stored) throw new Error('album not stored');
      expect(stored.telegramMessageId).toBe(ids[0]);
      expect((await albumFiles(stored.id)).map((f: Attachment) => f.telegramMessageId)).toEqual(ids);
      expect(stored.text).toBe(ids.map((id) => `caption ${id}`).join('\n'));
    }
    // An album counts as one unread message, whatever its size.
    expect((await clientOf(user)).unreadCount).toBe(4);
  });
});

describe('C06: reply links', () => {
  it('C06: a reply links to whichever stored message it targets; the chat shows the quoted message', async () => {
    const album = loadFieldCase('C01').inputs.slice(0, 3);
    for (const input of album) await post(input.update);
    const fieldCase = loadFieldCase('C06');
    for (const input of fieldCase.inputs) await post(input.update);

    const [albumRow] = await db
      .select()
      .from(messages)
      .where(and(eq(messages.telegramChatId, 772000101), eq(messages.mediaGroupId, '1310000777')));
    const replies = await db
      .select()
      .from(messages)
      .where(eq(messages.telegramChatId, 772000101))
      .orderBy(asc(messages.telegramMessageId));
    const byId = new Map(replies.map((m) => [m.telegramMessageId, m]));
    for (const mid of [500, 600, 700]) expect(byId.get(mid)?.replyToMessageId).toBe(albumRow?.id);

    const client = await clientOf(772000101);
    const chat = (
      await listClientMessages({ db, actor: systemActor('test'), input: { clientId: client.id } })
    ).results;
    const quoted = [500, 600, 700].map((mid) => chat.find((m) => m.telegramMessageId === mid)?.replyTo);
    expect(quoted).toEqual([
      expect.objectContaining({
        id: albumRow?.id,
        item: { number: 1, of: 3 },
        text: 'Photo 1 of 3: the damaged box',
      }),
      expect.objectContaining({ id: albumRow?.id, item: { number: 2, of: 3 }, text: null }),
      expect.objectContaining({ id: albumRow?.id, item: { number: 3, of: 3 }, text: null }),
    ]);
  });

  it('C06 kind: replies to a later part of a split outbound text and to a sent file link too', async () => {
    await makeDepartment(db, { isDefault: true });
    const operator = await makeOperator(db, {});
    const user = 772_300_601;
    await post(privateMessage(user, { text: 'hello' }));
    const client = await clientOf(user);
    // A reply of two parts (split at 4096 UTF-16 units), delivered through the recording server.
    const { sendOperatorMessage } = await import('@/lib/messages/send-operator-message');
    const { drainOutbox } = await import('@/lib/outbox/outbox-worker');
    await db.update(clients).set({ assignedOperatorId: null }).where(eq(clients.id, client.id));
    const actor = actorFor(operator, client.departmentId ? [client.departmentId] : []);
    const queued = await sendOperatorMessage({
      db,
      actor,
      input: { clientId: client.id, text: 'x'.repeat(5000) },
    });
    await drainOutbox();
    const [outbound] = await db.select().from(messages).where(eq(messages.id, queued.messageId));
    const secondPart = outbound?.telegramExtraMessageIds?.[0];
    expect(secondPart).toBeTypeOf('number');
    await post(
      privateMessage(user, {
        text: 'about the second part',
        reply_to_message: { message_id: secondPart, date: 1, chat: { id: user, type: 'private' } },
      }),
    );
    const [reply] = await db
      .select()
      .from(messages)
      .where(and(eq(messages.telegramChatId, user), eq(messages.text, 'about the second part')));
    expect(reply?.replyToMessageId).toBe(queued.messageId);
  });
});

describe('C05: forwarded messages', () => {
  it('C05: forwarded messages keep their origin and the chat view shows it', async () => {
    const fieldCase = loadFieldCase('C05');
    for (const input of fieldCase.inputs) await post(input.update);
    const client = await clientOf(772000105);
    const chat = await inbound(client.id);
    const origins = chat.map((m) => m.payload?.forwardOrigin);
    expect(origins).toEqual([
      expect.objectContaining({
        type: 'channel',
        name: 'Shop News',
        username: 'shop_news_case',
        messageId: 4411,
      }),
      expect.objectContaining({ type: 'hidden_user', name: 'Courier Dmitry' }),
      expect.objectContaining({ type: 'user', name: 'Post Office', userId: 779000777 }),
    ]);
    // The whole Message is kept, whatever we chose to read from it.
    const [first] = await db.select().from(messages).where(eq(messages.telegramMessageId, 100));
    expect(first?.telegramPayload).toMatchObject({ forward_from_message_id: 4411 });
  });

  it('C05 kind: legacy forward fields, group origins with a signature, and forwards with files', async () => {
    const user = 772_300_501;
    await post(
      privateMessage(user, {
        text: 'old style',
        forward_from: { id: 5, is_bot: false, first_name: 'Ann' },
        forward_date: 1,
      }),
    );
    await post(
      privateMessage(user, { text: 'old hidden', forward_sender_name: 'Secret Sam', forward_date: 1 }),
    );
    await post(
      privateMessage(user, {
        text: 'from a group',
        forward_origin: {
          type: 'chat',
          date: 1,
          sender_chat: { id: -100, type: 'supergroup', title: 'Buyers' },
          author_signature: 'admin',
        },
      }),
    );
    await post(
      privateMessage(user, {
        photo: [{ file_id: 'fw-photo', file_unique_id: 'fw-u', width: 1, height: 1 }],
        forward_origin: {
          type: 'channel',
          date: 1,
          chat: { id: -200, type: 'channel', title: 'Deals' },
          message_id: 7,
        },
      }),
    );
    const client = await clientOf(user);
    const chat = await inbound(client.id);
    expect(chat.map((m) => m.payload?.forwardOrigin)).toEqual([
      expect.objectContaining({ type: 'user', name: 'Ann' }),
      expect.objectContaining({ type: 'hidden_user', name: 'Secret Sam' }),
      expect.objectContaining({ type: 'chat', name: 'Buyers', authorSignature: 'admin' }),
      expect.objectContaining({ type: 'channel', name: 'Deals', messageId: 7 }),
    ]);
  });
});

describe('C14: stickers', () => {
  it('C14: stickers keep their real file type and their emoji', async () => {
    const fieldCase = loadFieldCase('C14');
    for (const id of ['CAACAgIAAxkBAAIstk100', 'CAACAgIAAxkBAAIstk200', 'CAACAgIAAxkBAAIstk300'])
      telegram().addFile(id, { bytes: new Uint8Array([1, 2, 3]) });
    for (const input of fieldCase.inputs) await post(input.update);
    const client = await clientOf(772000114);
    const chat = await inbound(client.id);
    expect(chat.map((m) => m.contentKind)).toEqual(['sticker', 'sticker', 'sticker']);
    expect(chat.map((m) => m.payload?.emoji)).toEqual(['😡', '😡', '😡']);
    expect(chat.map((m) => (m.payload?.sticker as { format: string }).format)).toEqual([
      'static',
      'animated',
      'video',
    ]);
    expect(
      chat.map((m) => [m.attachments[0]?.fileName, m.attachments[0]?.mimeType, m.attachments[0]?.status]),
    ).toEqual([
      ['sticker.webp', 'image/webp', 'stored'],
      ['sticker.tgs', 'application/x-tgsticker', 'stored'],
      ['sticker.webm', 'video/webm', 'stored'],
    ]);
  });

  it('C14 kind: every inbound kind keeps its whole Telegram payload', async () => {
    const user = 772_300_141;
    const kinds = [
      { dice: { emoji: '🎯', value: 6 } },
      { game: { title: 'Chess', description: 'd', photo: [] } },
      { story: { chat: { id: 1, type: 'channel' }, id: 5 } },
      { location: { latitude: 1, longitude: 2 }, live_period: 60 },
    ];
    for (const extra of kinds) await post(privateMessage(user, extra));
    const rows = await db
      .select()
      .from(messages)
      .where(and(eq(messages.telegramChatId, user), eq(messages.direction, 'inbound')))
      .orderBy(asc(messages.telegramMessageId));
    rows.forEach((row, i) => expect(row.telegramPayload).toMatchObject(kinds[i] ?? {}));
    expect(rows.map((r) => r.text)).toEqual(['🎯 6', '[game message]', '[story message]', '📍 1, 2']);
  });
});

describe('C15: bot languages', () => {
  it('C15: a language without texts falls back to English, not Russian', async () => {
    await makeDepartment(db, { isDefault: true });
    for (const input of loadFieldCase('C15').inputs) await post(input.update);
    const texts = calls(772000115, 'sendMessage').map((c) => String(c.payload.text));
    expect(texts).toHaveLength(2);
    expect(texts[0]).toContain('Hello!');
    expect(texts[1]).toContain('Write your question');
    expect(texts.join(' ')).not.toMatch(/[а-яё]/i);
  });

  it('C15 kind: Russian for ru in any form, English for the rest, a department text in the client language first', async () => {
    await makeDepartment(db, { isDefault: true, greeting: { uk: 'Вітаємо!', default: 'Welcome!' } });
    const cases: [string, RegExp][] = [
      ['ru-RU', /^Welcome!$/],
      ['uk', /^Вітаємо!$/],
      ['be', /^Welcome!$/],
    ];
    for (const [i, [lang, expected]] of cases.entries()) {
      await post(privateMessage(772_300_150 + i, { text: '/start' }, { language_code: lang }));
      expect(String(calls(772_300_150 + i, 'sendMessage')[0]?.payload.text)).toMatch(expected);
    }
    for (const [i, lang] of ['ru', 'RU-ua', 'kk', 'pt-br', 'zz'].entries()) {
      await post(privateMessage(772_300_160 + i, { text: '/help' }, { language_code: lang }));
      const text = String(calls(772_300_160 + i, 'sendMessage')[0]?.payload.text);
      expect(/[а-яё]/i.test(text)).toBe(lang.toLowerCase().startsWith('ru'));
    }
  });
});

describe('C19: untrusted Unicode in names', () => {
  it('C19: names of invisible characters get a visible fallback; bidi controls are neutralised', async () => {
    for (const input of loadFieldCase('C19').inputs) await post(input.update);
    const names = await Promise.all(
      [772000119, 772000219, 772000319].map(async (id) => (await clientOf(id)).displayName),
    );
    expect(names).toEqual(['Telegram user 772000119', '@zw_name_case', 'Ivan gnp.exe Petrov']);
  });

  it('C19 kind: isolates, joiners, combining marks and blank characters never make an empty or reordered label', async () => {
    const names = [
      '\u2067\u2069',
      '\u200d\u200c\u2060',
      '\u0301\u0301',
      '\u2800 \u3164',
      'Anna \u2068evil\u2069 \u202dX',
    ];
    for (const [i, first_name] of names.entries())
      await post(privateMessage(772_300_190 + i, { text: 'hi' }, { first_name }));
    const labels = await Promise.all(
      names.map(async (_, i) => {
        const client = await clientOf(772_300_190 + i);
        return clientLabel({ ...client, username: null });
      }),
    );
    expect(labels.slice(0, 4)).toEqual(names.slice(0, 4).map((_, i) => `Telegram user ${772_300_190 + i}`));
    expect(labels[4]).toBe('Anna evil X');
    // Names stored before ingest cleaned them are cleaned in the views too.
    expect(clientLabel({ displayName: '\u3164', username: 'someone', telegramUserId: 1 })).toBe('@someone');
  });
});

describe('C03, C04, C10: operators answering from Telegram', () => {
  it('C04: an operator reply keeps its formatting entities and hidden link on the way to the client', async () => {
    const fieldCase = loadFieldCase('C04');
    const { notificationId } = await clientRoutedToLinkedOperator(771000001, 772000104);
    const [input] = fieldCase.inputs;
    if (!input) throw new Error('no input');
    // The case's reply goes to a client it names implicitly: the one whose notification it answers.
    await post(withReplyTo(input.update, 'message', notificationId));
    const [sent] = calls(772000104, 'sendMessage').slice(-1);
    expect(sent?.payload).toMatchObject({
      text: 'Pay here: invoice link. Deadline: Friday',
      entities: [
        { type: 'text_link', offset: 10, length: 12, url: 'https://pay.example.com/inv/4821' },
        { type: 'bold', offset: 33, length: 6 },
      ],
    });
    expect(sent?.payload.parse_mode).toBeUndefined();
    const stored = await relayedReply(771000001, 200);
    expect(stored).toMatchObject({
      deliveryStatus: 'sent',
      text: 'Pay here: invoice link. Deadline: Friday',
    });
    expect(stored.entities).toEqual([
      { type: 'text_link', offset: 10, length: 12, url: 'https://pay.example.com/inv/4821' },
      { type: 'bold', offset: 33, length: 6 },
    ]);
  });

  it('C04 kind: every entity type goes as written; media are copied with their caption entities and stored', async () => {
    const { notificationId, client } = await clientRoutedToLinkedOperator(771_100_001, 772_300_041);
    const replyTo = { message_id: notificationId, date: 1, chat: { id: 771_100_001, type: 'private' } };
    const text = 'Note abc — 🙂 see docs and @support';
    const entities = [
      { type: 'italic', offset: 0, length: 4 },
      { type: 'code', offset: 5, length: 3 },
      { type: 'text_link', offset: 14, length: 8, url: 'https://docs.example.com' },
      { type: 'mention', offset: 27, length: 8 },
    ];
    await post(privateMessage(771_100_001, { text, entities, reply_to_message: replyTo }));
    const [formatted] = calls(772_300_041, 'sendMessage').slice(-1);
    expect(formatted?.payload).toMatchObject({ text, entities });

    telegram().addFile('op-photo', { bytes: new Uint8Array([9, 9, 9]) });
    const photoReply = privateMessage(771_100_001, {
      photo: [{ file_id: 'op-photo', file_unique_id: 'op-photo-u', width: 5, height: 5 }],
      caption: 'Your receipt',
      caption_entities: [{ type: 'bold', offset: 5, length: 7 }],
      reply_to_message: replyTo,
    });
    await post(photoReply);
    expect(calls(772_300_041, 'copyMessage')[0]?.payload).toMatchObject({
      from_chat_id: 771_100_001,
      message_id: photoReply.message.message_id,
    });
    const chat = (
      await listClientMessages({ db, actor: systemActor('test'), input: { clientId: client.id } })
    ).results;
    const photo = chat.find((m) => m.contentKind === 'photo' && m.direction === 'outbound');
    expect(photo).toMatchObject({ deliveryStatus: 'sent', text: 'Your receipt' });
    expect(photo?.attachments[0]).toMatchObject({ status: 'stored', mimeType: 'image/jpeg' });

    // The operator deleted the photo before it went: it fails, and the operator is told why.
    telegram().setBehaviour(772_300_041, {
      kind: 'error',
      method: 'copyMessage',
      code: 400,
      description: 'Bad Request: message to copy not found',
      times: 1,
    });
    await post(
      privateMessage(771_100_001, {
        ...photoReply.message,
        message_id: messageSeq++,
        reply_to_message: replyTo,
      }),
    );
    const told = calls(771_100_001, 'sendMessage').map((c) => String(c.payload.text));
    expect(told.at(-1)).toContain('was not delivered');
    expect(told.at(-1)).toContain('message to copy not found');
  });

  it('C04 kind: what the desk cannot relay is answered to the operator, never dropped', async () => {
    const { notificationId } = await clientRoutedToLinkedOperator(771_100_002, 772_300_042);
    telegram().reset();
    await post(
      privateMessage(771_100_002, {
        dice: { emoji: '🎲', value: 2 },
        reply_to_message: { message_id: notificationId, date: 1, chat: { id: 771_100_002, type: 'private' } },
      }),
    );
    expect(String(calls(771_100_002, 'sendMessage')[0]?.payload.text)).toContain('cannot be passed on');
    expect(calls(772_300_042)).toHaveLength(0);
  });

  it('C03: an operator edit in Telegram edits the client copy and the stored text, keeping history', async () => {
    const fieldCase = loadFieldCase('C03');
    const { notificationId } = await clientRoutedToLinkedOperator(771000001, 772000103);
    const [reply, edit] = fieldCase.inputs;
    if (!reply || !edit) throw new Error('inputs missing');
    await post(withReplyTo(reply.update, 'message', notificationId));
    const sent = await relayedReply(771000001, 100);
    expect(sent.deliveryStatus).toBe('sent');
    await post(withReplyTo(edit.update, 'edited_message', notificationId));

    const [editCall] = calls(772000103, 'editMessageText');
    expect(editCall?.payload).toMatchObject({
      message_id: sent.telegramMessageId,
      text: 'Your order ships on Tuesday (not Monday, sorry).',
    });
    const after = await relayedReply(771000001, 100);
    expect(after.text).toBe('Your order ships on Tuesday (not Monday, sorry).');
    expect(after.editedAt).not.toBeNull();
    const history = await db.select().from(messageEdits).where(eq(messageEdits.messageId, sent.id));
    expect(history.map((h) => h.text)).toEqual(['Your order ships on Monday.']);
  });

  it('C03 kind: caption edits carry their entities; edits that cannot be relayed are answered', async () => {
    const { notificationId } = await clientRoutedToLinkedOperator(771_100_003, 772_300_031);
    const replyTo = { message_id: notificationId, date: 1, chat: { id: 771_100_003, type: 'private' } };
    const photo = [{ file_id: 'cap-photo', file_unique_id: 'cap-u', width: 5, height: 5 }];
    const original = privateMessage(771_100_003, {
      photo,
      caption: 'Old caption',
      reply_to_message: replyTo,
    });
    await post(original);
    const editedCaption = {
      update_id: updateSeq++,
      edited_message: {
        ...original.message,
        caption: 'New caption',
        caption_entities: [{ type: 'underline', offset: 0, length: 3 }],
        edit_date: original.message.date + 5,
      },
    };
    await post(editedCaption);
    expect(calls(772_300_031, 'editMessageCaption')[0]?.payload).toMatchObject({
      caption: 'New caption',
      caption_entities: [{ type: 'underline', offset: 0, length: 3 }],
    });

    telegram().reset();
    // A replaced file, and an edit of a message that never went to a client.
    await post({
      update_id: updateSeq++,
      edited_message: { ...editedCaption.edited_message, photo: [{ ...photo[0], file_unique_id: 'other' }] },
    });
    const stray = privateMessage(771_100_003, { text: '/status' });
    await post({
      update_id: updateSeq++,
      edited_message: { ...stray.message, text: '/status now', edit_date: 2 },
    });
    const answers = calls(771_100_003, 'sendMessage').map((c) => String(c.payload.text));
    expect(answers.some((t) => t.includes('Replacing a file is not passed on'))).toBe(true);
    expect(answers.some((t) => t.includes('not sent to a client'))).toBe(true);
    expect(calls(772_300_031)).toHaveLength(0);
  });

  it('C10: a client blocked through a 403 comes back with the status they had; the operator is told the reply failed', async () => {
    const fieldCase = loadFieldCase('C10');
    const { notificationId } = await clientRoutedToLinkedOperator(771000001, 772000010);
    const rule = fieldCase.bot_api_rule;
    if (!rule) throw new Error('no rule');
    telegram().setBehaviour(rule.chatId, behaviourOf(rule));
    const [first, second, unblock] = fieldCase.inputs;
    if (!first || !second || !unblock) throw new Error('inputs missing');

    await post(withReplyTo(first.update, 'message', notificationId));
    let client = await clientOf(772000010);
    expect(client).toMatchObject({ status: 'blocked', statusBeforeBlock: 'in_progress' });
    const toOperator = calls(771000001, 'sendMessage').map((c) => String(c.payload.text));
    expect(toOperator.some((t) => t.includes('was not delivered') && t.includes('blocked the bot'))).toBe(
      true,
    );

    await post(withReplyTo(second.update, 'message', notificationId));
    const answers = calls(771000001, 'sendMessage').map((c) => String(c.payload.text));
    expect(answers.at(-1)).toContain('blocked the bot');

    await post(unblock.update);
    client = await clientOf(772000010);
    expect(client).toMatchObject({ status: 'in_progress', statusBeforeBlock: null, blockedAt: null });
  });

  it('C10 kind: a block seen twice (my_chat_member, then a 403) still restores the first status', async () => {
    await makeDepartment(db, { isDefault: true });
    await makeOperator(db, {});
    const user = 772_300_101;
    await post(privateMessage(user, { text: 'first' }));
    await db.update(clients).set({ status: 'waiting' }).where(eq(clients.telegramUserId, user));
    const member = (status: string) => ({
      update_id: updateSeq++,
      my_chat_member: {
        chat: { id: user, type: 'private', first_name: 'B' },
        from: { id: user, is_bot: false, first_name: 'B' },
        date: 1,
        old_chat_member: { user: { id: 1, is_bot: true, first_name: 'Bot' }, status: 'member' },
        new_chat_member: { user: { id: 1, is_bot: true, first_name: 'Bot' }, status },
      },
    });
    await post(member('kicked'));
    const { blockClient } = await import('@/lib/clients/block-client');
    const client = await clientOf(user);
    await db.transaction((tx) =>
      blockClient({ tx, actor: systemActor('test'), clientId: client.id, source: 'send_refused' }),
    );
    await post(member('member'));
    expect(await clientOf(user)).toMatchObject({ status: 'waiting', statusBeforeBlock: null });
  });
});

describe('C09: a send answered late is never sent twice', () => {
  it('C09: a send Telegram answers after 31 s is waited for and sent once', async () => {
    await makeDepartment(db, { isDefault: true });
    const fieldCase = loadFieldCase('C09');
    const rule = fieldCase.bot_api_rule;
    if (!rule) throw new Error('no rule');
    telegram().setBehaviour(rule.chatId, behaviourOf(rule));
    for (const input of fieldCase.inputs) await post(input.update);
    const sends = calls(772000109, 'sendMessage');
    expect(sends).toHaveLength(1);
    const [stored] = await db
      .select()
      .from(messages)
      .where(eq(messages.telegramChatId, 772000109))
      .orderBy(desc(messages.createdAt));
    expect(stored?.deliveryStatus).toBe('sent');
  }, 90_000);

  it('C09 kind: a send we stop waiting for ends "unknown" and is resent only when the operator confirms', async () => {
    process.env.TELEGRAM_CALL_TIMEOUT_SEC = '1';
    resetEnvCache();
    const department = await makeDepartment(db, { isDefault: true });
    const operator = await makeOperator(db, { departmentIds: [department.id] });
    const user = 772_300_091;
    await post(privateMessage(user, { text: 'hi' }));
    const client = await clientOf(user);
    telegram().setBehaviour(user, { kind: 'delay', method: 'sendMessage', delayMs: 2_500, times: 1 });
    const actor = actorFor(operator, client.departmentId ? [client.departmentId] : []);
    const { sendOperatorMessage } = await import('@/lib/messages/send-operator-message');
    const { drainOutbox } = await import('@/lib/outbox/outbox-worker');
    const queued = await sendOperatorMessage({
      db,
      actor,
      input: { clientId: client.id, text: 'Checking now' },
    });
    await drainOutbox();
    await new Promise((resolve) => setTimeout(resolve, 3_000)); // the late answer arrives meanwhile
    const [unknown] = await db.select().from(messages).where(eq(messages.id, queued.messageId));
    expect(unknown).toMatchObject({ deliveryStatus: 'unknown', deliveryErrorCode: 'outcome_unknown' });
    expect(unknown?.deliveryError).toBeTruthy();
    expect(calls(user, 'sendMessage')).toHaveLength(1);

    // Nothing resends it by itself: not the sweep, not a plain retry.
    await sweepDeliveries({ db, now: new Date(Date.now() + 3_600_000) });
    expect(calls(user, 'sendMessage')).toHaveLength(1);
    await expect(retryMessage({ db, actor, input: { messageId: queued.messageId } })).rejects.toMatchObject({
      code: 'conflict',
    });
    await retryMessage({
      db,
      actor,
      input: { messageId: queued.messageId, confirmUnknown: true },
    });
    await drainOutbox();
    expect(calls(user, 'sendMessage')).toHaveLength(2);
    const [sent] = await db.select().from(messages).where(eq(messages.id, queued.messageId));
    expect(sent?.deliveryStatus).toBe('sent');
  }, 30_000);
});
