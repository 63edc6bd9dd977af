'use client';

import { signIn } from 'next-auth/react';
import { useTranslations } from 'next-intl';
import { useRouter } from 'next/navigation';
import { useEffect, useRef, useState } from 'react';
import { useSignInErrorText } from './use-sign-in-error';

/** Posts the widget's signed user object to the telegram-widget provider, once, on arrival. */
export function TelegramWidgetSignIn({ payload }: { payload: string }) {
  const router = useRouter();
  const t = useTranslations('login');
  const errorText = useSignInErrorText();
  const started = useRef(false);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    // Once per page: a payload signs in only once, so a second post would only fail.
    if (started.current) return;
    started.current = true;
    void signIn('telegram-widget', { payload, redirect: false }).then((result) => {
      if (!result || result.error) {
        // The code is kept and put into words when rendered (in the page's language).
        setError(result?.error ?? 'unknown');
        return;
      }
      router.replace('/clients');
      router.refresh();
    });
  }, [payload, router]);

  return error !== null ? (
    <div role="alert" className="alert alert-error text-sm">
      {errorText(error, 'widgetInvalid')}
    </div>
  ) : (
    <p className="flex items-center gap-2 text-sm opacity-70">
      <span className="loading loading-spinner loading-sm" /> {t('signingIn')}
    </p>
  );
}
