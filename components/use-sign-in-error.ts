'use client';

import { useTranslations } from 'next-intl';
import { signInWait } from '@/lib/auth/sign-in-error';

type FallbackKey = 'wrongCredentials' | 'linkExpired' | 'widgetInvalid';

/**
 * The sign-in forms' error text in the operator's language: a polite wait for a throttled
 * attempt, else the form's own fallback (messages `login.*`).
 */
export function useSignInErrorText(): (error: string | null | undefined, fallback: FallbackKey) => string {
  const t = useTranslations('login');
  return (error, fallback) => {
    const wait = signInWait(error);
    return wait ? t('tooManyAttempts', wait) : t(fallback);
  };
}
