'use client';

import { signIn } from 'next-auth/react';
import { describeSignInError } from '@/lib/auth/sign-in-error';
import { useRouter } from 'next/navigation';
import { useEffect, useRef, useState } from 'react';

/** Posts the widget's signed user object to the telegram-widget provider, once, on arrival. */
export function TelegramWidgetSignIn({ payload }: { payload: string }) {
  const router = useRouter();
  const started = useRef(false);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    // Once per page: a payload signs in only once, so a second post would only fail.
    if (started.current) return;
    started.current = true;
    void signIn('telegram-widget', { payload, redirect: false }).then((result) => {
      if (!result || result.error) {
        setError(
          describeSignInError(
            result?.error,
            'This Telegram sign-in is not valid (expired, already used, or the account is not linked to an active operator). Try again from the sign-in page, or ask an admin for an invite.',
          ),
        );
        return;
      }
      router.replace('/clients');
      router.refresh();
    });
  }, [payload, router]);

  return error ? (
    <div role="alert" className="alert alert-error alert-soft text-sm">
      {error}
    </div>
  ) : (
    <p className="flex items-center gap-2 text-sm opacity-70">
      <span className="loading loading-spinner loading-sm" /> Signing you in…
    </p>
  );
}
