import type { Metadata } from 'next';
import Link from 'next/link';
import { z } from 'zod';
import { LoginLinkButton } from '@/components/login-link-button';
import { getTranslations } from 'next-intl/server';
import { loginLinkToken } from '@/lib/auth/consume-login-link';

export const dynamic = 'force-dynamic';

// The token is in the URL: keep it out of Referer headers and search indexes.
export const metadata: Metadata = {
  title: 'Sign in · Support desk',
  referrer: 'no-referrer',
  robots: { index: false, follow: false },
};

const searchSchema = z.object({ token: loginLinkToken.optional().catch(undefined) });

/**
 * Landing page of the bot's one-time sign-in link. Rendering it does not use the token (link
 * previews fetch it); only the button's POST to the `telegram-link` provider does.
 */
export default async function LoginLinkPage({
  searchParams,
}: {
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  const { token } = searchSchema.parse(await searchParams);
  const t = await getTranslations('login');
  return (
    <main className="flex min-h-screen items-center justify-center p-4">
      <div className="card w-full max-w-sm bg-base-100 shadow">
        <div className="card-body">
          <h1 className="card-title text-2xl">{t('linkTitle')}</h1>
          {token ? (
            <>
              <p className="text-sm opacity-70">{t('linkIntro')}</p>
              <LoginLinkButton token={token} />
            </>
          ) : (
            <div role="alert" className="alert alert-error text-sm">
              {t('linkInvalid')}
            </div>
          )}
          <Link href="/login" className="link link-hover text-sm opacity-70">
            {t('passwordInstead')}
          </Link>
        </div>
      </div>
    </main>
  );
}
