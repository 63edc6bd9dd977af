import { eq } from 'drizzle-orm';
import { beforeEach, describe, expect, it } from 'vitest';
import type { Db } from '@/db/client';
import { clients, messageEdits, messages, operatorLogs } from '@/db/schema';
import { settleBackgroundWork } from '@/lib/background';
import { drainOutbox } from '@/lib/outbox/outbox-worker';
import { deleteOperatorMessage } from '@/lib/messages/delete-operator-message';
import { editOperatorMessage } from '@/lib/messages/edit-operator-message';
import { listClientMessages } from '@/lib/messages/list-client-messages';
import { sendOperatorMessage } from '@/lib/messages/send-operator-message';
import { actorFor, makeDepartment, makeOperator } from '../factories';
import { makeClient, makeInboundMessage, makeSentOperatorMessage } from '../factories/messages';
import { getTestDb, resetDb } from '../support/db';
import { telegram } from '../support/setup-integration';

let db: Db;

beforeEach(async () => {
  await settleBackgroundWork();
  db = await getTestDb();
  await resetDb(db);
  telegram().reset();
});

const HOUR = 60 * 60 * 1000;

async function chat() {
  const department = await makeDepartment(db, { isDefault: true });
  const operator = await makeOperator(db, { departmentIds: [department.id] });
  const client = await makeClient(db, { departmentId: department.id, assignedOperatorId: operator.id });
  return { department, operator, client, actor: actorFor(operator, [department.id]) };
}

async function row(id: string) {
  const [message] = await db.select().from(messages).where(eq(messages.id, id));
  if (!message) throw new Error('message missing');
  return message;
}

const calls = () => telegram().calls;

