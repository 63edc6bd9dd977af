'use client';

import { useEffect, useRef } from 'react';

/**
 * Telegram's Login Widget (https://core.telegram.org/widgets/login). Works only on the domain
 * set for the bot with @BotFather's /setdomain. It runs in redirect mode (`data-auth-url`):
 * after the user confirms, Telegram's script sends the browser to /login/telegram with the
 * signed user object in the query, where the server verifies it. The callback mode
 * (`data-onauth`) is not used because the widget evaluates that attribute as code, which the
 * Content-Security-Policy forbids.
 */
export function TelegramLoginWidget({ botUsername }: { botUsername: string }) {
  const container = useRef<HTMLDivElement>(null);

  useEffect(() => {
    const host = container.current;
    if (!host) return;
    const script = document.createElement('script');
    script.src = 'https://telegram.org/js/telegram-widget.js?22';
    script.async = true;
    script.setAttribute('data-telegram-login', botUsername);
    script.setAttribute('data-size', 'large');
    script.setAttribute('data-auth-url', new URL('/login/telegram', window.location.origin).href);
    host.appendChild(script);
    return () => host.replaceChildren();
  }, [botUsername]);

  return (
    <div className="flex flex-col items-center gap-2">
      <div ref={container} className="min-h-10" />
    </div>
  );
}
