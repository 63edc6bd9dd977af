'use client';

import { signIn } from 'next-auth/react';
import { describeSignInError } from '@/lib/auth/sign-in-error';
import { useRouter } from 'next/navigation';
import { useState } from 'react';

export function LoginLinkButton({ token }: { token: string }) {
  const router = useRouter();
  const [error, setError] = useState<string | null>(null);
  const [pending, setPending] = useState(false);

  async function onClick() {
    setPending(true);
    setError(null);
    const result = await signIn('telegram-link', { token, redirect: false });
    if (!result || result.error) {
      setPending(false);
      setError(
        describeSignInError(
          result?.error,
          'This sign-in link has expired or was already used. Send /login to the bot for a new one.',
        ),
      );
      return;
    }
    router.replace('/clients');
    router.refresh();
  }

  return (
    <div className="flex flex-col gap-3">
      {error && (
        <div role="alert" className="alert alert-error alert-soft text-sm">
          {error}
        </div>
      )}
      <button type="button" className="btn btn-primary" disabled={pending} onClick={onClick}>
        {pending ? <span className="loading loading-spinner loading-sm" /> : 'Sign in'}
      </button>
    </div>
  );
}
