import { describe, expect, it } from 'vitest';
import { clearLoginFailures, isLoginThrottled, recordLoginFailure } from './login-throttle';

describe('login throttle', () => {
  it('refuses after 10 failures in 15 minutes and forgets them afterwards', () => {
    const keys = ['email:x@example.test', 'ip:198.51.100.1'];
    const t0 = 1_000_000;
    for (let i = 0; i < 9; i++) recordLoginFailure(keys, t0 + i);
    expect(isLoginThrottled(keys, t0 + 10)).toBe(false);
    recordLoginFailure(keys, t0 + 10);
    expect(isLoginThrottled(['email:x@example.test'], t0 + 11)).toBe(true);
    expect(isLoginThrottled(['ip:198.51.100.1'], t0 + 11)).toBe(true);
    expect(isLoginThrottled(['email:other@example.test'], t0 + 11)).toBe(false);
    expect(isLoginThrottled(keys, t0 + 15 * 60 * 1000 + 11)).toBe(false);
    recordLoginFailure(keys, t0);
    clearLoginFailures(keys);
    expect(isLoginThrottled(keys, t0 + 12)).toBe(false);
  });
});
