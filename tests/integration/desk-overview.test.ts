// The overview's numbers against a real database, per role: what each statement counts and what
// it leaves out (resolved clients, assigned ones in the queue, yesterday's messages, bot replies).
import { eq } from 'drizzle-orm';
import { beforeEach, describe, expect, it } from 'vitest';
import type { Db } from '@/db/client';
import { clients, messages } from '@/db/schema';
import { getDeskOverview } from '@/lib/stats/get-desk-overview';
import { startOfLocalDay } from '@/lib/time/local-day-range';
import { actorFor, makeDepartment, makeOperator } from '../factories';
import { makeClient, makeInboundMessage, makeSentOperatorMessage } from '../factories/messages';
import { getTestDb, resetDb } from '../support/db';

let db: Db;

beforeEach(async () => {
  db = await getTestDb();
  await resetDb(db);
});

const minutesAgo = (now: Date, minutes: number) => new Date(now.getTime() - minutes * 60_000);

async function desk(now: Date) {
  const billing = await makeDepartment(db, { name: 'Billing' });
  const delivery = await makeDepartment(db, { name: 'Delivery' });
  const operator = await makeOperator(db, { departmentIds: [billing.id, delivery.id] });
  const admin = actorFor(await makeOperator(db, { role: 'admin' }), []);
  const supervisor = actorFor(await makeOperator(db, { role: 'supervisor', departmentIds: [billing.id] }), [
    billing.id,
  ]);
  const queued = async (departmentId: string, minutes: number) => {
    const client = await makeClient(db, { departmentId, status: 'new' });
    await db
      .update(clients)
      .set({ queuedAt: minutesAgo(now, minutes) })
      .where(eq(clients.id, client.id));
    return client;
  };
  const assigned = { assignedOperatorId: operator.id };
  // Billing: two in the queue, one new but assigned, and one client of every other status.
  const billingQueued = await queued(billing.id, 10);
  await queued(billing.id, 5);
  await makeClient(db, { departmentId: billing.id, status: 'new', ...assigned });
  const answered = await makeClient(db, { departmentId: billing.id, status: 'in_progress', ...assigned });
  await makeClient(db, { departmentId: billing.id, status: 'waiting', ...assigned });
  await makeClient(db, { departmentId: billing.id, status: 'resolved', ...assigned });
  await makeClient(db, { departmentId: billing.id, status: 'blocked', ...assigned });
  // Delivery: the longest wait of the desk, and one client in progress.
  const deliveryQueued = await queued(delivery.id, 60);
  await makeClient(db, { departmentId: delivery.id, status: 'in_progress', ...assigned });

  // Today: two client messages and an operator's answer in billing, one client message in
  // delivery, and a bot reply (not the desk's answer). Yesterday: one client message.
  await makeInboundMessage(db, { client: billingQueued, text: 'hello' });
  await makeInboundMessage(db, { client: answered, text: 'where is my order?' });
  await makeSentOperatorMessage(db, { client: answered, operatorId: operator.id });
  await makeInboundMessage(db, { client: deliveryQueued, text: 'hi' });
  await db.insert(messages).values({
    clientId: billingQueued.id,
    direction: 'outbound',
    senderKind: 'bot',
    text: 'An operator will answer soon.',
    telegramChatId: billingQueued.chatId,
    telegramMessageId: 9_000_001,
    deliveryStatus: 'sent',
  });
  await db.insert(messages).values({
    clientId: answered.id,
    direction: 'inbound',
    senderKind: 'client',
    text: 'yesterday',
    telegramChatId: answered.chatId,
    telegramMessageId: 9_000_002,
    createdAt: new Date(startOfLocalDay(now, 'UTC').getTime() - 3_600_000),
  });
  return { admin, supervisor };
}

describe('the desk overview', () => {
  it('counts the open clients by status, the queue and its longest wait, and today’s messages — all of them for an admin', async () => {
    const now = new Date();
    const { admin } = await desk(now);
    const overview = await getDeskOverview({ db, actor: admin, now: new Date(), timeZone: 'UTC' });
    expect(overview.clients).toMatchObject({ new: 4, inProgress: 2, waiting: 1, blocked: 1 });
    expect(overview.queue).toEqual({ count: 3, oldestSince: minutesAgo(now, 60).toISOString() });
    expect(overview.messagesToday).toEqual({ inbound: 3, outbound: 1 });
  });

  it('counts only the supervisor’s departments', async () => {
    const now = new Date();
    const { supervisor } = await desk(now);
    const overview = await getDeskOverview({ db, actor: supervisor, now: new Date(), timeZone: 'UTC' });
    expect(overview.clients).toMatchObject({ new: 3, inProgress: 1, waiting: 1, blocked: 1 });
    expect(overview.queue).toEqual({ count: 2, oldestSince: minutesAgo(now, 10).toISOString() });
    expect(overview.messagesToday).toEqual({ inbound: 2, outbound: 1 });
  });
});
