import { decode } from 'next-auth/jwt';
import { z } from 'zod';

/** What a desk session token must carry: the operator id and their session version at sign-in. */
export const sessionClaims = z.object({ sub: z.uuid(), sv: z.number().int().positive() });
export type SessionClaims = z.infer<typeof sessionClaims>;

// next-auth v4's cookie names: `__Secure-` when NEXTAUTH_URL is https. Both are read, since only
// next-auth sets either; a token too big for one cookie is split into `<name>.0`, `<name>.1`, ….
const COOKIE_NAMES = ['__Secure-next-auth.session-token', 'next-auth.session-token'];

function joinedCookie(cookies: readonly { name: string; value: string }[], name: string): string | null {
  const whole = cookies.find((c) => c.name === name);
  if (whole) return whole.value;
  const chunks = cookies
    .flatMap((c) => {
      const match = c.name.startsWith(`${name}.`) ? /^\d{1,3}$/.exec(c.name.slice(name.length + 1)) : null;
      return match ? [{ index: Number(match[0]), value: c.value }] : [];
    })
    .sort((a, b) => a.index - b.index);
  return chunks.length > 0 ? chunks.map((c) => c.value).join('') : null;
}

/**
 * Decrypts the next-auth session cookie among `cookies` and returns its claims, or null when
 * there is none or it is not ours (bad encryption, expired, missing claims) — a garbage cookie
 * is simply "not signed in". Does not check revocation: getOperatorActor does, with `sv`.
 */
export async function readSessionToken(
  cookies: readonly { name: string; value: string }[],
  secret: string,
): Promise<SessionClaims | null> {
  for (const name of COOKIE_NAMES) {
    const token = joinedCookie(cookies, name);
    if (!token) continue;
    try {
      const parsed = sessionClaims.safeParse(await decode({ token, secret }));
      if (parsed.success) return parsed.data;
    } catch {
      // Not a token we issued (or expired): try the other name, then give up.
    }
  }
  return null;
}
