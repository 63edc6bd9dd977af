import { redirect } from 'next/navigation';
import { getSessionActor } from '@/app/session';
import { LoginForm } from '@/components/login-form';
import { TelegramLoginWidget } from '@/components/telegram-login-widget';
import { getTranslations } from 'next-intl/server';
import { getEnv } from '@/lib/env';

export const dynamic = 'force-dynamic';

export default async function LoginPage() {
  if (await getSessionActor()) redirect('/clients');
  const t = await getTranslations('login');
  const botUsername = getEnv().TELEGRAM_BOT_USERNAME?.replace(/^@/, '');
  return (
    <main className="flex min-h-screen items-center justify-center p-4">
      <div className="card w-full max-w-sm bg-base-100 shadow">
        <div className="card-body">
          <h1 className="card-title text-2xl">{t('title')}</h1>
          <p className="text-sm opacity-70">{t('intro')}</p>
          <LoginForm />
          {botUsername && (
            <section aria-label={t('withTelegram')}>
              <div className="divider text-xs opacity-70">{t('or')}</div>
              <TelegramLoginWidget botUsername={botUsername} />
            </section>
          )}
        </div>
      </div>
    </main>
  );
}
