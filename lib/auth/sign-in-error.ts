// Shared by the server (which encodes) and the sign-in forms (which explain): no server imports.

const PREFIX = 'rate_limited:';

/** The `error` next-auth hands to the form for a throttled attempt: `rate_limited:<seconds>`. */
export function signInErrorFor(error: { details?: Record<string, unknown> }): string {
  const seconds = error.details?.retryAfterSec;
  return `${PREFIX}${typeof seconds === 'number' && Number.isFinite(seconds) ? Math.ceil(seconds) : 60}`;
}

function humanWait(seconds: number): string {
  if (seconds < 60) return `${seconds} second${seconds === 1 ? '' : 's'}`;
  const minutes = Math.ceil(seconds / 60);
  return `${minutes} minute${minutes === 1 ? '' : 's'}`;
}

/**
 * The message for a sign-in form: a polite wait for a throttled attempt, `fallback` for anything
 * else (wrong credentials are never told apart from other failures).
 */
export function describeSignInError(error: string | null | undefined, fallback: string): string {
  if (error?.startsWith(PREFIX)) {
    const seconds = Number(error.slice(PREFIX.length));
    if (Number.isInteger(seconds) && seconds > 0) {
      return `Too many failed attempts. Please wait ${humanWait(seconds)} and try again.`;
    }
  }
  return fallback;
}
