import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import type { Db } from '@/db/client';
import { authTokens, operatorLogs, operators } from '@/db/schema';
import { systemActor, type TelegramActor } from '@/lib/auth/actor';
import { getAuthOptions } from '@/lib/auth/auth-options';
import { consumeLoginLink } from '@/lib/auth/consume-login-link';
import { createLoginLink } from '@/lib/auth/create-login-link';
import { getEnv, resetEnvCache } from '@/lib/env';
import { authenticateTelegramWidget } from '@/lib/operators/authenticate-telegram-widget';
import { createOperatorInvite } from '@/lib/operators/create-operator-invite';
import { redeemOperatorInvite } from '@/lib/operators/redeem-operator-invite';
import { actorFor, makeDepartment, makeOperator } from '../factories';
import { expireAuthTokens, linkOperatorTelegram, signTelegramWidget } from '../factories/auth';
import { getTestDb, resetDb } from '../support/db';

const BOT_USERNAME = 'desk_test_bot';
let db: Db;
let ipSeq = 0;
/** A fresh client IP per call, so the in-memory login throttle never carries over between tests. */
const context = () => ({ ip: `192.0.2.${++ipSeq}`, userAgent: 'vitest-telegram' });

const previousUsername = process.env.TELEGRAM_BOT_USERNAME;
beforeAll(() => {
  process.env.TELEGRAM_BOT_USERNAME = BOT_USERNAME;
  resetEnvCache();
});
afterAll(() => {
  if (previousUsername === undefined) delete process.env.TELEGRAM_BOT_USERNAME;
  else process.env.TELEGRAM_BOT_USERNAME = previousUsername;
  resetEnvCache();
});

beforeEach(async () => {
  db = await getTestDb();
  await resetDb(db);
});

async function makeAdmin() {
  const admin = await makeOperator(db, { role: 'admin', status: 'offline', name: 'Ada Admin' });
  return actorFor(admin, []);
}

function redeem(token: string, telegramUser: { id: number; name: string }) {
  return db.transaction((tx) => redeemOperatorInvite({ tx, token, telegramUser }));
}

async function operatorRow(id: string) {
  const [row] = await db.select().from(operators).where(eq(operators.id, id));
  if (!row) throw new Error('operator missing');
  return row;
}

function botToken(): string {
  const token = getEnv().TELEGRAM_BOT_TOKEN;
  if (!token) throw new Error('vitest.config.ts sets TELEGRAM_BOT_TOKEN');
  return token;
}

function widgetUser(id: number, authDate = Math.floor(Date.now() / 1000)) {
  return signTelegramWidget({ id, first_name: 'Olga', username: 'olga_tg', auth_date: authDate }, botToken());
}

