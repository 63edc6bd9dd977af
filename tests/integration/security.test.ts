// The security guarantees of the README's "Security" section, against real parts: next-auth's
// own handler over HTTP behind the app's client-address hook, the database, the domain code.
import { and, eq, like } from 'drizzle-orm';
import { encode } from 'next-auth/jwt';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Db } from '@/db/client';
import { operatorLogs, operators, rateLimits } from '@/db/schema';
import { systemActor } from '@/lib/auth/actor';
import { getAuthSecret } from '@/lib/auth/auth-secret';
import { consumeLoginLink } from '@/lib/auth/consume-login-link';
import { readSessionToken } from '@/lib/auth/session-token';
import { signInWait } from '@/lib/auth/sign-in-error';
import { FREE_ATTEMPTS, IP_FAILURES } from '@/lib/auth/sign-in-throttle';
import { getEnv } from '@/lib/env';
import { authenticateOperator } from '@/lib/operators/authenticate-operator';
import { authenticateTelegramWidget } from '@/lib/operators/authenticate-telegram-widget';
import { createOperator } from '@/lib/operators/create-operator';
import { getOperatorActor } from '@/lib/operators/get-operator-actor';
import { updateOperator } from '@/lib/operators/update-operator';
import { actorFor } from '../factories';
import { linkOperatorTelegram, signTelegramWidget } from '../factories/auth';
import { Browser, startAuthServer, type AuthServer } from '../support/auth';
import { getTestDb, resetDb } from '../support/db';

const PASSWORD = 'correct horse battery';
let db: Db;
let server: AuthServer | undefined;

beforeEach(async () => {
  db = await getTestDb();
  await resetDb(db);
});

afterEach(async () => {
  await server?.close();
  server = undefined;
});

async function makeSignInOperator(email: string, role: 'admin' | 'supervisor' | 'operator' = 'operator') {
  return createOperator({
    db,
    actor: systemActor('test'),
    input: { email, name: email.split('@')[0] ?? email, password: PASSWORD, role },
  });
}

async function signInAudit(operatorId: string) {
  return db
    .select({ ip: operatorLogs.ip, details: operatorLogs.details })
    .from(operatorLogs)
    .where(and(eq(operatorLogs.action, 'auth.signed_in'), eq(operatorLogs.operatorId, operatorId)));
}

function forgedHeaders(n: number): Record<string, string> {
  return {
    'x-forwarded-for': `198.51.100.${n}`,
    'x-real-ip': `198.51.100.${n + 100}`,
    forwarded: `for=198.51.100.${n + 50}`,
    // Even the header the hook writes, with a made-up proof.
    'x-desk-client-ip': `made-up-proof 198.51.100.${n + 150}`,
  };
}

const password = (email: string, pw: string) => ({ email, password: pw });

describe('client address', () => {
  it('ignores a forged X-Forwarded-For by default: the audit row and the throttle see the socket', async () => {
    const kate = await makeSignInOperator('kate@example.test');
    server = await startAuthServer([]);
    const browser = new Browser(server.url);

    expect(
      await browser.signIn('credentials', password('kate@example.test', PASSWORD), forgedHeaders(1)),
    ).toEqual({
      ok: true,
      error: null,
    });
    expect(await signInAudit(kate.id)).toEqual([{ ip: '127.0.0.1', details: { method: 'password' } }]);

    // An attacker rotating forged addresses still spends one budget: the real one.
    const attacker = new Browser(server.url);
    for (let i = 0; i <= FREE_ATTEMPTS; i++) {
      const result = await attacker.signIn(
        'credentials',
        password('kate@example.test', 'guess'),
        forgedHeaders(10 + i),
      );
      expect(result).toEqual({ ok: false, error: 'CredentialsSignin' });
    }
    const refused = await attacker.signIn(
      'credentials',
      password('kate@example.test', PASSWORD),
      forgedHeaders(30),
    );
    expect(refused.ok).toBe(false);
    expect(refused.error).toMatch(/^rate_limited:\d+$/);

    const keys = (await db.select({ key: rateLimits.key }).from(rateLimits)).map((r) => r.key).join(' ');
    expect(keys).toContain('127.0.0.1');
    expect(keys).not.toContain('198.51.100.');
  });

  it('believes X-Forwarded-For only from configured proxies, read from the right', async () => {
    const olga = await makeSignInOperator('olga@example.test');
    server = await startAuthServer(['127.0.0.1']);
    // The client forged the left entry; the trusted proxy (this socket) appended the real one.
    await new Browser(server.url).signIn('credentials', password('olga@example.test', PASSWORD), {
      'x-forwarded-for': '192.0.2.66, 203.0.113.9',
    });
    await server.close();

    // Two proxies in a row are trusted: the address before them is the client.
    server = await startAuthServer(['loopback', '203.0.113.0/24']);
    await new Browser(server.url).signIn('credentials', password('olga@example.test', PASSWORD), {
      'x-forwarded-for': '192.0.2.77, 203.0.113.9',
    });
    expect((await signInAudit(olga.id)).map((r) => r.ip)).toEqual(['203.0.113.9', '192.0.2.77']);
  });
});

