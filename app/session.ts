import 'server-only';
import { cache } from 'react';
import { cookies, headers } from 'next/headers';
import { redirect } from 'next/navigation';
import { getDb } from '@/db/client';
import type { OperatorActor } from '@/lib/auth/actor';
import { getAuthSecret } from '@/lib/auth/auth-secret';
import { readSessionToken } from '@/lib/auth/session-token';
import { requestContextFromHeaders } from '@/lib/http/client-ip';
import { getOperatorActor } from '@/lib/operators/get-operator-actor';
import { getOperatorProfile, type OperatorProfile } from '@/lib/operators/get-operator-profile';
import { recordOperatorActivity } from '@/lib/operators/record-operator-activity';

/**
 * The signed-in operator as a domain actor, or null: no cookie, a cookie that is not ours, or a
 * revoked session (the token's session version is checked in the same read that loads the actor).
 */
export const getSessionActor = cache(async function getSessionActor(): Promise<OperatorActor | null> {
  const [cookieStore, h] = await Promise.all([cookies(), headers()]);
  const claims = await readSessionToken(cookieStore.getAll(), getAuthSecret());
  if (!claims) return null;
  const db = await getDb();
  const actor = await getOperatorActor({
    db,
    operatorId: claims.sub,
    sessionVersion: claims.sv,
    context: requestContextFromHeaders(h),
  });
  // A signed-in request is activity (sync-operator-status); it must never fail the request.
  if (actor) {
    await recordOperatorActivity({ db, actor }).catch((error: unknown) =>
      console.error('recording operator activity failed:', error instanceof Error ? error.message : error),
    );
  }
  return actor;
});

/** The signed-in operator's profile (status, load, language, time zone), once per request. */
export const getSessionProfile = cache(async function getSessionProfile(): Promise<OperatorProfile | null> {
  const actor = await getSessionActor();
  return actor ? getOperatorProfile({ db: await getDb(), operatorId: actor.operatorId }) : null;
});

export async function requireSessionActor(): Promise<OperatorActor> {
  const actor = await getSessionActor();
  if (!actor) redirect('/login');
  return actor;
}
