import { createHash, randomBytes } from 'node:crypto';

/** Every token starts so; a secret scanner or a log reader can tell what it is. */
export const TOKEN_PREFIX = 'tsd_';
const TOKEN_FORMAT = /^tsd_[A-Za-z0-9_-]{43}$/;
/** Characters of a token kept in clear to recognise it in lists ("tsd_AbCdEfGh…"). */
const VISIBLE = 12;

/** A new token: `tsd_` + 32 random bytes in base64url (256 bits). Shown once, never stored. */
export function newTokenSecret(): { token: string; hash: string; prefix: string } {
  const token = `${TOKEN_PREFIX}${randomBytes(32).toString('base64url')}`;
  return { token, hash: hashToken(token), prefix: token.slice(0, VISIBLE) };
}

/** SHA-256 of the token, hex: what is stored and looked up (a token is a random secret, no salt needed). */
export function hashToken(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

export function looksLikeToken(token: string): boolean {
  return TOKEN_FORMAT.test(token);
}
