import { describe, expect, it } from 'vitest';
import { isWellFormedPageBody } from './post-body';

const bytes = (text: string) => new TextEncoder().encode(text);
const multipart = 'multipart/form-data; boundary=----x1';
const form = '------x1\r\nContent-Disposition: form-data; name="a"\r\n\r\n1\r\n------x1--\r\n';

describe('isWellFormedPageBody', () => {
  it('accepts what React and browsers send', () => {
    expect(isWellFormedPageBody({ contentType: multipart, isAction: true, body: bytes(form) })).toBe(true);
    expect(
      isWellFormedPageBody({
        contentType: 'multipart/form-data; boundary="----x1"',
        isAction: false,
        body: bytes(form.trimEnd()),
      }),
    ).toBe(true);
    expect(
      isWellFormedPageBody({
        contentType: 'text/plain;charset=UTF-8',
        isAction: true,
        body: bytes('["online"]'),
      }),
    ).toBe(true);
    expect(
      isWellFormedPageBody({
        contentType: 'application/x-www-form-urlencoded',
        isAction: false,
        body: bytes('%%%'),
      }),
    ).toBe(true);
  });

  it('refuses garbage, truncated uploads and JSON that is not an argument list', () => {
    expect(isWellFormedPageBody({ contentType: multipart, isAction: true, body: bytes('garbage') })).toBe(
      false,
    );
    expect(
      isWellFormedPageBody({ contentType: multipart, isAction: false, body: bytes(form.slice(0, -10)) }),
    ).toBe(false);
    expect(
      isWellFormedPageBody({ contentType: 'multipart/form-data', isAction: true, body: bytes(form) }),
    ).toBe(false);
    expect(isWellFormedPageBody({ contentType: 'text/plain', isAction: true, body: bytes('[') })).toBe(false);
    expect(isWellFormedPageBody({ contentType: 'text/plain', isAction: true, body: bytes('{"a":1}') })).toBe(
      false,
    );
  });
});
