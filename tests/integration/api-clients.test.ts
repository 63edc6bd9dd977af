import { eq } from 'drizzle-orm';
import { beforeEach, describe, expect, it } from 'vitest';
import type { Db } from '@/db/client';
import { clients, operatorLogs } from '@/db/schema';
import { createApiToken } from '@/lib/api-tokens/create-api-token';
import { systemActor } from '@/lib/auth/actor';
import { settleBackgroundWork } from '@/lib/background';
import { makeDepartment, makeOperator, textUpdate } from '../factories';
import { makeClient } from '../factories/messages';
import { apiBaseUrl, sessionCookie } from '../support/api-server';
import { getTestDb, resetDb } from '../support/db';
import { postUpdate } from '../support/webhook';

let db: Db;

beforeEach(async () => {
  await settleBackgroundWork();
  db = await getTestDb();
  await resetDb(db);
});

async function call(path: string, init: RequestInit & { token?: string; cookie?: string } = {}) {
  const headers = new Headers(init.headers);
  if (init.token) headers.set('authorization', `Bearer ${init.token}`);
  if (init.cookie) headers.set('cookie', init.cookie);
  if (init.body) headers.set('content-type', 'application/json');
  const response = await fetch(`${await apiBaseUrl()}${path}`, { ...init, headers });
  const text = await response.text();
  return {
    status: response.status,
    headers: response.headers,
    body: text ? (JSON.parse(text) as Record<string, unknown>) : null,
  };
}

async function adminToken() {
  return (await createApiToken({ db, actor: systemActor('test'), input: { name: 'test', role: 'admin' } }))
    .token;
}

