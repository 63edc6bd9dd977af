import { RateLimiterDrizzle, RateLimiterRes } from 'rate-limiter-flexible';
import type { Db } from '@/db/client';
import { rateLimits } from '@/db/schema';
import { AppError } from '@/lib/errors';

/**
 * Sign-in throttling, after rate-limiter-flexible's "login endpoint protection" recipe
 * (https://github.com/animir/node-rate-limiter-flexible/wiki/Overall-example#login-endpoint-protection),
 * with counters in Postgres / PGlite (`rate_limits`, the library's Drizzle store):
 *
 * - per account *and* source address: the first `FREE_ATTEMPTS` attempts of a streak are free;
 *   after that one attempt is let through per window, and each window is twice as long as the
 *   one before (30 s, 1 min, 2 min … up to an hour). A success ends the streak. Failures from
 *   one address never slow the same account down from another address, so nobody can lock a
 *   known operator out from outside their network.
 * - per source address, across accounts and sign-in methods: more than `IP_FAILURES` failures
 *   within `IP_WINDOW_SEC` refuse that address for `IP_WINDOW_SEC` (password spraying).
 *
 * Attempts are counted before the password is checked, so a burst of parallel guesses gets no
 * more tries than a patient guesser.
 */
export const FREE_ATTEMPTS = 5;
const FIRST_WAIT_SEC = 30;
const MAX_WAIT_SEC = 60 * 60;
const STREAK_SEC = 24 * 60 * 60;
export const IP_FAILURES = 100;
const IP_WINDOW_SEC = 15 * 60;

type Limiters = { streak: RateLimiterDrizzle; gate: RateLimiterDrizzle; ip: RateLimiterDrizzle };
const byDb = new WeakMap<Db, Limiters>();

function limiters(db: Db): Limiters {
  let found = byDb.get(db);
  if (!found) {
    const store = { storeClient: db, schema: rateLimits };
    found = {
      // Attempts in the current streak of one account from one address.
      streak: new RateLimiterDrizzle({
        ...store,
        keyPrefix: 'signin_streak',
        points: 1_000_000,
        duration: STREAK_SEC,
      }),
      // One attempt per (growing) window once the free attempts are used up.
      gate: new RateLimiterDrizzle({
        ...store,
        keyPrefix: 'signin_gate',
        points: 1,
        duration: FIRST_WAIT_SEC,
      }),
      // Failures from one address, whatever the account or method.
      ip: new RateLimiterDrizzle({
        ...store,
        keyPrefix: 'signin_ip',
        points: IP_FAILURES,
        duration: IP_WINDOW_SEC,
        blockDuration: IP_WINDOW_SEC,
      }),
    };
    byDb.set(db, found);
  }
  return found;
}

/** Seconds to wait before the attempt after `extra` attempts beyond the free ones (1, 2, …). */
export function signInWaitSec(extra: number): number {
  return Math.min(FIRST_WAIT_SEC * 2 ** Math.max(0, extra - 1), MAX_WAIT_SEC);
}

function throttled(msBeforeNext: number): AppError {
  const retryAfterSec = Math.max(1, Math.ceil(msBeforeNext / 1000));
  return new AppError('rate_limited', 'Too many failed sign-in attempts.', { retryAfterSec });
}

const ipKey = (ip: string | null) => ip ?? 'unknown';
const accountKey = (account: string, ip: string | null) => JSON.stringify([account, ip ?? 'unknown']);

async function assertAddressAllowed(db: Db, ip: string | null) {
  const res = await limiters(db).ip.get(ipKey(ip));
  if (res && res.consumedPoints > IP_FAILURES && res.msBeforeNext > 0) throw throttled(res.msBeforeNext);
}

/**
 * Call before checking an account's credentials (`account` = the normalised email). Counts the
 * attempt and throws AppError `rate_limited` with `details.retryAfterSec` when it must wait.
 */
export async function beginAccountSignIn(db: Db, account: string, ip: string | null): Promise<void> {
  await assertAddressAllowed(db, ip);
  const { streak, gate } = limiters(db);
  const key = accountKey(account, ip);
  const attempts = (await streak.consume(key)).consumedPoints;
  if (attempts <= FREE_ATTEMPTS) return;
  try {
    await gate.consume(key, 1, { customDuration: signInWaitSec(attempts - FREE_ATTEMPTS) });
  } catch (error) {
    if (!(error instanceof RateLimiterRes)) throw error;
    // A refused attempt is not part of the streak: waiting is enough, it does not grow the wait.
    await streak.reward(key, 1);
    throw throttled(error.msBeforeNext);
  }
}

/** Call before a sign-in without an account name (Telegram link or widget). Throws like above. */
export async function beginAddressSignIn(db: Db, ip: string | null): Promise<void> {
  await assertAddressAllowed(db, ip);
}

/** A failed attempt from this address (any method): counts toward the per-address limit. */
export async function recordSignInFailure(db: Db, ip: string | null): Promise<void> {
  try {
    // Crossing the limit blocks the address for IP_WINDOW_SEC (the limiter's blockDuration).
    await limiters(db).ip.consume(ipKey(ip));
  } catch (error) {
    if (!(error instanceof RateLimiterRes)) throw error;
  }
}

/** A successful sign-in ends the account's streak from this address. */
export async function endAccountStreak(db: Db, account: string, ip: string | null): Promise<void> {
  const { streak, gate } = limiters(db);
  const key = accountKey(account, ip);
  await Promise.all([streak.delete(key), gate.delete(key)]);
}