describe('sign-in throttling', () => {
  const attacker = { ip: '198.51.100.66', userAgent: 'attacker' };
  const office = { ip: '203.0.113.10', userAgent: 'operator' };
  const attempt = (email: string, pw: string, context: { ip: string; userAgent: string }) =>
    authenticateOperator({ db, email, password: pw, context });

  async function expireWaits() {
    // What waiting does: the current window ends.
    await db
      .update(rateLimits)
      .set({ expire: new Date(Date.now() - 1000) })
      .where(like(rateLimits.key, 'signin_gate:%'));
  }

  it("lets the real operator sign in from their own address while an attacker's attempts are refused", async () => {
    const admin = await makeSignInOperator('admin@example.test', 'admin');
    for (let i = 0; i <= FREE_ATTEMPTS; i++) {
      expect(await attempt('admin@example.test', `guess ${i}`, attacker)).toBeNull();
    }
    // The right password from the attacker's address now waits too — no checking at all.
    await expect(attempt('admin@example.test', PASSWORD, attacker)).rejects.toMatchObject({
      code: 'rate_limited',
      details: { retryAfterSec: expect.any(Number) },
    });
    expect(await attempt('admin@example.test', PASSWORD, office)).toMatchObject({
      id: admin.id,
      role: 'admin',
    });
    expect((await signInAudit(admin.id)).map((r) => r.ip)).toEqual([office.ip]);
  });

  it('makes each further wait longer, tells the form how long, and forgets the streak after a success', async () => {
    await makeSignInOperator('nina@example.test');
    for (let i = 0; i <= FREE_ATTEMPTS; i++) await attempt('nina@example.test', 'guess', attacker);
    const first = await attempt('nina@example.test', 'guess', attacker).catch((e: unknown) => e);
    expect(first).toMatchObject({ code: 'rate_limited' });
    const firstWait = z_number((first as { details?: Record<string, unknown> }).details?.retryAfterSec);
    expect(firstWait).toBeGreaterThan(0);
    expect(firstWait).toBeLessThanOrEqual(30);

    await expireWaits();
    expect(await attempt('nina@example.test', 'guess', attacker)).toBeNull();
    const second = await attempt('nina@example.test', 'guess', attacker).catch((e: unknown) => e);
    const secondWait = z_number((second as { details?: Record<string, unknown> }).details?.retryAfterSec);
    expect(secondWait).toBeGreaterThan(30);
    expect(secondWait).toBeLessThanOrEqual(60);

    // Through next-auth the wait reaches the form, which says it politely.
    server = await startAuthServer([]);
    const browser = new Browser(server.url);
    for (let i = 0; i <= FREE_ATTEMPTS; i++)
      await browser.signIn('credentials', password('nina@example.test', 'guess'));
    const { error } = await browser.signIn('credentials', password('nina@example.test', 'guess'));
    expect(signInWait(error)).toMatchObject({ unit: 'seconds', count: expect.any(Number) });

    // A success ends the streak: the free attempts are back.
    await expireWaits();
    expect(await attempt('nina@example.test', PASSWORD, attacker)).not.toBeNull();
    for (let i = 0; i < FREE_ATTEMPTS; i++)
      expect(await attempt('nina@example.test', 'guess', attacker)).toBeNull();
  });

  it('gives a burst of parallel guesses no more tries than a patient guesser', async () => {
    await makeSignInOperator('mark@example.test');
    const results = await Promise.allSettled(
      Array.from({ length: 20 }, (_, i) => attempt('mark@example.test', `guess ${i}`, attacker)),
    );
    const checked = results.filter((r) => r.status === 'fulfilled');
    const refused = results.filter(
      (r) =>
        r.status === 'rejected' &&
        r.reason instanceof Error &&
        'code' in r.reason &&
        r.reason.code === 'rate_limited',
    );
    expect(checked.length).toBeLessThanOrEqual(FREE_ATTEMPTS + 1);
    expect(checked.length + refused.length).toBe(20);
  });

  it('refuses one address failing across many accounts and methods, and only that address', async () => {
    const sam = await makeSignInOperator('sam@example.test');
    for (let i = 0; i <= IP_FAILURES; i++) {
      expect(
        await consumeLoginLink({ db, token: `not-a-real-token-${i}`.padEnd(40, 'x'), context: attacker }),
      ).toBeNull();
    }
    await expect(attempt('sam@example.test', PASSWORD, attacker)).rejects.toMatchObject({
      code: 'rate_limited',
    });
    expect(await attempt('sam@example.test', PASSWORD, office)).toMatchObject({ id: sam.id });
  });
});