describe('operator Telegram invites', () => {
  it('links the Telegram account once; a second redeem is refused as used', async () => {
    const admin = await makeAdmin();
    const olga = await makeOperator(db, { name: 'Olga' });
    const invite = await createOperatorInvite({ db, actor: admin, input: { operatorId: olga.id } });

    const payload = `op_${invite.token}`;
    expect(invite.url).toBe(`https://t.me/${BOT_USERNAME}?start=${payload}`);
    expect(payload).toMatch(/^[A-Za-z0-9_-]{1,64}$/);
    const hoursLeft = (Date.parse(invite.expiresAt) - Date.now()) / 3_600_000;
    expect(hoursLeft).toBeGreaterThan(71.9);
    expect(hoursLeft).toBeLessThanOrEqual(72);

    expect(await redeem(invite.token, { id: 5_550_001, name: 'Olga TG' })).toEqual({
      ok: true,
      operatorId: olga.id,
      operatorName: 'Olga',
    });
    const linked = await operatorRow(olga.id);
    expect(linked.telegramUserId).toBe(5_550_001);
    expect(linked.telegramLinkedAt).toBeInstanceOf(Date);
    const [audit] = await db
      .select()
      .from(operatorLogs)
      .where(eq(operatorLogs.action, 'operator.telegram_linked'));
    expect(audit).toMatchObject({
      actorType: 'telegram',
      telegramUserId: 5_550_001,
      actorLabel: 'Olga TG',
      targetId: olga.id,
    });

    expect(await redeem(invite.token, { id: 5_550_001, name: 'Olga TG' })).toEqual({
      ok: false,
      reason: 'used',
    });
    expect(await redeem(invite.token, { id: 5_550_999, name: 'Someone else' })).toEqual({
      ok: false,
      reason: 'used',
    });
    expect((await operatorRow(olga.id)).telegramUserId).toBe(5_550_001);
    expect(await redeem('x'.repeat(32), { id: 5_550_001, name: 'Olga TG' })).toEqual({
      ok: false,
      reason: 'invalid',
    });
    expect(await redeem('not a token!', { id: 5_550_001, name: 'Olga TG' })).toEqual({
      ok: false,
      reason: 'invalid',
    });
  });

  it('refuses an expired invite and leaves the operator unlinked', async () => {
    const admin = await makeAdmin();
    const olga = await makeOperator(db);
    const invite = await createOperatorInvite({
      db,
      actor: admin,
      input: { operatorId: olga.id, ttlHours: 1 },
    });
    await expireAuthTokens(db, olga.id, 'operator_invite');
    expect(await redeem(invite.token, { id: 5_550_002, name: 'Late' })).toEqual({
      ok: false,
      reason: 'expired',
    });
    expect((await operatorRow(olga.id)).telegramUserId).toBeNull();
  });

  it('does not let a second operator take an already linked Telegram account', async () => {
    const admin = await makeAdmin();
    const first = await makeOperator(db);
    const second = await makeOperator(db);
    const firstInvite = await createOperatorInvite({ db, actor: admin, input: { operatorId: first.id } });
    const secondInvite = await createOperatorInvite({ db, actor: admin, input: { operatorId: second.id } });
    expect((await redeem(firstInvite.token, { id: 5_550_003, name: 'Shared' })).ok).toBe(true);

    expect(await redeem(secondInvite.token, { id: 5_550_003, name: 'Shared' })).toEqual({
      ok: false,
      reason: 'taken',
    });
    expect((await operatorRow(second.id)).telegramUserId).toBeNull();
    expect((await operatorRow(first.id)).telegramUserId).toBe(5_550_003);
    // The refused attempt did not burn the invite: the right person can still use it.
    expect(await redeem(secondInvite.token, { id: 5_550_004, name: 'Second' })).toMatchObject({
      ok: true,
      operatorId: second.id,
    });
  });

  it('settles two invites racing for one Telegram account with exactly one link', async () => {
    const admin = await makeAdmin();
    const first = await makeOperator(db);
    const second = await makeOperator(db);
    const firstInvite = await createOperatorInvite({ db, actor: admin, input: { operatorId: first.id } });
    const secondInvite = await createOperatorInvite({ db, actor: admin, input: { operatorId: second.id } });
    const telegramUser = { id: 5_550_010, name: 'Racer' };

    // The first link stays uncommitted while the second redeem runs: on Postgres the second
    // passes the "already linked?" read, then loses on the unique index and must answer
    // `taken` without aborting its transaction. (PGlite runs one transaction at a time.)
    const firstLinked = deferred();
    const holdFirst = deferred();
    const a = db.transaction(async (tx) => {
      const result = await redeemOperatorInvite({ tx, token: firstInvite.token, telegramUser });
      firstLinked.resolve();
      await holdFirst.promise;
      return result;
    });
    await firstLinked.promise;
    const b = db.transaction(async (tx) => {
      const result = await redeemOperatorInvite({ tx, token: secondInvite.token, telegramUser });
      await tx.select().from(operators); // the transaction is still usable
      return result;
    });
    await new Promise((resolve) => setTimeout(resolve, 200));
    holdFirst.resolve();
    expect(await a).toMatchObject({ ok: true, operatorId: first.id });
    expect(await b).toEqual({ ok: false, reason: 'taken' });
    expect((await operatorRow(second.id)).telegramUserId).toBeNull();
    expect(await redeem(secondInvite.token, { id: 5_550_011, name: 'Second' })).toMatchObject({ ok: true });
  });

  it('lets only admins (and scripts) create invites, and needs the bot username', async () => {
    const department = await makeDepartment(db);
    const olga = await makeOperator(db, { departmentIds: [department.id] });
    const supervisor = await makeOperator(db, { role: 'supervisor', departmentIds: [department.id] });
    await expect(
      createOperatorInvite({ db, actor: actorFor(olga, [department.id]), input: { operatorId: olga.id } }),
    ).rejects.toMatchObject({ code: 'forbidden' });
    await expect(
      createOperatorInvite({
        db,
        actor: actorFor(supervisor, [department.id]),
        input: { operatorId: olga.id },
      }),
    ).rejects.toMatchObject({ code: 'forbidden' });
    const telegram: TelegramActor = { kind: 'telegram', telegramUserId: 1, name: 'x' };
    await expect(
      createOperatorInvite({ db, actor: telegram, input: { operatorId: olga.id } }),
    ).rejects.toMatchObject({ code: 'forbidden' });
    expect(await db.select().from(authTokens)).toHaveLength(0);

    const fromScript = await createOperatorInvite({
      db,
      actor: systemActor('script'),
      input: { operatorId: olga.id },
    });
    expect(fromScript.url).toContain('?start=op_');
    await expect(
      createOperatorInvite({ db, actor: systemActor(), input: { operatorId: olga.id, ttlHours: 721 } }),
    ).rejects.toThrow();

    delete process.env.TELEGRAM_BOT_USERNAME;
    resetEnvCache();
    try {
      await expect(
        createOperatorInvite({ db, actor: systemActor(), input: { operatorId: olga.id } }),
      ).rejects.toMatchObject({
        code: 'conflict',
        message: expect.stringContaining('TELEGRAM_BOT_USERNAME'),
      });
    } finally {
      process.env.TELEGRAM_BOT_USERNAME = BOT_USERNAME;
      resetEnvCache();
    }
  });

  it('stores only a hash of the token, keeps it out of the audit log, and revokes older invites', async () => {
    const admin = await makeAdmin();
    const olga = await makeOperator(db);
    const older = await createOperatorInvite({ db, actor: admin, input: { operatorId: olga.id } });
    const newer = await createOperatorInvite({ db, actor: admin, input: { operatorId: olga.id } });

    const rows = await db.select().from(authTokens).where(eq(authTokens.operatorId, olga.id));
    expect(rows).toHaveLength(2);
    const stored = JSON.stringify(rows);
    for (const token of [older.token, newer.token]) {
      expect(stored).not.toContain(token);
      expect(rows.some((r) => r.tokenHash === token)).toBe(false);
    }
    expect(rows.every((r) => /^[0-9a-f]{64}$/.test(r.tokenHash))).toBe(true);
    expect(rows.find((r) => r.usedAt === null)?.createdById).toBe(admin.operatorId);

    await redeem(newer.token, { id: 5_550_005, name: 'Olga TG' });
    const logs = JSON.stringify(await db.select().from(operatorLogs));
    expect(logs).toContain('operator.invite_created');
    expect(logs).toContain('operator.telegram_linked');
    expect(logs).not.toContain(older.token);
    expect(logs).not.toContain(newer.token);

    expect(await redeem(older.token, { id: 5_550_005, name: 'Olga TG' })).toEqual({
      ok: false,
      reason: 'used',
    });
  });
});

