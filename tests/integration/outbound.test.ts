import { and, eq } from 'drizzle-orm';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import type { Db } from '@/db/client';
import { clients, messages, operatorLogs, operators, outbox } from '@/db/schema';
import { toMessageResource } from '@/lib/api/operations/messages';
import { settleBackgroundWork } from '@/lib/background';
import { AppError } from '@/lib/errors';
import { drainOutbox } from '@/lib/outbox/outbox-worker';
import { loadMessageDtos } from '@/lib/messages/message-dto';
import { retryMessage } from '@/lib/messages/retry-message';
import { sendOperatorMessage } from '@/lib/messages/send-operator-message';
import { tellOperatorNotDelivered } from '@/lib/messages/tell-operator-not-delivered';
import { actorFor, makeDepartment, makeOperator, textUpdate } from '../factories';
import { getTestDb, resetDb } from '../support/db';
import { telegram } from '../support/setup-integration';
import { postUpdate } from '../support/webhook';

let db: Db;

beforeEach(async () => {
  await settleBackgroundWork();
  db = await getTestDb();
  await resetDb(db);
  telegram().reset();
});

/** A department, an online operator and one client (chat id = user id) assigned to them. */
async function conversationWith(chatId: number) {
  const department = await makeDepartment(db, { isDefault: true });
  const operator = await makeOperator(db, { departmentIds: [department.id] });
  await postUpdate(textUpdate({ id: chatId, first_name: 'Client' }, 'hello'));
  const [client] = await db.select().from(clients).where(eq(clients.telegramUserId, chatId));
  if (!client) throw new Error('client not stored');
  return { department, operator, client, actor: actorFor(operator, [department.id]) };
}

async function reply(actor: ReturnType<typeof actorFor>, clientId: string, text: string) {
  const queued = await sendOperatorMessage({ db, actor, input: { clientId, text } });
  await drainOutbox();
  const [row] = await db.select().from(messages).where(eq(messages.id, queued.messageId));
  if (!row) throw new Error('message missing');
  return row;
}

const sends = () => telegram().calls.filter((c) => c.method === 'sendMessage');