describe('editing a sent message', () => {
  it('changes the text in Telegram with editMessageText and keeps the previous version', async () => {
    const { client, actor, operator } = await chat();
    const queued = await sendOperatorMessage({
      db,
      actor,
      input: { clientId: client.id, text: 'Price is 5' },
    });
    await drainOutbox();
    const sent = await row(queued.messageId);
    telegram().reset();

    const result = await editOperatorMessage({
      db,
      actor,
      input: { messageId: sent.id, text: 'Price is <b>6</b> & final' },
    });

    expect(calls().map((c) => [c.method, c.payload])).toEqual([
      [
        'editMessageText',
        {
          chat_id: client.chatId,
          message_id: sent.telegramMessageId,
          link_preview_options: { is_disabled: true },
          text: 'Price is &lt;b&gt;6&lt;/b&gt; &amp; final',
          parse_mode: 'HTML',
        },
      ],
    ]);
    const edited = await row(sent.id);
    expect(edited.text).toBe('Price is <b>6</b> & final');
    expect(edited.editedAt).not.toBeNull();
    expect(result).toEqual({
      messageId: sent.id,
      text: edited.text,
      editedAt: edited.editedAt?.toISOString(),
    });
    const history = await db.select().from(messageEdits).where(eq(messageEdits.messageId, sent.id));
    expect(history.map((h) => h.text)).toEqual(['Price is 5']);
    const [audit] = await db.select().from(operatorLogs).where(eq(operatorLogs.action, 'message.edited'));
    expect(audit).toMatchObject({ operatorId: operator.id, targetType: 'message', targetId: sent.id });
    const {
      results: [listed],
    } = await listClientMessages({ db, actor, input: { clientId: client.id } });
    expect(listed).toMatchObject({ text: 'Price is <b>6</b> & final', canEdit: true, canDelete: true });
    expect(listed?.editedAt).not.toBeNull();
  });

  it('edits the caption of a file message with editMessageCaption', async () => {
    const { client, actor, operator } = await chat();
    const sent = await makeSentOperatorMessage(db, {
      client,
      operatorId: operator.id,
      contentKind: 'photo',
      text: 'old caption',
    });
    await editOperatorMessage({ db, actor, input: { messageId: sent.id, text: 'new caption' } });
    expect(calls().map((c) => [c.method, c.payload.caption, c.payload.message_id])).toEqual([
      ['editMessageCaption', 'new caption', sent.telegramMessageId],
    ]);
    expect(await row(sent.id)).toMatchObject({ text: 'new caption' });
  });

  it('resends the edit as plain text when Telegram cannot parse the HTML', async () => {
    const { client, actor, operator } = await chat();
    const sent = await makeSentOperatorMessage(db, { client, operatorId: operator.id });
    telegram().setBehaviour(client.chatId, {
      kind: 'error',
      code: 400,
      description: "Bad Request: can't parse entities: unsupported tag",
      times: 1,
    });
    await editOperatorMessage({ db, actor, input: { messageId: sent.id, text: 'x < y' } });
    expect(calls().map((c) => [c.payload.text, c.payload.parse_mode])).toEqual([
      ['x &lt; y', 'HTML'],
      ['x < y', undefined],
    ]);
    expect((await row(sent.id)).text).toBe('x < y');
  });

  it('is refused after 48 hours, with no call to Telegram', async () => {
    const { client, actor, operator } = await chat();
    const sent = await makeSentOperatorMessage(db, {
      client,
      operatorId: operator.id,
      deliveredAt: new Date(Date.now() - 49 * HOUR),
    });
    await expect(
      editOperatorMessage({ db, actor, input: { messageId: sent.id, text: 'too late' } }),
    ).rejects.toMatchObject({ code: 'conflict', message: expect.stringContaining('48 hours') });
    await expect(deleteOperatorMessage({ db, actor, input: { messageId: sent.id } })).rejects.toMatchObject({
      code: 'conflict',
    });
    expect(calls()).toHaveLength(0);
    const {
      results: [listed],
    } = await listClientMessages({ db, actor, input: { clientId: client.id } });
    expect(listed).toMatchObject({ canEdit: false, canDelete: false });
  });

  it('is only for the author, admins, and supervisors of the department', async () => {
    const { client, operator, department } = await chat();
    const sent = await makeSentOperatorMessage(db, { client, operatorId: operator.id });
    // A colleague who can see the chat (it went back to the queue) but did not write the message.
    await db.update(clients).set({ assignedOperatorId: null }).where(eq(clients.id, client.id));
    const colleague = await makeOperator(db, { departmentIds: [department.id] });
    const edit = (actor: ReturnType<typeof actorFor>, text: string) =>
      editOperatorMessage({ db, actor, input: { messageId: sent.id, text } });

    await expect(edit(actorFor(colleague, [department.id]), 'mine now')).rejects.toMatchObject({
      code: 'forbidden',
    });
    const other = await makeDepartment(db);
    const outsider = await makeOperator(db, { role: 'supervisor', departmentIds: [other.id] });
    await expect(edit(actorFor(outsider, [other.id]), 'nope')).rejects.toMatchObject({ code: 'not_found' });
    const {
      results: [listed],
    } = await listClientMessages({
      db,
      actor: actorFor(colleague, [department.id]),
      input: { clientId: client.id },
    });
    expect(listed).toMatchObject({ canEdit: false, canDelete: false });
    expect(calls()).toHaveLength(0);

    const supervisor = await makeOperator(db, { role: 'supervisor', departmentIds: [department.id] });
    await edit(actorFor(supervisor, [department.id]), 'fixed by supervisor');
    const admin = await makeOperator(db, { role: 'admin' });
    await edit(actorFor(admin, []), 'fixed by admin');
    expect((await row(sent.id)).text).toBe('fixed by admin');
    const history = await db.select().from(messageEdits).where(eq(messageEdits.messageId, sent.id));
    expect(history.map((h) => h.text).sort()).toEqual(['Hello from support', 'fixed by supervisor']);
  });

  it('refuses inbound and bot messages, split messages and text over 4096 characters', async () => {
    const { client, actor, operator } = await chat();
    const { message: inbound } = await makeInboundMessage(db, { client, text: 'hi' });
    await expect(
      editOperatorMessage({ db, actor, input: { messageId: inbound.id, text: 'changed' } }),
    ).rejects.toMatchObject({ code: 'forbidden' });
    const split = await makeSentOperatorMessage(db, { client, operatorId: operator.id, extraParts: 1 });
    await expect(
      editOperatorMessage({ db, actor, input: { messageId: split.id, text: 'short now' } }),
    ).rejects.toMatchObject({ code: 'unprocessable_entity' });
    const single = await makeSentOperatorMessage(db, { client, operatorId: operator.id });
    await expect(
      editOperatorMessage({ db, actor, input: { messageId: single.id, text: 'x'.repeat(4097) } }),
    ).rejects.toMatchObject({ code: 'unprocessable_entity', message: expect.stringContaining('4096') });
    expect(calls()).toHaveLength(0);
  });

  it('leaves the database unchanged and reports Telegram’s reason when Telegram refuses', async () => {
    const { client, actor, operator } = await chat();
    const sent = await makeSentOperatorMessage(db, { client, operatorId: operator.id, text: 'original' });
    telegram().setBehaviour(client.chatId, {
      kind: 'error',
      code: 400,
      description: "Bad Request: message can't be edited",
      times: 1,
    });
    await expect(
      editOperatorMessage({ db, actor, input: { messageId: sent.id, text: 'changed' } }),
    ).rejects.toMatchObject({
      code: 'conflict',
      message: expect.stringContaining("message can't be edited"),
    });
    expect(await row(sent.id)).toMatchObject({ text: 'original', editedAt: null });
    expect(await db.select().from(messageEdits)).toHaveLength(0);
    expect(
      await db.select().from(operatorLogs).where(eq(operatorLogs.action, 'message.edited')),
    ).toHaveLength(0);
  });
});