describe('one-time login links', () => {
  async function linkedOperator(telegramUserId: number, overrides: { isActive?: boolean } = {}) {
    const operator = await makeOperator(db, { name: 'Mark', ...overrides });
    await linkOperatorTelegram(db, operator.id, telegramUserId);
    const actor: TelegramActor = { kind: 'telegram', telegramUserId, name: 'Mark TG' };
    return { operator, actor };
  }

  function tokenOf(url: string): string {
    const token = new URL(url).searchParams.get('token');
    if (!token) throw new Error(`no token in ${url}`);
    return token;
  }

  it('signs in once, with the audit row carrying the request context', async () => {
    const { operator, actor } = await linkedOperator(6_660_001);
    const link = await db.transaction((tx) => createLoginLink({ tx, operatorId: operator.id, actor }));
    expect(link.url).toMatch(
      new RegExp(`^${getEnv().APP_URL.replace(/\/+$/, '')}/login/link\\?token=[A-Za-z0-9_-]{43}$`),
    );
    const token = tokenOf(link.url);

    const [row] = await db.select().from(authTokens).where(eq(authTokens.operatorId, operator.id));
    expect(row?.kind).toBe('login_link');
    expect(row?.tokenHash).not.toBe(token);
    const lifetime = (row?.expiresAt.getTime() ?? 0) - Date.now();
    expect(lifetime).toBeGreaterThan(4.5 * 60_000);
    expect(lifetime).toBeLessThanOrEqual(5 * 60_000);
    expect(Date.parse(link.expiresAt)).toBe(row?.expiresAt.getTime());

    const ctx = context();
    expect(await consumeLoginLink({ db, token, context: ctx })).toEqual({
      id: operator.id,
      name: 'Mark',
      email: operator.email,
      role: 'operator',
      sessionVersion: 1,
    });
    const [signIn] = await db.select().from(operatorLogs).where(eq(operatorLogs.action, 'auth.signed_in'));
    expect(signIn).toMatchObject({
      operatorId: operator.id,
      details: { method: 'telegram_link' },
      ip: ctx.ip,
      userAgent: 'vitest-telegram',
    });
    const [created] = await db
      .select()
      .from(operatorLogs)
      .where(eq(operatorLogs.action, 'auth.login_link_created'));
    expect(created).toMatchObject({
      actorType: 'telegram',
      telegramUserId: 6_660_001,
      targetId: operator.id,
    });
    expect(JSON.stringify(await db.select().from(operatorLogs))).not.toContain(token);

    expect(await consumeLoginLink({ db, token, context: context() })).toBeNull();
  });

  it('stops working once its 5 minutes are over', async () => {
    const { operator, actor } = await linkedOperator(6_660_002);
    const link = await db.transaction((tx) => createLoginLink({ tx, operatorId: operator.id, actor }));
    await expireAuthTokens(db, operator.id, 'login_link');
    expect(await consumeLoginLink({ db, token: tokenOf(link.url), context: context() })).toBeNull();
    expect(
      await db.select().from(operatorLogs).where(eq(operatorLogs.action, 'auth.signed_in')),
    ).toHaveLength(0);
  });

  it('refuses a disabled operator, even after they are enabled again', async () => {
    const { operator, actor } = await linkedOperator(6_660_003);
    const link = await db.transaction((tx) => createLoginLink({ tx, operatorId: operator.id, actor }));
    await db.update(operators).set({ isActive: false }).where(eq(operators.id, operator.id));
    expect(await consumeLoginLink({ db, token: tokenOf(link.url), context: context() })).toBeNull();
    await db.update(operators).set({ isActive: true }).where(eq(operators.id, operator.id));
    expect(await consumeLoginLink({ db, token: tokenOf(link.url), context: context() })).toBeNull();

    await db.update(operators).set({ isActive: false }).where(eq(operators.id, operator.id));
    await expect(
      db.transaction((tx) => createLoginLink({ tx, operatorId: operator.id, actor })),
    ).rejects.toMatchObject({ code: 'not_found' });
  });

  it('is issued only to the linked Telegram account or the operator themself', async () => {
    const { operator } = await linkedOperator(6_660_004);
    const stranger: TelegramActor = { kind: 'telegram', telegramUserId: 6_660_999, name: 'Stranger' };
    await expect(
      db.transaction((tx) => createLoginLink({ tx, operatorId: operator.id, actor: stranger })),
    ).rejects.toMatchObject({ code: 'forbidden' });
    const admin = await makeAdmin();
    await expect(
      db.transaction((tx) => createLoginLink({ tx, operatorId: operator.id, actor: admin })),
    ).rejects.toMatchObject({ code: 'forbidden' });
    expect(await db.select().from(authTokens)).toHaveLength(0);
  });

  it('signs in through the telegram-link next-auth provider', async () => {
    const { operator, actor } = await linkedOperator(6_660_005);
    const link = await db.transaction((tx) => createLoginLink({ tx, operatorId: operator.id, actor }));
    const authorize = providerAuthorize('telegram-link');
    // A client-sent X-Forwarded-For is never believed (tests/integration/security.test.ts has
    // the real-socket side): with no resolved address the audit row has none.
    const req = { headers: { 'x-forwarded-for': '198.51.100.77, 10.0.0.1', 'user-agent': 'browser' } };
    expect(await authorize({ token: tokenOf(link.url) }, req)).toMatchObject({
      id: operator.id,
      role: 'operator',
    });
    expect(await authorize({ token: tokenOf(link.url) }, req)).toBeNull();
    const [signIn] = await db.select().from(operatorLogs).where(eq(operatorLogs.action, 'auth.signed_in'));
    expect(signIn).toMatchObject({ ip: null, userAgent: 'browser' });
  });
});

