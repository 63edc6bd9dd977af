import type { Db } from '@/db/client';
import { authenticateApiToken } from '@/lib/api-tokens/authenticate-api-token';
import type { StaffActor } from '@/lib/auth/actor';
import { getAuthSecret } from '@/lib/auth/auth-secret';
import { readSessionToken } from '@/lib/auth/session-token';
import { getEnv } from '@/lib/env';
import { AppError } from '@/lib/errors';
import { requestContextFromHeaders } from '@/lib/http/client-ip';
import { getOperatorActor } from '@/lib/operators/get-operator-actor';

function cookiesOf(header: string | null): { name: string; value: string }[] {
  if (!header) return [];
  return header.split(';').flatMap((part) => {
    const at = part.indexOf('=');
    if (at <= 0) return [];
    return [{ name: part.slice(0, at).trim(), value: part.slice(at + 1).trim() }];
  });
}

/**
 * Who calls the REST API: `Authorization: Bearer <token>` (an API token), else the dashboard's
 * session cookie (the signed-in operator, revocation checked). A cookie-authenticated change
 * (`mutating`) must come from the desk's own pages: a browser's `Origin` naming another site is
 * refused (cross-site request forgery), on top of the cookie's SameSite=Lax. Errors:
 * `unauthorized` (no, bad, revoked or expired credentials), `forbidden` (foreign origin).
 */
export async function authenticateApiRequest({
  db,
  request,
  mutating,
}: {
  db: Db;
  request: Request;
  mutating: boolean;
}): Promise<StaffActor> {
  const context = requestContextFromHeaders(request.headers);
  const authorization = request.headers.get('authorization');
  if (authorization !== null) {
    const match = /^Bearer\s+(\S+)\s*$/i.exec(authorization);
    if (!match?.[1]) throw new AppError('unauthorized', 'Send the token as "Authorization: Bearer <token>".');
    return authenticateApiToken({ db, token: match[1], context });
  }
  const claims = await readSessionToken(cookiesOf(request.headers.get('cookie')), getAuthSecret());
  const actor = claims
    ? await getOperatorActor({ db, operatorId: claims.sub, sessionVersion: claims.sv, context })
    : null;
  if (!actor)
    throw new AppError('unauthorized', 'Sign in, or send an API token: "Authorization: Bearer <token>".');
  if (mutating) {
    const origin = request.headers.get('origin');
    if (origin && origin !== new URL(getEnv().APP_URL).origin && origin !== new URL(request.url).origin) {
      throw new AppError('forbidden', 'Changes with a session cookie must come from the desk itself.');
    }
  }
  return actor;
}
