// Shared by the server (which encodes) and the sign-in forms (which explain): no server imports.

const PREFIX = 'rate_limited:';

/** The `error` next-auth hands to the form for a throttled attempt: `rate_limited:<seconds>`. */
export function signInErrorFor(error: { details?: Record<string, unknown> }): string {
  const seconds = error.details?.retryAfterSec;
  return `${PREFIX}${typeof seconds === 'number' && Number.isFinite(seconds) ? Math.ceil(seconds) : 60}`;
}

/** How long a throttled sign-in must wait, in the unit a person reads it in. */
export type SignInWait = { unit: 'seconds' | 'minutes'; count: number };

/**
 * The wait of a throttled attempt (`rate_limited:<seconds>`): seconds under a minute, else
 * whole minutes rounded up; null for any other error (wrong credentials are never told apart
 * from other failures — the form shows its own fallback text).
 */
export function signInWait(error: string | null | undefined): SignInWait | null {
  if (!error?.startsWith(PREFIX)) return null;
  const seconds = Number(error.slice(PREFIX.length));
  if (!Number.isInteger(seconds) || seconds <= 0) return null;
  return seconds < 60
    ? { unit: 'seconds', count: seconds }
    : { unit: 'minutes', count: Math.ceil(seconds / 60) };
}
