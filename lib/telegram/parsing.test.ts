import { describe, expect, it } from 'vitest';
import { parseContent } from './parse-content';
import { redactToken } from './redact';
import { pickText } from './texts';
import { messageSchema, updateKind } from './update-schema';
import { verifyWebhookSecret } from './verify-webhook-secret';

const kindOf = (m: Parameters<typeof parseContent>[0]) => parseContent(m).kind;

const base = { message_id: 1, date: 1, chat: { id: 5, type: 'private' as const } };

describe('update parsing', () => {
  it('names the update by its first key after update_id', () => {
    expect(updateKind({ update_id: 1, edited_message: {} })).toBe('edited_message');
    expect(updateKind({ update_id: 1 })).toBe('empty');
  });

  it('detects the content kind, venue before location', () => {
    expect(kindOf(messageSchema.parse({ ...base, text: 'hi' }))).toBe('text');
    expect(
      kindOf(
        messageSchema.parse({
          ...base,
          venue: { location: { latitude: 1, longitude: 2 }, title: 'Cafe', address: 'Main st' },
          location: { latitude: 1, longitude: 2 },
        }),
      ),
    ).toBe('venue');
    expect(
      kindOf(messageSchema.parse({ ...base, sticker: { file_id: 'f', file_unique_id: 'u', emoji: '🙂' } })),
    ).toBe('sticker');
    expect(kindOf(messageSchema.parse({ ...base, dice: { emoji: '🎲', value: 3 } }))).toBe('unsupported');
  });

  it('keeps unknown fields of a message', () => {
    expect(messageSchema.parse({ ...base, text: 'x', quote: { text: 'q' } })).toHaveProperty('quote');
  });
});

describe('webhook secret', () => {
  it('requires a configured secret and an exact header', () => {
    expect(verifyWebhookSecret('abc', 'abc')).toBe(true);
    expect(verifyWebhookSecret('abd', 'abc')).toBe(false);
    expect(verifyWebhookSecret(null, 'abc')).toBe(false);
    expect(verifyWebhookSecret('abc', undefined)).toBe(false);
  });
});

describe('redactToken', () => {
  it('removes bot tokens from any text', () => {
    const token = '123456789:AAH-abcdefghijklmnopqrstuvwxyz01234';
    const message = `request to https://api.telegram.org/bot${token}/sendMessage failed`;
    expect(redactToken(message)).toBe('request to https://api.telegram.org/bot<redacted>/sendMessage failed');
    expect(redactToken(`x ${token}`, token)).not.toContain(token);
  });
});

describe('pickText', () => {
  it('uses the department text in the client language, then its default, then built-ins', () => {
    expect(pickText({ en: 'EN', default: 'DEF' }, 'en-GB', 'queued')).toBe('EN');
    expect(pickText({ en: 'EN', default: 'DEF' }, 'de', 'queued')).toBe('DEF');
    expect(pickText(null, 'ru', 'queued')).toMatch(/Спасибо/);
    expect(pickText(null, undefined, 'queued')).toMatch(/Thank you/);
  });
});

describe('sqlState', () => {
  it('finds the Postgres code also inside wrapped errors', async () => {
    const { sqlState } = await import('@/db/sql-state');
    const postgresError = Object.assign(new Error('deadlock detected'), { code: '40P01' });
    const wrapped = new Error('Failed query: update clients …', { cause: postgresError });
    expect(sqlState(wrapped)).toBe('40P01');
    expect(sqlState(postgresError)).toBe('40P01');
    expect(sqlState(new Error('plain'))).toBeUndefined();
    expect(sqlState('not an error')).toBeUndefined();
  });
});
