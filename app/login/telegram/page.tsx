import type { Metadata } from 'next';
import Link from 'next/link';
import { getTranslations } from 'next-intl/server';
import { TelegramWidgetSignIn } from '@/components/telegram-widget-sign-in';

export const dynamic = 'force-dynamic';

// The signed Telegram user is in the URL: keep it out of Referer headers and search indexes.
// It is worth nothing once used (single use) or after five minutes.
export const metadata: Metadata = {
  title: 'Signing in · Support desk',
  referrer: 'no-referrer',
  robots: { index: false, follow: false },
};

/**
 * Where the Telegram Login Widget sends the browser (`data-auth-url`) with the signed user
 * object as query parameters. Every parameter is passed on as received — the signature covers
 * them all — and the server verifies them (telegram-widget provider).
 */
export default async function TelegramWidgetLandingPage({
  searchParams,
}: {
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  const params = await searchParams;
  const t = await getTranslations('login');
  const fields: Record<string, string> = {};
  for (const [key, value] of Object.entries(params)) {
    if (typeof value === 'string') fields[key] = value;
  }
  return (
    <main className="flex min-h-screen items-center justify-center p-4">
      <div className="card w-full max-w-sm bg-base-100 shadow">
        <div className="card-body">
          <h1 className="card-title text-2xl">{t('withTelegram')}</h1>
          <TelegramWidgetSignIn payload={JSON.stringify(fields)} />
          <Link href="/login" className="link link-hover text-sm opacity-70">
            {t('backToSignIn')}
          </Link>
        </div>
      </div>
    </main>
  );
}