describe('operator replies', () => {
  it('reach the Telegram API as escaped HTML and end `sent` with the Telegram message id', async () => {
    const { client, actor, operator } = await conversationWith(700_001);
    const message = await reply(actor, client.id, 'Price is <b>5 & 6</b>');
    expect(sends()).toHaveLength(1);
    expect(sends()[0]?.payload).toMatchObject({
      chat_id: 700_001,
      text: 'Price is &lt;b&gt;5 &amp; 6&lt;/b&gt;',
      parse_mode: 'HTML',
    });
    expect(sends()[0]?.token).toBe('123456:TEST-token-for-the-recording-server');
    expect(message).toMatchObject({
      deliveryStatus: 'sent',
      deliveryError: null,
      operatorId: operator.id,
      senderKind: 'operator',
    });
    expect(message.telegramMessageId).toBeGreaterThan(0);
    const [updated] = await db.select().from(clients).where(eq(clients.id, client.id));
    expect(updated).toMatchObject({ status: 'in_progress', unreadCount: 0 });
    const [audit] = await db.select().from(operatorLogs).where(eq(operatorLogs.action, 'message.sent'));
    expect(audit).toMatchObject({
      operatorId: operator.id,
      targetId: client.id,
      ip: '203.0.113.7',
      userAgent: 'vitest',
    });
  });

  it('split at 4096 UTF-16 units into several Telegram messages', async () => {
    const { client, actor } = await conversationWith(700_002);
    const long = `${'a'.repeat(4000)} ${'b'.repeat(3000)}`;
    const message = await reply(actor, client.id, long);
    expect(sends().map((c) => String(c.payload.text).length)).toEqual([4000, 3000]);
    expect(message.deliveryStatus).toBe('sent');
    expect(message.telegramExtraMessageIds).toHaveLength(1);
  });

  it('show `failed` with Telegram’s reason when the send is refused', async () => {
    const { client, actor } = await conversationWith(700_003);
    telegram().setBehaviour(700_003, {
      kind: 'error',
      code: 400,
      description: 'Bad Request: chat not found',
      times: 1,
    });
    const message = await reply(actor, client.id, 'are you there?');
    expect(message.deliveryStatus).toBe('failed');
    expect(message).toMatchObject({
      deliveryErrorCode: 'telegram_refused',
      deliveryError: 'Bad Request: chat not found',
    });
    expect(message.deliveryError).not.toContain('TEST-token');

    // Retrying a failed message sends it again and ends `sent`.
    await retryMessage({ db, actor, input: { messageId: message.id } });
    await drainOutbox();
    const [after] = await db.select().from(messages).where(eq(messages.id, message.id));
    expect(after?.deliveryStatus).toBe('sent');
  });

  it('mark the client blocked on 403 and refuse further replies', async () => {
    const { client, actor } = await conversationWith(700_004);
    telegram().setBehaviour(700_004, {
      kind: 'error',
      code: 403,
      description: 'Forbidden: bot was blocked by the user',
      times: 1,
    });
    const message = await reply(actor, client.id, 'hello?');
    expect(message.deliveryStatus).toBe('failed');
    expect(message).toMatchObject({
      deliveryErrorCode: 'client_blocked',
      deliveryError: 'Forbidden: bot was blocked by the user',
    });
    const [blocked] = await db.select().from(clients).where(eq(clients.id, client.id));
    expect(blocked?.status).toBe('blocked');
    expect(blocked?.blockedAt).not.toBeNull();
    await expect(
      sendOperatorMessage({ db, actor, input: { clientId: client.id, text: 'again' } }),
    ).rejects.toMatchObject({ code: 'conflict' });
    expect(sends()).toHaveLength(1);
  });

  it('wait out a 429 retry_after in the outbox, then end `sent`', async () => {
    const { client, actor } = await conversationWith(700_005);
    telegram().setBehaviour(700_005, { kind: 'rate_limit', retryAfter: 1, times: 1 });
    const first = await reply(actor, client.id, 'slow down');
    // Nothing waits in a request: the message is back in the queue with the reason shown, and
    // its outbox row is due after Telegram's retry_after.
    expect(first).toMatchObject({ deliveryStatus: 'queued', deliveryErrorCode: 'rate_limited' });
    const [row] = await db
      .select()
      .from(outbox)
      .where(eq(outbox.dedupeKey, `send:${first.id}`));
    expect(row?.availableAt.getTime()).toBeGreaterThan(Date.now() + 500);
    await vi.waitFor(
      async () => {
        await drainOutbox();
        const [now] = await db.select().from(messages).where(eq(messages.id, first.id));
        expect(now?.deliveryStatus).toBe('sent');
      },
      { timeout: 5_000, interval: 200 },
    );
    const attempts = sends();
    expect(attempts).toHaveLength(2);
    expect((attempts[1]?.at ?? 0) - (attempts[0]?.at ?? 0)).toBeGreaterThanOrEqual(950);
    expect(await db.select().from(outbox)).toEqual([]);
  });

  it('honour a long 429 retry_after: the message waits queued with the reason, nothing blocks', async () => {
    const { client, actor } = await conversationWith(700_006);
    telegram().setBehaviour(700_006, { kind: 'rate_limit', retryAfter: 3600, times: 1 });
    const message = await reply(actor, client.id, 'later');
    expect(message).toMatchObject({
      deliveryStatus: 'queued',
      deliveryErrorCode: 'rate_limited',
      deliveryError: 'Too Many Requests: retry after 3600',
    });
    const [row] = await db
      .select()
      .from(outbox)
      .where(eq(outbox.dedupeKey, `send:${message.id}`));
    expect(row?.availableAt.getTime()).toBeGreaterThan(Date.now() + 3_500_000);
    expect(sends()).toHaveLength(1);
  });

  it('resend as plain text when Telegram cannot parse the HTML', async () => {
    const { client, actor } = await conversationWith(700_007);
    telegram().setBehaviour(700_007, {
      kind: 'error',
      code: 400,
      description: "Bad Request: can't parse entities: unsupported tag",
      times: 1,
    });
    const message = await reply(actor, client.id, 'x < y');
    expect(message.deliveryStatus).toBe('sent');
    expect(sends().map((c) => [c.payload.text, c.payload.parse_mode])).toEqual([
      ['x &lt; y', 'HTML'],
      ['x < y', undefined],
    ]);
  });

  it('are refused for clients the operator may not see, and nothing is stored', async () => {
    const { client, department } = await conversationWith(700_008);
    const stranger = await makeOperator(db, { departmentIds: [department.id] });
    const error = await sendOperatorMessage({
      db,
      actor: actorFor(stranger, [department.id]),
      input: { clientId: client.id, text: 'hi' },
    }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AppError);
    expect(error).toMatchObject({ code: 'not_found' });
    const outbound = await db
      .select()
      .from(messages)
      .where(and(eq(messages.clientId, client.id), eq(messages.direction, 'outbound')));
    expect(outbound).toHaveLength(0);
  });

  it('let an operator claim a queued client of their department by answering', async () => {
    const department = await makeDepartment(db, { isDefault: true });
    await postUpdate(textUpdate({ id: 700_009 }, 'anyone?'));
    await settleBackgroundWork();
    const operator = await makeOperator(db, { departmentIds: [department.id], status: 'away' });
    const [client] = await db.select().from(clients);
    if (!client) throw new Error('client missing');
    const message = await reply(actorFor(operator, [department.id]), client.id, 'I am here');
    expect(message.deliveryStatus).toBe('sent');
    const [claimed] = await db.select().from(clients).where(eq(clients.id, client.id));
    expect(claimed).toMatchObject({ assignedOperatorId: operator.id, queuedAt: null, status: 'in_progress' });
  });

  it('reject empty text with a clear message', async () => {
    const { client, actor } = await conversationWith(700_010);
    await expect(
      sendOperatorMessage({ db, actor, input: { clientId: client.id, text: '   ' } }),
    ).rejects.toThrow('Write a message first.');
  });
});

