// The chat's domain functions against a real database, with a real webhook, the REST API over
// HTTP and the recording Bot API server: internal notes, messages reloaded by id for live views,
// and the next/previous open conversation.
import { and, eq, sql } from 'drizzle-orm';
import { beforeEach, describe, expect, it } from 'vitest';
import type { Db } from '@/db/client';
import { clients, conversations, messages, operatorLogs } from '@/db/schema';
import { settleBackgroundWork } from '@/lib/background';
import { getAdjacentClient } from '@/lib/clients/get-adjacent-client';
import { getClientOrThrow } from '@/lib/clients/get-client-or-throw';
import { AppError } from '@/lib/errors';
import { addInternalNote } from '@/lib/messages/add-internal-note';
import { getClientMessages } from '@/lib/messages/get-client-messages';
import { listClientMessages } from '@/lib/messages/list-client-messages';
import { actorFor, makeDepartment, makeOperator, textUpdate } from '../factories';
import { makeClient, makeInboundMessage } from '../factories/messages';
import { apiBaseUrl, sessionCookie } from '../support/api-server';
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

/** A department with one online operator, and a client who wrote through the webhook. */
async function deskWithClient(telegramUserId: number) {
  const department = await makeDepartment(db, { isDefault: true });
  const ann = await makeOperator(db, { departmentIds: [department.id], name: 'Ann' });
  const response = await postUpdate(
    textUpdate({ id: telegramUserId, first_name: 'Nora' }, 'Where is my order?'),
  );
  expect(response.status).toBe(200);
  await settleBackgroundWork();
  const [client] = await db.select().from(clients).where(eq(clients.telegramUserId, telegramUserId));
  if (!client) throw new Error('the webhook stored no client');
  expect(client.assignedOperatorId).toBe(ann.id);
  return { department, ann, annActor: actorFor(ann, [department.id]), client };
}

describe('internal notes', () => {
  it('are stored in the chat, never sent to Telegram, and change nothing about the client', async () => {
    const { client, annActor } = await deskWithClient(710_001);
    const callsBefore = telegram().calls.length;
    const [before] = await db.select().from(clients).where(eq(clients.id, client.id));

    const note = await addInternalNote({
      db,
      actor: annActor,
      input: { clientId: client.id, text: '  Asked the warehouse, waiting for them  ' },
    });
    await settleBackgroundWork();

    const [row] = await db.select().from(messages).where(eq(messages.id, note.messageId));
    expect(row).toMatchObject({
      direction: 'internal',
      senderKind: 'operator',
      operatorId: annActor.operatorId,
      text: 'Asked the warehouse, waiting for them',
      deliveryStatus: null,
      telegramMessageId: null,
      conversationId: client.currentConversationId,
    });
    // Nothing went to the Bot API for the note.
    expect(telegram().calls.slice(callsBefore)).toEqual([]);
    // Not an answer: status, unread count, last-message time and first response stay as they were.
    const [after] = await db.select().from(clients).where(eq(clients.id, client.id));
    expect(after).toMatchObject({
      status: 'new',
      unreadCount: before?.unreadCount,
      lastMessageAt: before?.lastMessageAt,
    });
    const [episode] = await db
      .select()
      .from(conversations)
      .where(eq(conversations.id, client.currentConversationId ?? ''));
    expect(episode?.firstResponseAt).toBeNull();
    // The clients list's preview still shows what the client wrote.
    const shown = await getClientOrThrow({ db, actor: annActor, clientId: client.id });
    expect(shown.lastMessagePreview).toBe('Where is my order?');
    // The chat shows it, marked, newest.
    const page = await listClientMessages({ db, actor: annActor, input: { clientId: client.id } });
    expect(page.results[0]).toMatchObject({ id: note.messageId, direction: 'internal' });

    const [audit] = await db
      .select()
      .from(operatorLogs)
      .where(and(eq(operatorLogs.action, 'message.note_added'), eq(operatorLogs.targetId, client.id)));
    expect(audit).toMatchObject({ operatorId: annActor.operatorId, ip: '203.0.113.7' });
    expect(audit?.details).toEqual({ messageId: note.messageId, length: 37 });
  });

  it('may be added to a blocked client, but not by someone who cannot see the client', async () => {
    const department = await makeDepartment(db);
    const other = await makeDepartment(db);
    const ann = await makeOperator(db, { departmentIds: [department.id] });
    const outsider = await makeOperator(db, { departmentIds: [other.id] });
    const blocked = await makeClient(db, {
      departmentId: department.id,
      assignedOperatorId: ann.id,
      status: 'blocked',
    });
    const note = await addInternalNote({
      db,
      actor: actorFor(ann, [department.id]),
      input: { clientId: blocked.id, text: 'They blocked us after the refund' },
    });
    expect(note.clientId).toBe(blocked.id);
    await expect(
      addInternalNote({
        db,
        actor: actorFor(outsider, [other.id]),
        input: { clientId: blocked.id, text: 'peeking' },
      }),
    ).rejects.toMatchObject({ code: 'not_found' });
    await expect(
      addInternalNote({
        db,
        actor: actorFor(ann, [department.id]),
        input: { clientId: blocked.id, text: ' ' },
      }),
    ).rejects.toThrow('Write the note first.');
    const stored = await db
      .select({ id: messages.id })
      .from(messages)
      .where(eq(messages.clientId, blocked.id));
    expect(stored).toEqual([{ id: note.messageId }]);
  });

  it('are marked `internal` in the REST API history and can be filtered in the message list', async () => {
    const { client, ann, annActor } = await deskWithClient(710_002);
    const note = await addInternalNote({
      db,
      actor: annActor,
      input: { clientId: client.id, text: 'VIP: be quick' },
    });
    const cookie = await sessionCookie(ann);
    const base = await apiBaseUrl();
    const history = await fetch(`${base}/clients/${client.id}/messages`, { headers: { cookie } });
    expect(history.status).toBe(200);
    const body = (await history.json()) as { results: { id: string; direction: string; text: string }[] };
    expect(body.results.map((m) => [m.direction, m.text])).toEqual([
      ['internal', 'VIP: be quick'],
      ['inbound', 'Where is my order?'],
    ]);
    const notes = await fetch(`${base}/messages?direction=internal`, { headers: { cookie } });
    expect(notes.status).toBe(200);
    const list = (await notes.json()) as { count: number; results: { id: string }[] };
    expect(list.results.map((m) => m.id)).toEqual([note.messageId]);
  });
});

