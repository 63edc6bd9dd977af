import { describe, expect, it } from 'vitest';
import { describeSignInError, signInErrorFor } from './sign-in-error';

describe('sign-in errors', () => {
  it('carries the wait from the server to a polite sentence on the form', () => {
    expect(signInErrorFor({ details: { retryAfterSec: 29.2 } })).toBe('rate_limited:30');
    expect(describeSignInError('rate_limited:30', 'x')).toBe(
      'Too many failed attempts. Please wait 30 seconds and try again.',
    );
    expect(describeSignInError('rate_limited:1', 'x')).toBe(
      'Too many failed attempts. Please wait 1 second and try again.',
    );
    expect(describeSignInError('rate_limited:61', 'x')).toBe(
      'Too many failed attempts. Please wait 2 minutes and try again.',
    );
  });

  it('says nothing more than the fallback for anything else', () => {
    expect(describeSignInError('CredentialsSignin', 'Wrong email or password.')).toBe(
      'Wrong email or password.',
    );
    expect(describeSignInError('rate_limited:soon', 'fallback')).toBe('fallback');
    expect(describeSignInError(undefined, 'fallback')).toBe('fallback');
  });
});