describe('delivery failure reasons', () => {
  it('are stored as a code and Telegram’s words; the API says both, a legacy row its text as it is', async () => {
    const { client, actor } = await conversationWith(700_020);
    telegram().setBehaviour(700_020, {
      kind: 'error',
      code: 400,
      description: 'Bad Request: chat not found',
      times: 1,
    });
    const failed = await reply(actor, client.id, 'are you there?');
    const legacyText = 'Telegram refused the message: Bad Request: message is too long';
    const legacy = await reply(actor, client.id, 'an old failure');
    await db
      .update(messages)
      .set({ deliveryStatus: 'failed', deliveryErrorCode: null, deliveryError: legacyText })
      .where(eq(messages.id, legacy.id));

    const [failedDto, legacyDto] = await loadMessageDtos({ db, actor, ids: [failed.id, legacy.id] });
    if (!failedDto || !legacyDto) throw new Error('messages not loaded');
    const url = new URL('http://desk.test/api/v1/messages');
    expect(toMessageResource(failedDto, url)).toMatchObject({
      delivery_status: 'failed',
      delivery_error_code: 'telegram_refused',
      delivery_error: 'Telegram refused the message. Details: Bad Request: chat not found',
    });
    expect(toMessageResource(legacyDto, url)).toMatchObject({
      delivery_error_code: null,
      delivery_error: legacyText,
    });
  });

  it('reach an operator working from Telegram in their own language', async () => {
    const { client, operator } = await conversationWith(700_021);
    await db.update(operators).set({ locale: 'ru' }).where(eq(operators.id, operator.id));
    const [inbound] = await db.select().from(messages).where(eq(messages.clientId, client.id));
    if (!inbound) throw new Error('no message');
    // As if the operator had written the reply in their Telegram chat (id 700_099).
    const written = { ...inbound, operatorId: operator.id, operatorTelegramChatId: 700_099 };
    await tellOperatorNotDelivered(db, written, {
      status: 'failed',
      failure: { code: 'client_blocked', detail: 'Forbidden: bot was blocked by the user' },
    });
    const notice = telegram().calls.find((c) => c.method === 'sendMessage' && c.payload.chat_id === 700_099);
    expect(notice?.payload.text).toBe(
      '⚠️ Ваш ответ клиенту Client не доставлен.\n' +
        'Клиент заблокировал бота; ничего не отправлено. Подробности: Forbidden: bot was blocked by the user',
    );
  });
});