describe('REST API: clients', () => {
  it('lists clients with filters, ordering and page links, as { count, next, previous, results }', async () => {
    const department = await makeDepartment(db, { isDefault: true });
    await makeOperator(db, { departmentIds: [department.id] });
    for (let i = 0; i < 3; i++)
      await postUpdate(textUpdate({ id: 700_100 + i, first_name: `C${i}` }, 'hello'));
    const token = await adminToken();
    const page = await call('/clients?ordering=display_name&page_size=2', { token });
    expect(page.status).toBe(200);
    expect(page.body).toMatchObject({ count: 3, previous: null });
    expect((page.body?.results as { display_name: string }[]).map((c) => c.display_name)).toEqual([
      'C0',
      'C1',
    ]);
    expect(String(page.body?.next)).toContain('page=2');
    const filtered = await call(`/clients?status=new,waiting&department_id=${department.id}&search=c2`, {
      token,
    });
    expect(filtered.body).toMatchObject({ count: 1 });
  });

  it('searches names in any case and script, @usernames and Telegram ids; pages by the last message, silent clients last', async () => {
    const department = await makeDepartment(db, { isDefault: true });
    await makeOperator(db, { departmentIds: [department.id] });
    await postUpdate(textUpdate({ id: 700_401, first_name: 'Анна Петрова' }, 'здравствуйте'));
    await postUpdate(textUpdate({ id: 700_402, first_name: 'Olga', username: 'Petrov_Fan' }, 'hello'));
    await postUpdate(textUpdate({ id: 700_403, first_name: 'Ivan' }, 'hi'));
    const silent = await makeClient(db, { departmentId: department.id, name: 'Пётр Silent' });
    const token = await adminToken();
    const page = async (query: string) => {
      const response = await call(`/clients?${query}`, { token });
      expect(response.status, query).toBe(200);
      return {
        count: response.body?.count,
        names: (response.body?.results as { display_name: string }[]).map((c) => c.display_name),
      };
    };
    expect(await page(`search=${encodeURIComponent('ПЕТРОВ')}`)).toEqual({
      count: 1,
      names: ['Анна Петрова'],
    });
    expect(await page('search=petrov')).toEqual({ count: 1, names: ['Olga'] }); // @Petrov_Fan
    expect(await page('search=v_f')).toEqual({ count: 1, names: ['Olga'] }); // "_" is no wildcard
    expect(await page('search=o_g')).toEqual({ count: 0, names: [] });
    expect(await page('search=700403')).toEqual({ count: 1, names: ['Ivan'] });

    // The page follows (last message desc, clients without one last, ties by id desc), whatever
    // the order the rows were written in; two pages of two meet without a gap or a repeat.
    const rows = await db.select().from(clients);
    const expected = rows
      .sort(
        (a, b) =>
          (b.lastMessageAt?.getTime() ?? -Infinity) - (a.lastMessageAt?.getTime() ?? -Infinity) ||
          (a.id < b.id ? 1 : -1),
      )
      .map((c) => c.displayName);
    expect(expected.at(-1)).toBe(silent.displayName);
    const first = await page('ordering=-last_message_at&page_size=2');
    const second = await page('ordering=-last_message_at&page_size=2&page=2');
    expect(first.count).toBe(4);
    expect([...first.names, ...second.names]).toEqual(expected);
  });

  it('refuses unknown parameters and ordering fields with 400 problem+json, and no credentials with 401', async () => {
    const token = await adminToken();
    for (const query of ['?colour=red', '?ordering=-password_hash', '?page_size=1000', '?unassigned=maybe']) {
      const response = await call(`/clients${query}`, { token });
      expect(response.status, query).toBe(400);
      expect(response.headers.get('content-type')).toBe('application/problem+json');
    }
    expect((await call('/clients')).status).toBe(401);
    expect((await call('/clients', { token: 'tsd_nope' })).status).toBe(401);
  });

  it('assigns, resolves and reopens through the client transitions, audited with the token', async () => {
    const department = await makeDepartment(db, { isDefault: true });
    const operator = await makeOperator(db, { departmentIds: [department.id] });
    await postUpdate(textUpdate({ id: 700_200 }, 'hello'));
    const [client] = await db.select().from(clients).where(eq(clients.telegramUserId, 700_200));
    const token = await adminToken();
    const back = await call(`/clients/${client?.id}/assign`, {
      method: 'POST',
      token,
      body: JSON.stringify({ operator_id: null }),
    });
    expect(back.body).toMatchObject({ assigned_operator_id: null });
    const given = await call(`/clients/${client?.id}/assign`, {
      method: 'POST',
      token,
      body: JSON.stringify({ operator_id: operator.id }),
    });
    expect(given.body).toMatchObject({ assigned_operator_id: operator.id });
    expect((await call(`/clients/${client?.id}/resolve`, { method: 'POST', token })).body).toMatchObject({
      status: 'resolved',
    });
    expect((await call(`/clients/${client?.id}/reopen`, { method: 'POST', token })).body).toMatchObject({
      status: 'new',
    });
    const audit = await db
      .select()
      .from(operatorLogs)
      .where(eq(operatorLogs.targetId, client?.id ?? ''));
    const byToken = audit.filter((a) => a.actorType === 'api_token');
    expect(byToken.map((a) => a.action)).toEqual(
      expect.arrayContaining([
        'client.returned_to_queue',
        'client.assigned',
        'client.resolved',
        'client.reopened',
      ]),
    );
    expect(byToken.every((a) => a.apiTokenId && a.ip)).toBe(true);
  });

  it('works with the dashboard session too, and refuses a change posted from another site', async () => {
    const department = await makeDepartment(db, { isDefault: true });
    const operator = await makeOperator(db, { departmentIds: [department.id], role: 'admin' });
    await postUpdate(textUpdate({ id: 700_300 }, 'hello'));
    const [client] = await db.select().from(clients).where(eq(clients.telegramUserId, 700_300));
    const cookie = await sessionCookie(operator);
    expect((await call('/clients', { cookie })).status).toBe(200);
    const forged = await call(`/clients/${client?.id}/resolve`, {
      method: 'POST',
      cookie,
      headers: { origin: 'https://evil.example' },
    });
    expect(forged.status).toBe(403);
    expect((await call(`/clients/${client?.id}/resolve`, { method: 'POST', cookie })).status).toBe(200);
  });

  it('serves the OpenAPI document of the same operations', async () => {
    const base = await apiBaseUrl();
    const response = await fetch(`${base}/openapi.json`);
    const doc = (await response.json()) as { openapi: string; paths: Record<string, unknown> };
    expect(doc.openapi).toBe('3.1.0');
    expect(Object.keys(doc.paths)).toEqual(
      expect.arrayContaining(['/clients', '/clients/{id}', '/clients/{id}/assign']),
    );
  });
});
