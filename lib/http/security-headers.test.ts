import { describe, expect, it } from 'vitest';
import { contentSecurityPolicy, newNonce } from './security-headers';

function directives(policy: string): Map<string, string> {
  return new Map(
    policy.split(';').map((d) => {
      const [name = '', ...values] = d.trim().split(/\s+/);
      return [name, values.join(' ')];
    }),
  );
}

describe('contentSecurityPolicy', () => {
  it('runs only nonced scripts, frames nothing but the Telegram widget, and is never framed', () => {
    const policy = directives(contentSecurityPolicy({ nonce: 'abc123', https: false }));
    expect(policy.get('script-src')).toBe("'self' 'nonce-abc123' 'strict-dynamic' https://telegram.org");
    expect(policy.get('frame-src')).toBe('https://oauth.telegram.org');
    expect(policy.get('frame-ancestors')).toBe("'none'");
    expect(policy.get('object-src')).toBe("'none'");
    expect(policy.get('base-uri')).toBe("'none'");
    expect(policy.get('connect-src')).toBe("'self'");
    expect(policy.has('upgrade-insecure-requests')).toBe(false);
    // Nothing else foreign anywhere in the policy.
    const foreign = [...policy.values()].join(' ').match(/https?:\/\/[^\s;]+/g);
    expect(foreign).toEqual(['https://telegram.org', 'https://oauth.telegram.org']);
  });

  it('upgrades insecure requests over https and allows eval only in development', () => {
    expect(contentSecurityPolicy({ nonce: 'n', https: true })).toContain('upgrade-insecure-requests');
    expect(contentSecurityPolicy({ nonce: 'n', https: false })).not.toContain('unsafe-eval');
    expect(contentSecurityPolicy({ nonce: 'n', https: false, development: true })).toContain("'unsafe-eval'");
  });

  it('makes a new 128-bit nonce each time', () => {
    const a = newNonce();
    expect(Buffer.from(a, 'base64')).toHaveLength(16);
    expect(newNonce()).not.toBe(a);
  });
});
