import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { and, eq, inArray } from 'drizzle-orm';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { Db } from '@/db/client';
import { clients, messages, outbox } from '@/db/schema';
import { inngest } from '@/inngest/client';
import { MESSAGE_QUEUED } from '@/inngest/events';
import { settleBackgroundWork } from '@/lib/background';
import { resetEnvCache } from '@/lib/env';
import { queueBotMessage } from '@/lib/messages/queue-bot-message';
import { sendOperatorMessage } from '@/lib/messages/send-operator-message';
import { drainOutbox, OUTBOX_MAX_ATTEMPTS } from '@/lib/outbox/outbox-worker';
import { configureSendPace } from '@/lib/telegram/send-pace';
import { recordOutbox } from '@/lib/outbox/record-outbox';
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

afterEach(() => {
  configureSendPace(); // back to the environment's limits
});

const sends = (chatId?: number) =>
  telegram().calls.filter(
    (c) => c.method === 'sendMessage' && (chatId === undefined || c.payload.chat_id === chatId),
  );

/** A client of `chatId` assigned to an online operator, and that operator's actor. */
async function assignedClient(chatId: number) {
  const department = await makeDepartment(db, { isDefault: true });
  const operator = await makeOperator(db, { departmentIds: [department.id] });
  await postUpdate(textUpdate({ id: chatId, first_name: 'Client' }, 'hello'));
  await settleBackgroundWork();
  const [client] = await db.select().from(clients).where(eq(clients.telegramUserId, chatId));
  if (!client) throw new Error('client not stored');
  return { client, actor: actorFor(operator, [department.id]) };
}

