import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { classifyIngestError, errorSignature, IngestDeadlineError } from './classify-ingest-error';
import { impossibleIds } from './impossible-ids';
import { loggableText, storableJson, storableText } from './storable-json';

/** An error shaped like postgres.js's: a connection error has code = errno = a name. */
function driverError(code: string) {
  return Object.assign(new Error(`write ${code} 127.0.0.1:5432`), { code, errno: code });
}
function postgresError(code: string) {
  return Object.assign(new Error('from the server'), { name: 'PostgresError', code });
}
/** drizzle wraps the driver's error: DrizzleQueryError { cause }. */
function wrapped(cause: unknown) {
  return Object.assign(new Error('Failed query: insert ...'), { cause });
}

describe('classifyIngestError', () => {
  it('takes every sign of an unreachable or unready database for unavailable', () => {
    const unavailable = [
      driverError('CONNECTION_CLOSED'),
      driverError('CONNECTION_DESTROYED'),
      driverError('CONNECTION_ENDED'),
      driverError('CONNECT_TIMEOUT'),
      Object.assign(new Error('read ECONNRESET'), { code: 'ECONNRESET', errno: -104 }),
      Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' }),
      Object.assign(new Error('write EPIPE'), { code: 'EPIPE' }),
      Object.assign(new Error('ETIMEDOUT'), { code: 'ETIMEDOUT' }),
      postgresError('57P01'), // admin shutdown (fast restart)
      postgresError('57P02'), // crash shutdown (immediate restart)
      postgresError('57P03'), // the database system is starting up
      postgresError('08006'),
      postgresError('53300'), // too many connections
      postgresError('40001'),
      postgresError('40P01'),
      postgresError('42P01'), // undefined table: a migration not applied
      postgresError('25006'), // read-only: a standby after failover
      new IngestDeadlineError(5000),
      wrapped(driverError('CONNECTION_CLOSED')),
      wrapped(postgresError('57P01')),
    ];
    expect(unavailable.map(classifyIngestError)).toEqual(unavailable.map(() => 'unavailable'));
  });

  it("takes validation errors and Postgres' refusals of the data for the update's own fault", () => {
    const parsed = z.object({ id: z.number() }).safeParse({ id: 'x' });
    const own = [
      parsed.success ? new Error('parsed?') : parsed.error,
      postgresError('22P05'), // untranslatable character (\u0000 in jsonb)
      postgresError('22021'), // invalid byte sequence
      postgresError('22003'), // numeric out of range
      postgresError('22008'), // datetime out of range
      postgresError('54000'), // index row too large
      wrapped(postgresError('22P05')),
      driverError('MAX_PARAMETERS_EXCEEDED'),
    ];
    expect(own.map(classifyIngestError)).toEqual(own.map(() => 'update'));
  });

  it('leaves JavaScript errors and other SQLSTATEs to the check-and-retry rule', () => {
    const unknown = [
      new TypeError("Cannot read properties of null (reading 'write')"),
      new RangeError('Invalid time value'),
      postgresError('23505'),
      postgresError('DA001'),
      'a thrown string',
    ];
    expect(unknown.map(classifyIngestError)).toEqual(unknown.map(() => 'unknown'));
  });

  it('lets a connection code win over a data code found deeper in the chain', () => {
    expect(
      classifyIngestError(Object.assign(driverError('CONNECTION_CLOSED'), { cause: postgresError('22P05') })),
    ).toBe('unavailable');
  });

  it('tells failures apart by type, code and message', () => {
    expect(errorSignature(new TypeError('x'))).toBe(errorSignature(new TypeError('x')));
    expect(errorSignature(new TypeError('x'))).not.toBe(errorSignature(new RangeError('x')));
    expect(errorSignature(postgresError('23505'))).not.toBe(errorSignature(postgresError('23503')));
  });
});

describe('storableJson', () => {
  it('removes NUL from keys and values and replaces lone surrogates', () => {
    const body = JSON.parse(
      '{"update_id":1,"message":{"te\\u0000xt":"a\\u0000b","name":"x\\ud800y","tail":"\\udc00","pair":"\\ud83d\\ude00"}}',
    ) as unknown;
    expect(storableJson(body)).toEqual({
      update_id: 1,
      message: { text: 'ab', name: 'x\uFFFDy', tail: '\uFFFD', pair: '😀' },
    });
    expect(storableText('ok \u00e9 😀')).toBe('ok \u00e9 😀');
  });

  it('keeps __proto__ as an own key, never as a prototype', () => {
    const clean = storableJson(JSON.parse('{"__proto__":{"polluted":true},"a":1}')) as Record<
      string,
      unknown
    >;
    expect(Object.hasOwn(clean, '__proto__')).toBe(true);
    expect(Object.getPrototypeOf(clean)).toBe(Object.prototype);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('cuts nesting deeper than any update instead of overflowing the stack', () => {
    const deep = JSON.parse(`${'['.repeat(100_000)}${']'.repeat(100_000)}`) as unknown;
    expect(() => JSON.stringify(storableJson(deep))).not.toThrow();
  });
});

describe('loggableText', () => {
  it('escapes NUL and other control characters and cuts long text', () => {
    expect(loggableText('a\u0000b\u001bc\nd')).toBe('a\\u0000b\\u001bc\nd');
    expect(loggableText('x'.repeat(10), 4)).toBe('xxxx…');
  });
});

describe('impossibleIds', () => {
  const message = (from: number, chat: number, extra: Record<string, unknown> = {}) => ({
    message_id: 7,
    date: 1,
    chat: { id: chat, type: 'private' },
    from: { id: from, is_bot: false, first_name: 'A' },
    ...extra,
  });

  it('accepts what Telegram sends', () => {
    expect(impossibleIds('message', message(42, 42))).toBeNull();
    expect(
      impossibleIds('message', { ...message(42, -100123), chat: { id: -100123, type: 'supergroup' } }),
    ).toBeNull();
    expect(
      impossibleIds('callback_query', {
        id: 'q',
        from: { id: 42 },
        message: { message_id: 3, chat: { id: 42 } },
      }),
    ).toBeNull();
    expect(impossibleIds('chat_boost', { chat: { id: -1 } })).toBeNull();
    expect(impossibleIds('message', 'not an object')).toBeNull();
  });

  it('refuses ids Telegram never sends', () => {
    expect(impossibleIds('message', message(0, 0))).toMatch(/from\.id 0/);
    expect(impossibleIds('message', message(-5, -5))).toMatch(/from\.id -5/);
    expect(impossibleIds('message', message(42, 43))).toMatch(/chat\.id differs/);
    expect(impossibleIds('edited_message', message(42, 42, { message_id: 0 }))).toMatch(/message_id 0/);
    expect(impossibleIds('my_chat_member', { chat: { id: 42, type: 'private' }, from: { id: 41 } })).toMatch(
      /differs/,
    );
    expect(impossibleIds('callback_query', { id: 'q', from: { id: -1 } })).toMatch(/from\.id -1/);
  });
});
