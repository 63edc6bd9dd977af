import { describe, expect, it } from 'vitest';
import { createTranslator } from 'next-intl';
import en from '@/messages/en.json';
import ru from '@/messages/ru.json';
import { signInErrorFor, signInWait } from './sign-in-error';

describe('sign-in errors', () => {
  it('carries the wait from the server to a polite sentence on the form, in both languages', () => {
    expect(signInErrorFor({ details: { retryAfterSec: 29.2 } })).toBe('rate_limited:30');
    expect(signInErrorFor({})).toBe('rate_limited:60');
    const tEn = createTranslator({ locale: 'en', messages: en, namespace: 'login' });
    const tRu = createTranslator({ locale: 'ru', messages: ru, namespace: 'login' });
    const say = (t: typeof tEn, error: string) => t('tooManyAttempts', signInWait(error) ?? undefined);
    expect(say(tEn, 'rate_limited:30')).toBe(
      'Too many failed attempts. Please wait 30 seconds and try again.',
    );
    expect(say(tEn, 'rate_limited:1')).toBe('Too many failed attempts. Please wait 1 second and try again.');
    expect(say(tEn, 'rate_limited:61')).toBe(
      'Too many failed attempts. Please wait 2 minutes and try again.',
    );
    expect(say(tRu, 'rate_limited:22')).toBe(
      'Слишком много неудачных попыток. Подождите 22 секунды и попробуйте снова.',
    );
    expect(say(tRu, 'rate_limited:300')).toBe(
      'Слишком много неудачных попыток. Подождите 5 минут и попробуйте снова.',
    );
    expect(say(tRu, 'rate_limited:60')).toBe(
      'Слишком много неудачных попыток. Подождите 1 минуту и попробуйте снова.',
    );
  });

  it('says nothing more than the fallback for anything else', () => {
    expect(signInWait('CredentialsSignin')).toBeNull();
    expect(signInWait('rate_limited:soon')).toBeNull();
    expect(signInWait('rate_limited:0')).toBeNull();
    expect(signInWait(undefined)).toBeNull();
  });
});