function z_number(value: unknown): number {
  if (typeof value !== 'number') throw new Error(`expected a number, got ${String(value)}`);
  return value;
}

describe('session revocation', () => {
  async function signedIn(email: string) {
    server ??= await startAuthServer([]);
    const browser = new Browser(server.url);
    expect((await browser.signIn('credentials', password(email, PASSWORD))).ok).toBe(true);
    const cookie = browser.sessionCookie();
    if (!cookie) throw new Error('no session cookie');
    return { browser, cookie };
  }

  /** The same steps as app/session.ts getSessionActor: cookie → claims → actor (with the version). */
  async function actorFromCookie(cookie: string) {
    const claims = await readSessionToken(
      [{ name: 'next-auth.session-token', value: cookie }],
      getAuthSecret(),
    );
    return claims ? getOperatorActor({ db, operatorId: claims.sub, sessionVersion: claims.sv }) : null;
  }

  /** Someone who kept a copy of the cookie (another tab, another device, a thief). */
  function copyOf(base: string, cookie: string) {
    const copy = new Browser(base);
    copy.cookies.set('next-auth.session-token', cookie);
    return copy;
  }

  it('signing out ends the session, including every copy of its cookie', async () => {
    const kate = await makeSignInOperator('kate@example.test');
    const { browser, cookie } = await signedIn('kate@example.test');
    const copy = copyOf(browser.base, cookie);
    expect(await copy.session()).toMatchObject({ user: { id: kate.id, role: 'operator' } });
    expect(await actorFromCookie(cookie)).toMatchObject({ operatorId: kate.id });

    await browser.signOut();
    expect(await copy.session()).toEqual({});
    expect(await actorFromCookie(cookie)).toBeNull();
    const [signedOut] = await db
      .select()
      .from(operatorLogs)
      .where(eq(operatorLogs.action, 'auth.signed_out'));
    expect(signedOut).toMatchObject({ operatorId: kate.id, ip: '127.0.0.1' });

    // Signing in again works, with a new session.
    expect((await signedIn('kate@example.test')).cookie).not.toBe(cookie);
  });

  it('deactivation, a role change and a new password each end existing sessions', async () => {
    const admin = await makeSignInOperator('admin@example.test', 'admin');
    const adminActor = actorFor({ id: admin.id, name: admin.name, role: 'admin' }, []);
    const olga = await makeSignInOperator('olga@example.test');

    const changes = [
      { role: 'supervisor' as const },
      { password: 'a brand new password' },
      { isActive: false },
    ];
    let currentPassword = PASSWORD;
    for (const change of changes) {
      server ??= await startAuthServer([]);
      const browser = new Browser(server.url);
      expect((await browser.signIn('credentials', password('olga@example.test', currentPassword))).ok).toBe(
        true,
      );
      const cookie = browser.sessionCookie() ?? '';
      expect(await actorFromCookie(cookie)).not.toBeNull();

      await updateOperator({ db, actor: adminActor, input: { operatorId: olga.id, ...change } });
      if (change.password) currentPassword = change.password;

      expect(await browser.session()).toEqual({});
      expect(await actorFromCookie(cookie)).toBeNull();
    }
    // Deactivated: no new session either.
    const browser = new Browser(server?.url ?? '');
    expect((await browser.signIn('credentials', password('olga@example.test', currentPassword))).ok).toBe(
      false,
    );
    expect(await browser.session()).toEqual({});
  });

  it('ends sessions whatever path changes the operator (the database trigger)', async () => {
    const mark = await makeSignInOperator('mark@example.test');
    const { browser, cookie } = await signedIn('mark@example.test');
    await db.update(operators).set({ status: 'away' }).where(eq(operators.id, mark.id));
    expect(await actorFromCookie(cookie)).not.toBeNull();
    await db.update(operators).set({ isActive: false }).where(eq(operators.id, mark.id));
    expect(await browser.session()).toEqual({});
    // Enabling the operator again does not bring old sessions back.
    await db.update(operators).set({ isActive: true }).where(eq(operators.id, mark.id));
    expect(await actorFromCookie(cookie)).toBeNull();
  });

  it('admins cannot demote or disable themselves; others cannot change operators at all', async () => {
    const admin = await makeSignInOperator('admin@example.test', 'admin');
    const adminActor = actorFor({ id: admin.id, name: admin.name, role: 'admin' }, []);
    await expect(
      updateOperator({ db, actor: adminActor, input: { operatorId: admin.id, isActive: false } }),
    ).rejects.toMatchObject({ code: 'conflict' });
    const kate = await makeSignInOperator('kate@example.test', 'supervisor');
    // Kate supervises no department of the admin's: the admin does not exist for her (404), and
    // she may not change herself either (403).
    await expect(
      updateOperator({
        db,
        actor: actorFor({ id: kate.id, name: kate.name, role: 'supervisor' }, []),
        input: { operatorId: admin.id, role: 'operator' },
      }),
    ).rejects.toMatchObject({ code: 'not_found' });
    await expect(
      updateOperator({
        db,
        actor: actorFor({ id: kate.id, name: kate.name, role: 'supervisor' }, []),
        input: { operatorId: kate.id, role: 'admin' },
      }),
    ).rejects.toMatchObject({ code: 'forbidden' });
  });

  it('treats cookies that are not ours as "not signed in", never as an error', async () => {
    const kate = await makeSignInOperator('kate@example.test');
    server = await startAuthServer([]);
    const otherSecret = await encode({ token: { sub: kate.id, sv: 1 }, secret: 'some other secret' });
    const expired = await encode({ token: { sub: kate.id, sv: 1 }, secret: getAuthSecret(), maxAge: -60 });
    const withoutVersion = await encode({ token: { sub: kate.id }, secret: getAuthSecret() });
    const garbage = ['garbage', 'e30', 'a.b.c.d.e', 'x'.repeat(3000), otherSecret, expired, withoutVersion];
    for (const value of garbage) {
      const browser = copyOf(server.url, value);
      const response = await browser.fetch('/api/auth/session');
      expect(response.status).toBe(200);
      expect(await response.json()).toEqual({});
      expect(await actorFromCookie(value)).toBeNull();
    }
  });
});