describe('the outbox', () => {
  it('commits follow-up work with the change, or not at all', async () => {
    const department = await makeDepartment(db, { isDefault: true });
    await makeOperator(db, { departmentIds: [department.id] });
    await postUpdate(textUpdate({ id: 710_001 }, 'hi'));
    await settleBackgroundWork();
    const [client] = await db.select().from(clients).where(eq(clients.telegramUserId, 710_001));
    if (!client) throw new Error('client not stored');
    const base = { clientId: client.id, conversationId: client.currentConversationId, chatId: 710_001 };

    await expect(
      db.transaction(async (tx) => {
        await queueBotMessage(tx, { ...base, text: 'rolled back' });
        await recordOutbox(tx, [
          { kind: 'bot_call', payload: { method: 'sendMessage', payload: { chat_id: 1 } } },
        ]);
        throw new Error('the change fails');
      }),
    ).rejects.toThrow('the change fails');
    expect(await db.select().from(outbox)).toEqual([]);

    const queued = await db.transaction((tx) => queueBotMessage(tx, { ...base, text: 'committed' }));
    const rows = await db.select().from(outbox);
    expect(rows).toEqual([
      expect.objectContaining({
        kind: 'send_message',
        payload: { messageId: queued.messageId },
        chatId: 710_001,
        dedupeKey: `send:${queued.messageId}`,
        attempts: 0,
      }),
    ]);
    await drainOutbox();
    expect(sends(710_001).map((c) => c.payload.text)).toEqual(['committed']);
    expect(await db.select().from(outbox)).toEqual([]);
  });

  it('answers the webhook before any send: the sends run in the worker, never in the request', async () => {
    await makeDepartment(db, { isDefault: true }); // nobody online: the queue auto-reply goes out
    // Telegram takes 1.5 s to answer the auto-reply; the webhook must not wait for it.
    telegram().setBehaviour(710_002, { kind: 'delay', delayMs: 1_500, times: 1, method: 'sendMessage' });
    const response = await postUpdate(textUpdate({ id: 710_002 }, 'anyone there?'));
    expect(response.status).toBe(200);
    const [reply] = await db
      .select()
      .from(messages)
      .where(and(eq(messages.telegramChatId, 710_002), eq(messages.direction, 'outbound')));
    expect(['queued', 'sending']).toContain(reply?.deliveryStatus);
    await settleBackgroundWork();
    const [after] = await db
      .select()
      .from(messages)
      .where(eq(messages.id, reply?.id ?? ''));
    expect(after?.deliveryStatus).toBe('sent');
  });

  it("keeps a chat's messages in order and at least a second apart under Telegram's limits", async () => {
    const { client, actor } = await assignedClient(710_003);
    configureSendPace({ sendsPerSecond: 20, chatIntervalMs: 1_100 });
    telegram().enforceLimits({ perSecond: 30, perChatMs: 1_000 });
    const texts = ['one', 'two', 'three'];
    for (const text of texts) await sendOperatorMessage({ db, actor, input: { clientId: client.id, text } });
    await vi.waitFor(
      async () => {
        await drainOutbox();
        const rows = await db
          .select({ status: messages.deliveryStatus })
          .from(messages)
          .where(and(eq(messages.clientId, client.id), eq(messages.senderKind, 'operator')));
        expect(rows.map((r) => r.status)).toEqual(['sent', 'sent', 'sent']);
      },
      { timeout: 10_000, interval: 100 },
    );
    const calls = sends(710_003);
    expect(calls.filter((c) => (c.result as { ok?: boolean }).ok === false)).toEqual([]);
    expect(calls.map((c) => c.payload.text)).toEqual(texts);
    for (let i = 1; i < calls.length; i++) {
      expect((calls[i]?.at ?? 0) - (calls[i - 1]?.at ?? 0)).toBeGreaterThanOrEqual(1_000);
    }
  });

  it('takes over a row whose worker died once its claim ran out', async () => {
    const { client, actor } = await assignedClient(710_004);
    await settleBackgroundWork();
    // Queued and claimed by a worker that died: the claim ran out a moment ago.
    const queued = await sendOperatorMessage({ db, actor, input: { clientId: client.id, text: 'orphan' } });
    await db
      .update(outbox)
      .set({ lockedUntil: new Date(Date.now() - 1_000), attempts: 1 })
      .where(eq(outbox.dedupeKey, `send:${queued.messageId}`));
    await drainOutbox();
    const [row] = await db.select().from(messages).where(eq(messages.id, queued.messageId));
    expect(row?.deliveryStatus).toBe('sent');
    expect(sends(710_004).filter((c) => c.payload.text === 'orphan')).toHaveLength(1);
  });

  it('leaves a row claimed by a live worker alone', async () => {
    const { client, actor } = await assignedClient(710_005);
    const queued = await sendOperatorMessage({ db, actor, input: { clientId: client.id, text: 'mine' } });
    await db
      .update(outbox)
      .set({ lockedUntil: new Date(Date.now() + 60_000), attempts: 1 })
      .where(eq(outbox.dedupeKey, `send:${queued.messageId}`));
    await drainOutbox();
    const [row] = await db.select().from(messages).where(eq(messages.id, queued.messageId));
    expect(row?.deliveryStatus).toBe('queued');
    expect(sends(710_005).filter((c) => c.payload.text === 'mine')).toEqual([]);
  });

  it('gives up after its attempts: the message ends `failed` (gave_up) and the row stays for inspection', async () => {
    const { client, actor } = await assignedClient(710_006);
    // Telegram keeps saying "retry now".
    telegram().setBehaviour(710_006, { kind: 'rate_limit', retryAfter: 0, times: 100 });
    const queued = await sendOperatorMessage({ db, actor, input: { clientId: client.id, text: 'never' } });
    await drainOutbox();
    const [message] = await db.select().from(messages).where(eq(messages.id, queued.messageId));
    expect(message).toMatchObject({ deliveryStatus: 'failed', deliveryErrorCode: 'gave_up' });
    const [row] = await db
      .select()
      .from(outbox)
      .where(eq(outbox.dedupeKey, `send:${queued.messageId}`));
    expect(row).toMatchObject({
      attempts: OUTBOX_MAX_ATTEMPTS,
      lastError: expect.stringContaining('retry after 0'),
    });
    expect(row?.failedAt).toBeInstanceOf(Date);
    expect(sends(710_006).filter((c) => c.payload.text === 'never')).toHaveLength(OUTBOX_MAX_ATTEMPTS);
  });

  it('records the daily report and reassignment notices as bot calls, paced like sends', async () => {
    await recordOutbox(db, [
      { kind: 'bot_call', payload: { method: 'sendMessage', payload: { chat_id: 710_007, text: 'a' } } },
      { kind: 'bot_call', payload: { method: 'sendMessage', payload: { chat_id: 710_007, text: 'b' } } },
    ]);
    const rows = await db
      .select()
      .from(outbox)
      .where(inArray(outbox.kind, ['bot_call']));
    expect(rows.map((r) => r.chatId)).toEqual([710_007, 710_007]);
    await drainOutbox(); // one row per chat per round: the second goes in the next round
    expect(sends(710_007).map((c) => c.payload.text)).toEqual(['a', 'b']);
    expect(await db.select().from(outbox)).toEqual([]);
  });

  it('hands sends to Inngest when it is configured, and keeps them while Inngest cannot be reached', async () => {
    // Inngest's event API as the SDK sees it: POST /e/<event key> answers the events' ids.
    const received: unknown[] = [];
    const server = http.createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (chunk: Buffer) => chunks.push(chunk));
      req.on('end', () => {
        const events = JSON.parse(Buffer.concat(chunks).toString('utf8')) as unknown[];
        received.push(...events);
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ ids: events.map((_, i) => `evt-${i}`), status: 200 }));
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const configure = (baseUrl: string | undefined) => {
      for (const [key, value] of Object.entries({
        INNGEST_EVENT_KEY: baseUrl && 'test-key',
        INNGEST_BASE_URL: baseUrl,
      })) {
        if (value) process.env[key] = value;
        else delete process.env[key];
      }
      resetEnvCache();
      inngest.setEnvVars();
    };
    try {
      const { client, actor } = await assignedClient(710_008);
      configure(`http://127.0.0.1:${(server.address() as AddressInfo).port}`);
      const queued = await sendOperatorMessage({
        db,
        actor,
        input: { clientId: client.id, text: 'via Inngest' },
      });
      await drainOutbox();
      expect(received).toEqual([
        expect.objectContaining({
          name: MESSAGE_QUEUED,
          data: { messageId: queued.messageId, chatId: 710_008 },
        }),
      ]);
      // Inngest has it now (its function sends it, throttled): the row is gone, nothing sent here.
      expect(await db.select().from(outbox)).toEqual([]);
      expect(sends(710_008).filter((c) => c.payload.text === 'via Inngest')).toEqual([]);

      // Inngest down: the row stays for the next sweep, and nothing is sent around the throttle.
      configure('http://127.0.0.1:9');
      const waiting = await sendOperatorMessage({ db, actor, input: { clientId: client.id, text: 'later' } });
      await drainOutbox();
      const [row] = await db
        .select()
        .from(outbox)
        .where(eq(outbox.dedupeKey, `send:${waiting.messageId}`));
      expect(row).toMatchObject({ attempts: 0, lockedUntil: null });
      expect(row?.availableAt.getTime()).toBeGreaterThan(Date.now());
      expect(sends(710_008).filter((c) => c.payload.text === 'later')).toEqual([]);
    } finally {
      configure(undefined);
      await new Promise((resolve) => server.close(resolve));
    }
  }, 30_000);
});
