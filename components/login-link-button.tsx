'use client';

import { signIn } from 'next-auth/react';
import { useTranslations } from 'next-intl';
import { useRouter } from 'next/navigation';
import { useState } from 'react';
import { useSignInErrorText } from './use-sign-in-error';

export function LoginLinkButton({ token }: { token: string }) {
  const router = useRouter();
  const t = useTranslations('login');
  const errorText = useSignInErrorText();
  const [error, setError] = useState<string | null>(null);
  const [pending, setPending] = useState(false);

  async function onClick() {
    setPending(true);
    setError(null);
    const result = await signIn('telegram-link', { token, redirect: false });
    if (!result || result.error) {
      setPending(false);
      setError(errorText(result?.error, 'linkExpired'));
      return;
    }
    router.replace('/clients');
    router.refresh();
  }

  return (
    <div className="flex flex-col gap-3">
      {error && (
        <div role="alert" className="alert alert-error text-sm">
          {error}
        </div>
      )}
      <button type="button" className="btn btn-primary" disabled={pending} onClick={onClick}>
        {pending ? <span className="loading loading-spinner loading-sm" /> : t('submit')}
      </button>
    </div>
  );
}
