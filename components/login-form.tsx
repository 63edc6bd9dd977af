'use client';

import { signIn } from 'next-auth/react';
import { useTranslations } from 'next-intl';
import { useRouter } from 'next/navigation';
import { useState } from 'react';
import { useSignInErrorText } from './use-sign-in-error';

export function LoginForm() {
  const router = useRouter();
  const t = useTranslations('login');
  const errorText = useSignInErrorText();
  const [error, setError] = useState<string | null>(null);
  const [pending, setPending] = useState(false);

  async function onSubmit(event: React.FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    setPending(true);
    setError(null);
    const result = await signIn('credentials', {
      email: String(form.get('email') ?? ''),
      password: String(form.get('password') ?? ''),
      redirect: false,
    });
    setPending(false);
    if (!result || result.error) {
      setError(errorText(result?.error, 'wrongCredentials'));
      return;
    }
    router.replace('/clients');
    router.refresh();
  }

  return (
    <form onSubmit={onSubmit} className="flex flex-col gap-3">
      <label className="floating-label">
        <span>{t('email')}</span>
        <input
          name="email"
          type="email"
          required
          autoComplete="username"
          placeholder={t('email')}
          className="input w-full"
        />
      </label>
      <label className="floating-label">
        <span>{t('password')}</span>
        <input
          name="password"
          type="password"
          required
          autoComplete="current-password"
          placeholder={t('password')}
          className="input w-full"
        />
      </label>
      {error && (
        <div role="alert" className="alert alert-error text-sm">
          {error}
        </div>
      )}
      <button type="submit" className="btn btn-primary" disabled={pending}>
        {pending ? <span className="loading loading-spinner loading-sm" /> : t('submit')}
      </button>
    </form>
  );
}
