import { RateLimiterDrizzle, RateLimiterRes } from 'rate-limiter-flexible';
import type { Db } from '@/db/client';
import { rateLimits } from '@/db/schema';
import type { StaffActor } from '@/lib/auth/actor';
import { getEnv } from '@/lib/env';
import { AppError } from '@/lib/errors';

const byDb = new WeakMap<Db, RateLimiterDrizzle>();

function limiter(db: Db): RateLimiterDrizzle {
  let found = byDb.get(db);
  if (!found) {
    // Counters in the database (rate-limiter-flexible's Drizzle store): the limit holds across
    // every instance of the app, as the sign-in throttle does.
    found = new RateLimiterDrizzle({
      storeClient: db,
      schema: rateLimits,
      keyPrefix: 'api',
      points: getEnv().API_RATE_LIMIT_PER_MINUTE,
      duration: 60,
    });
    byDb.set(db, found);
  }
  return found;
}

/**
 * Counts one REST API request against its token's (or signed-in operator's) budget of
 * API_RATE_LIMIT_PER_MINUTE a minute. Over budget: `rate_limited` with `retryAfterSec` (the API
 * answers 429 with Retry-After). Returns the RateLimit headers to send (IETF draft
 * "RateLimit header fields for HTTP": limit, remaining, reset in seconds).
 */
export async function consumeApiRateLimit(
  db: Db,
  actor: StaffActor,
): Promise<{ headers: Record<string, string> }> {
  const key = actor.kind === 'api_token' ? `token:${actor.tokenId}` : `operator:${actor.operatorId}`;
  const points = getEnv().API_RATE_LIMIT_PER_MINUTE;
  try {
    const result = await limiter(db).consume(key);
    return {
      headers: {
        'ratelimit-limit': String(points),
        'ratelimit-remaining': String(result.remainingPoints),
        'ratelimit-reset': String(Math.ceil(result.msBeforeNext / 1000)),
      },
    };
  } catch (rejected) {
    if (!(rejected instanceof RateLimiterRes)) throw rejected;
    const retryAfterSec = Math.max(1, Math.ceil(rejected.msBeforeNext / 1000));
    throw new AppError(
      'rate_limited',
      `Too many requests: at most ${points} a minute. Retry in ${retryAfterSec} s.`,
      {
        retryAfterSec,
      },
    );
  }
}
