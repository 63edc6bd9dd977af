import { InngestTestEngine } from '@inngest/test';
import { eq } from 'drizzle-orm';
import { beforeEach, describe, expect, it } from 'vitest';
import type { Db } from '@/db/client';
import { clients, messages } from '@/db/schema';
import { settleBackgroundWork } from '@/lib/background';
import { MESSAGE_QUEUED } from '@/inngest/events';
import { sendTelegramMessage } from '@/inngest/functions/send-telegram-message';
import { giveUpDelivery } from '@/lib/messages/deliver-message';
import { sendOperatorMessage } from '@/lib/messages/send-operator-message';
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

async function queuedReply(chatId: number, text: string) {
  const department = await makeDepartment(db, { isDefault: true });
  const operator = await makeOperator(db, { departmentIds: [department.id] });
  await postUpdate(textUpdate({ id: chatId }, 'hi'));
  const [client] = await db.select().from(clients).where(eq(clients.telegramUserId, chatId));
  if (!client) throw new Error('client missing');
  return sendOperatorMessage({
    db,
    actor: actorFor(operator, [department.id]),
    input: { clientId: client.id, text },
  });
}

describe('Inngest function send-telegram-message', () => {
  it('declares flow control: 30/s overall and one run at a time per chat', () => {
    expect(sendTelegramMessage.opts.throttle).toMatchObject({ limit: 30, period: '1s' });
    expect(sendTelegramMessage.opts.concurrency).toEqual([{ limit: 1, key: 'event.data.chatId' }]);
  });

  it('when the job gives up, fails a still-queued message with the reason and leaves a sent one alone', async () => {
    const stuck = await queuedReply(710_101, 'never delivered');
    await giveUpDelivery(stuck.messageId, 'connect ECONNREFUSED');
    const [failed] = await db.select().from(messages).where(eq(messages.id, stuck.messageId));
    expect(failed).toMatchObject({
      deliveryStatus: 'failed',
      deliveryErrorCode: 'gave_up',
      deliveryError: 'connect ECONNREFUSED',
    });

    await db
      .update(messages)
      .set({ deliveryStatus: 'sent', deliveryErrorCode: null, deliveryError: null })
      .where(eq(messages.id, stuck.messageId));
    await giveUpDelivery(stuck.messageId, 'late');
    const [sent] = await db.select().from(messages).where(eq(messages.id, stuck.messageId));
    expect(sent).toMatchObject({ deliveryStatus: 'sent', deliveryErrorCode: null, deliveryError: null });
  });

  it('delivers a queued message and records `sent`', async () => {
    const queued = await queuedReply(710_001, 'from the job');
    const engine = new InngestTestEngine({
      function: sendTelegramMessage,
      events: [{ name: MESSAGE_QUEUED, data: queued }],
    });
    const { result } = await engine.execute();
    expect(result).toMatchObject({ status: 'sent' });
    const [row] = await db.select().from(messages).where(eq(messages.id, queued.messageId));
    expect(row?.deliveryStatus).toBe('sent');
    expect(
      telegram()
        .calls.filter((c) => c.method === 'sendMessage')
        .map((c) => c.payload.text),
    ).toEqual(['from the job']);
  });

  it('turns a 429 into a retry after Telegram’s retry_after, leaving the message queued with the reason', async () => {
    const queued = await queuedReply(710_002, 'rate limited');
    telegram().setBehaviour(710_002, { kind: 'rate_limit', retryAfter: 7, times: 1 });
    const engine = new InngestTestEngine({
      function: sendTelegramMessage,
      events: [{ name: MESSAGE_QUEUED, data: queued }],
    });
    const { error } = await engine.execute();
    expect(error).toMatchObject({ name: 'RetryAfterError' });
    const [row] = await db.select().from(messages).where(eq(messages.id, queued.messageId));
    expect(row).toMatchObject({
      deliveryStatus: 'queued',
      deliveryErrorCode: 'rate_limited',
      deliveryError: 'Too Many Requests: retry after 7',
    });
    // The retry (Inngest calls the function again) sends it.
    const again = await new InngestTestEngine({
      function: sendTelegramMessage,
      events: [{ name: MESSAGE_QUEUED, data: queued }],
    }).execute();
    expect(again.result).toMatchObject({ status: 'sent' });
  });

  it('does not retry a blocked chat: the message fails and the client is blocked', async () => {
    const queued = await queuedReply(710_003, 'blocked?');
    telegram().setBehaviour(710_003, {
      kind: 'error',
      code: 403,
      description: 'Forbidden: bot was blocked by the user',
      times: 5,
    });
    const { result } = await new InngestTestEngine({
      function: sendTelegramMessage,
      events: [{ name: MESSAGE_QUEUED, data: queued }],
    }).execute();
    expect(result).toMatchObject({ status: 'failed' });
    const [client] = await db.select().from(clients).where(eq(clients.telegramUserId, 710_003));
    expect(client?.status).toBe('blocked');
    expect(telegram().calls.filter((c) => c.method === 'sendMessage')).toHaveLength(1);
  });
});