describe('Telegram Login Widget', () => {
  const botToken = () => {
    const token = getEnv().TELEGRAM_BOT_TOKEN;
    if (!token) throw new Error('vitest.config.ts sets TELEGRAM_BOT_TOKEN');
    return token;
  };
  const payload = (telegramId: number, ageSec = 5) =>
    signTelegramWidget(
      { id: telegramId, first_name: 'Olga', auth_date: Math.floor(Date.now() / 1000) - ageSec },
      botToken(),
    );
  const signIn = (p: unknown) =>
    authenticateTelegramWidget({ db, payload: p, context: { ip: '203.0.113.5' } });

  it('signs in once per payload: a replay is refused', async () => {
    const olga = await makeSignInOperator('olga@example.test');
    await linkOperatorTelegram(db, olga.id, 8_880_001);
    const used = payload(8_880_001);
    expect(await signIn(used)).toMatchObject({ id: olga.id });
    expect(await signIn(used)).toBeNull();
    expect(await signIn({ ...used })).toBeNull();

    // Through next-auth, too (the landing page posts the payload as JSON).
    server = await startAuthServer([]);
    const replay = await new Browser(server.url).signIn('telegram-widget', { payload: JSON.stringify(used) });
    expect(replay.ok).toBe(false);
    expect(await signInAudit(olga.id)).toHaveLength(1);
  });

  it('lets exactly one of two simultaneous uses of a payload sign in', async () => {
    const olga = await makeSignInOperator('olga@example.test');
    await linkOperatorTelegram(db, olga.id, 8_880_002);
    const once = payload(8_880_002);
    const results = await Promise.all([signIn(once), signIn(once), signIn(once)]);
    expect(results.filter((r) => r !== null)).toHaveLength(1);
  });

  it('accepts a payload for five minutes only', async () => {
    const olga = await makeSignInOperator('olga@example.test');
    await linkOperatorTelegram(db, olga.id, 8_880_003);
    expect(await signIn(payload(8_880_003, 5 * 60 + 5))).toBeNull();
    expect(await signIn(payload(8_880_003, 4 * 60))).toMatchObject({ id: olga.id });
  });
});