describe('messages reloaded by id (live chat)', () => {
  it('returns only that client’s messages, oldest first, and hides clients the actor may not see', async () => {
    const department = await makeDepartment(db);
    const ann = await makeOperator(db, { departmentIds: [department.id] });
    const bob = await makeOperator(db, { departmentIds: [department.id] });
    const mine = await makeClient(db, { departmentId: department.id, assignedOperatorId: ann.id });
    const bobs = await makeClient(db, { departmentId: department.id, assignedOperatorId: bob.id });
    const first = (await makeInboundMessage(db, { client: mine, text: 'one' })).message;
    const second = (await makeInboundMessage(db, { client: mine, text: 'two' })).message;
    const elsewhere = (await makeInboundMessage(db, { client: bobs, text: 'not yours' })).message;
    await db.execute(
      sql`update messages set created_at = now() - interval '1 minute' where id = ${first.id}`,
    );

    const annActor = actorFor(ann, [department.id]);
    const loaded = await getClientMessages({
      db,
      actor: annActor,
      input: { clientId: mine.id, messageIds: [second.id, elsewhere.id, first.id, second.id] },
    });
    expect(loaded.map((m) => m.text)).toEqual(['one', 'two']);
    await expect(
      getClientMessages({ db, actor: annActor, input: { clientId: bobs.id, messageIds: [elsewhere.id] } }),
    ).rejects.toBeInstanceOf(AppError);
  });
});

describe('next and previous open conversation', () => {
  it('walks the open clients the actor sees, latest activity first, and stops at either end', async () => {
    const department = await makeDepartment(db);
    const ann = await makeOperator(db, { departmentIds: [department.id] });
    const bob = await makeOperator(db, { departmentIds: [department.id] });
    const at = async (client: { id: string }, minutesAgo: number) =>
      db.execute(
        sql`update clients set last_message_at = now() - make_interval(mins => ${minutesAgo}) where id = ${client.id}`,
      );
    const newest = await makeClient(db, { departmentId: department.id, assignedOperatorId: ann.id });
    const resolved = await makeClient(db, {
      departmentId: department.id,
      assignedOperatorId: ann.id,
      status: 'resolved',
    });
    const bobs = await makeClient(db, { departmentId: department.id, assignedOperatorId: bob.id });
    const middle = await makeClient(db, { departmentId: department.id, assignedOperatorId: ann.id });
    const oldest = await makeClient(db, { departmentId: department.id, assignedOperatorId: ann.id });
    await at(newest, 1);
    await at(resolved, 2);
    await at(bobs, 3);
    await at(middle, 4);
    await at(oldest, 5);

    const actor = actorFor(ann, [department.id]);
    const step = async (clientId: string, direction: 'next' | 'previous') =>
      (await getAdjacentClient({ db, actor, input: { clientId, direction } }))?.clientId ?? null;
    // Resolved clients and Bob's client are skipped; Ann sees her own open ones.
    expect(await step(newest.id, 'next')).toBe(middle.id);
    expect(await step(middle.id, 'next')).toBe(oldest.id);
    expect(await step(oldest.id, 'next')).toBeNull();
    expect(await step(oldest.id, 'previous')).toBe(middle.id);
    expect(await step(middle.id, 'previous')).toBe(newest.id);
    expect(await step(newest.id, 'previous')).toBeNull();
    // From a resolved chat, the neighbours are the open ones around its place.
    expect(await step(resolved.id, 'next')).toBe(middle.id);
    // An admin sees Bob's client too.
    const admin = await makeOperator(db, { role: 'admin', departmentIds: [] });
    const adminStep = await getAdjacentClient({
      db,
      actor: actorFor(admin, []),
      input: { clientId: newest.id, direction: 'next' },
    });
    expect(adminStep?.clientId).toBe(bobs.id);
  });
});
