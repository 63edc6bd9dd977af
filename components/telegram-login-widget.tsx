'use client';

import { signIn } from 'next-auth/react';
import { useRouter } from 'next/navigation';
import { useEffect, useRef, useState } from 'react';

declare global {
  interface Window {
    __deskTelegramAuth?: (user: unknown) => void;
  }
}

/**
 * Telegram's Login Widget (https://core.telegram.org/widgets/login). Works only on the domain
 * set for the bot with @BotFather's /setdomain. The server verifies the signed user object.
 */
export function TelegramLoginWidget({ botUsername }: { botUsername: string }) {
  const container = useRef<HTMLDivElement>(null);
  const router = useRouter();
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    const host = container.current;
    if (!host) return;
    window.__deskTelegramAuth = (user: unknown) => {
      setError(null);
      void signIn('telegram-widget', { payload: JSON.stringify(user), redirect: false }).then((result) => {
        if (!result || result.error) {
          setError('This Telegram account is not linked to an active operator. Ask an admin for an invite.');
          return;
        }
        router.replace('/clients');
        router.refresh();
      });
    };
    const script = document.createElement('script');
    script.src = 'https://telegram.org/js/telegram-widget.js?22';
    script.async = true;
    script.setAttribute('data-telegram-login', botUsername);
    script.setAttribute('data-size', 'large');
    script.setAttribute('data-onauth', '__deskTelegramAuth(user)');
    host.appendChild(script);
    return () => {
      host.replaceChildren();
      delete window.__deskTelegramAuth;
    };
  }, [botUsername, router]);

  return (
    <div className="flex flex-col items-center gap-2">
      <div ref={container} className="min-h-10" />
      {error && (
        <div role="alert" className="alert alert-error alert-soft w-full text-sm">
          {error}
        </div>
      )}
    </div>
  );
}