describe('Telegram Login Widget sign-in', () => {
  it('finds the active operator linked to the signed Telegram account', async () => {
    const olga = await makeOperator(db, { name: 'Olga', role: 'supervisor' });
    await linkOperatorTelegram(db, olga.id, 7_770_001);
    const ctx = context();
    // Two distinct logins: a second payload built a second later with `now - 1` would be the
    // first one again, and refused as a replay.
    const signedAt = Math.floor(Date.now() / 1000);
    expect(
      await authenticateTelegramWidget({ db, payload: widgetUser(7_770_001, signedAt), context: ctx }),
    ).toEqual({
      id: olga.id,
      name: 'Olga',
      email: olga.email,
      role: 'supervisor',
      sessionVersion: 1,
    });
    const [signIn] = await db
      .select()
      .from(operatorLogs)
      .where(and(eq(operatorLogs.action, 'auth.signed_in'), eq(operatorLogs.operatorId, olga.id)));
    expect(signIn).toMatchObject({ details: { method: 'telegram_widget' }, ip: ctx.ip });

    const viaProvider = await providerAuthorize('telegram-widget')(
      // A new login (each payload signs in once).
      { payload: JSON.stringify(widgetUser(7_770_001, signedAt - 30)) },
      { headers: { 'x-real-ip': '198.51.100.78' } },
    );
    expect(viaProvider).toMatchObject({ id: olga.id, role: 'supervisor' });
  });

  it('rejects tampered, stale, unlinked and disabled sign-ins', async () => {
    const olga = await makeOperator(db);
    await linkOperatorTelegram(db, olga.id, 7_770_002);
    const signed = widgetUser(7_770_002);
    const widget = (payload: unknown) => authenticateTelegramWidget({ db, payload, context: context() });

    // Someone else's valid login, re-pointed at Olga's Telegram id.
    const other = widgetUser(7_770_999);
    expect(await widget({ ...other, id: 7_770_002 })).toBeNull();
    expect(await widget({ ...signed, first_name: 'Mallory' })).toBeNull();
    expect(await widget({ ...signed, hash: undefined })).toBeNull();
    expect(await widget(widgetUser(7_770_002, Math.floor(Date.now() / 1000) - 301))).toBeNull();
    expect(await widget(other)).toBeNull();
    expect(await providerAuthorize('telegram-widget')({ payload: '{not json' }, { headers: {} })).toBeNull();

    await db.update(operators).set({ isActive: false }).where(eq(operators.id, olga.id));
    expect(await widget(signed)).toBeNull();
    expect(
      await db.select().from(operatorLogs).where(eq(operatorLogs.action, 'auth.signed_in')),
    ).toHaveLength(0);
  });
});

function deferred() {
  let resolve: () => void = () => {};
  const promise = new Promise<void>((r) => {
    resolve = r;
  });
  return { promise, resolve: () => resolve() };
}

type Authorize = (
  credentials: Record<string, string>,
  req: { headers: Record<string, string> },
) => Promise<unknown>;
// CredentialsProvider keeps what we passed under `options`; next-auth merges it in at run time.
const providerShape = z.object({
  options: z.object({ id: z.string(), authorize: z.custom<Authorize>((v) => typeof v === 'function') }),
});

/** The `authorize` of one configured next-auth provider, as next-auth calls it. */
function providerAuthorize(id: string): Authorize {
  const provider = getAuthOptions()
    .providers.map((p) => providerShape.safeParse(p))
    .find((p) => p.success && p.data.options.id === id);
  if (!provider?.success) throw new Error(`provider ${id} not configured`);
  return provider.data.options.authorize;
}
