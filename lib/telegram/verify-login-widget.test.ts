import { createHash, createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { verifyTelegramLoginWidget } from './verify-login-widget';

const BOT_TOKEN = '123456:TEST-widget-token-abcdefghijklmnop';
const NOW = Date.UTC(2025, 0, 15, 12, 0, 0);
const nowSec = Math.floor(NOW / 1000);

// Signed here independently of the code under test, following Telegram's documented recipe.
function sign<T extends Record<string, string | number>>(fields: T, token = BOT_TOKEN): T & { hash: string } {
  const dataCheckString = Object.entries(fields)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([k, v]) => `${k}=${v}`)
    .join('\n');
  const secret = createHash('sha256').update(token).digest();
  return { ...fields, hash: createHmac('sha256', secret).update(dataCheckString).digest('hex') };
}

const user = {
  id: 777000111,
  first_name: 'Olga',
  last_name: 'Smirnova',
  username: 'olga_s',
  photo_url: 'https://t.me/i/userpic/320/olga.jpg',
  auth_date: nowSec - 30,
};

describe('verifyTelegramLoginWidget', () => {
  it('accepts a correctly signed payload and maps it to camelCase', () => {
    expect(verifyTelegramLoginWidget(sign(user), BOT_TOKEN, NOW)).toEqual({
      ok: true,
      signature: sign(user).hash,
      user: {
        id: 777000111,
        firstName: 'Olga',
        lastName: 'Smirnova',
        username: 'olga_s',
        photoUrl: 'https://t.me/i/userpic/320/olga.jpg',
        authDate: nowSec - 30,
      },
    });
  });

  it('accepts the string form a form post delivers, and a minimal payload', () => {
    const asStrings = sign({ id: '42', first_name: 'Min', auth_date: String(nowSec) });
    expect(verifyTelegramLoginWidget(asStrings, BOT_TOKEN, NOW)).toEqual({
      ok: true,
      signature: asStrings.hash,
      user: { id: 42, firstName: 'Min', authDate: nowSec },
    });
  });

  it('covers fields it does not know in the signature', () => {
    const signed = sign({ ...user, future_field: 'x' });
    expect(verifyTelegramLoginWidget(signed, BOT_TOKEN, NOW).ok).toBe(true);
    expect(verifyTelegramLoginWidget({ ...signed, future_field: 'y' }, BOT_TOKEN, NOW)).toEqual({
      ok: false,
      reason: 'tampered',
    });
  });

  it('rejects a tampered field', () => {
    const signed = sign(user);
    expect(verifyTelegramLoginWidget({ ...signed, id: 1 }, BOT_TOKEN, NOW)).toEqual({
      ok: false,
      reason: 'tampered',
    });
    expect(verifyTelegramLoginWidget({ ...signed, username: 'admin' }, BOT_TOKEN, NOW)).toEqual({
      ok: false,
      reason: 'tampered',
    });
    const { last_name: _dropped, ...withoutLastName } = signed;
    expect(verifyTelegramLoginWidget(withoutLastName, BOT_TOKEN, NOW)).toEqual({
      ok: false,
      reason: 'tampered',
    });
  });

  it('rejects a wrong hash and a payload signed with another bot token', () => {
    const signed = sign(user);
    const flipped = (signed.hash[0] === 'a' ? 'b' : 'a') + signed.hash.slice(1);
    expect(verifyTelegramLoginWidget({ ...signed, hash: flipped }, BOT_TOKEN, NOW)).toEqual({
      ok: false,
      reason: 'tampered',
    });
    expect(
      verifyTelegramLoginWidget(sign(user, '999:OTHER-bot-token-abcdefghijklmn'), BOT_TOKEN, NOW),
    ).toEqual({ ok: false, reason: 'tampered' });
  });

  it('rejects a stale payload and one dated in the future', () => {
    expect(verifyTelegramLoginWidget(sign({ ...user, auth_date: nowSec - 301 }), BOT_TOKEN, NOW)).toEqual({
      ok: false,
      reason: 'stale',
    });
    expect(verifyTelegramLoginWidget(sign({ ...user, auth_date: nowSec - 290 }), BOT_TOKEN, NOW).ok).toBe(
      true,
    );
    expect(verifyTelegramLoginWidget(sign({ ...user, auth_date: nowSec + 120 }), BOT_TOKEN, NOW)).toEqual({
      ok: false,
      reason: 'stale',
    });
  });

  it('rejects a missing or malformed hash and malformed payloads as invalid', () => {
    const { hash: _hash, ...unsigned } = sign(user);
    expect(verifyTelegramLoginWidget(unsigned, BOT_TOKEN, NOW)).toEqual({ ok: false, reason: 'invalid' });
    expect(verifyTelegramLoginWidget({ ...unsigned, hash: 'abc' }, BOT_TOKEN, NOW)).toEqual({
      ok: false,
      reason: 'invalid',
    });
    for (const bad of [null, 'id=1', [], { ...sign(user), id: { nested: 1 } }, sign({ ...user, id: -5 })]) {
      expect(verifyTelegramLoginWidget(bad, BOT_TOKEN, NOW)).toEqual({ ok: false, reason: 'invalid' });
    }
    expect(verifyTelegramLoginWidget(sign(user), '', NOW)).toEqual({ ok: false, reason: 'invalid' });
  });
});