describe('deleting a sent message', () => {
  it('calls deleteMessage for every Telegram part and marks it deleted, keeping the text', async () => {
    const { client, actor, operator } = await chat();
    const sent = await makeSentOperatorMessage(db, { client, operatorId: operator.id, extraParts: 1 });
    const result = await deleteOperatorMessage({ db, actor, input: { messageId: sent.id } });
    expect(calls().map((c) => [c.method, c.payload])).toEqual([
      ['deleteMessage', { chat_id: client.chatId, message_id: sent.telegramMessageId }],
      ['deleteMessage', { chat_id: client.chatId, message_id: sent.telegramExtraMessageIds?.[0] }],
    ]);
    const deleted = await row(sent.id);
    expect(deleted.deletedAt).not.toBeNull();
    expect(deleted.text).toBe('Hello from support');
    expect(result).toEqual({ messageId: sent.id, deletedAt: deleted.deletedAt?.toISOString() });
    const [audit] = await db.select().from(operatorLogs).where(eq(operatorLogs.action, 'message.deleted'));
    expect(audit).toMatchObject({ operatorId: operator.id, targetId: sent.id });
    const {
      results: [listed],
    } = await listClientMessages({ db, actor, input: { clientId: client.id } });
    expect(listed).toMatchObject({
      deletedAt: deleted.deletedAt?.toISOString(),
      canEdit: false,
      canDelete: false,
    });

    await expect(deleteOperatorMessage({ db, actor, input: { messageId: sent.id } })).rejects.toMatchObject({
      code: 'conflict',
    });
    await expect(
      editOperatorMessage({ db, actor, input: { messageId: sent.id, text: 'back' } }),
    ).rejects.toMatchObject({ code: 'conflict' });
  });

  it('counts a message the client already deleted as deleted', async () => {
    const { client, actor, operator } = await chat();
    const sent = await makeSentOperatorMessage(db, { client, operatorId: operator.id });
    telegram().setBehaviour(client.chatId, {
      kind: 'error',
      code: 400,
      description: 'Bad Request: message to delete not found',
      times: 1,
    });
    await deleteOperatorMessage({ db, actor, input: { messageId: sent.id } });
    expect((await row(sent.id)).deletedAt).not.toBeNull();
  });

  it('leaves the database unchanged when Telegram refuses', async () => {
    const { client, actor, operator } = await chat();
    const sent = await makeSentOperatorMessage(db, { client, operatorId: operator.id });
    telegram().setBehaviour(client.chatId, {
      kind: 'error',
      code: 400,
      description: "Bad Request: message can't be deleted for everyone",
      times: 1,
    });
    await expect(deleteOperatorMessage({ db, actor, input: { messageId: sent.id } })).rejects.toMatchObject({
      code: 'conflict',
      message: expect.stringContaining("message can't be deleted for everyone"),
    });
    expect((await row(sent.id)).deletedAt).toBeNull();
    expect(
      await db.select().from(operatorLogs).where(eq(operatorLogs.action, 'message.deleted')),
    ).toHaveLength(0);
  });
});
