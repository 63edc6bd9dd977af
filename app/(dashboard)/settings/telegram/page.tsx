import { notFound } from 'next/navigation';
import { getFormatter, getTranslations } from 'next-intl/server';
import type { ReactNode } from 'react';
import { requireSessionActor } from '@/app/session';
import { AppError } from '@/lib/errors';
import { getBotStatus, type BotStatus } from '@/lib/telegram/bot-status';
import { RefreshButton } from '@/components/settings/refresh-button';

export const dynamic = 'force-dynamic';

/**
 * Settings → Telegram bot (admins; anyone else gets the 404 page, as getBotStatus refuses
 * them): the bot's username and its webhook as Telegram reports them now — URL, pending
 * updates, last delivery error, max connections, allowed update types — or "not connected"
 * without a bot token. Read only; Refresh asks Telegram again. The token is never shown.
 */
export default async function TelegramSettingsPage() {
  const actor = await requireSessionActor();
  let status: BotStatus;
  try {
    status = await getBotStatus({ actor });
  } catch (error) {
    if (error instanceof AppError && error.code === 'forbidden') notFound();
    throw error;
  }
  const [t, format] = await Promise.all([getTranslations('telegramBot'), getFormatter()]);
  const row = (label: string, value: ReactNode, testId: string) => (
    <div className="flex flex-col gap-0.5 border-b border-base-300 py-2 sm:flex-row sm:gap-4">
      <dt className="font-medium sm:w-56 sm:shrink-0">{label}</dt>
      <dd className="min-w-0 break-words" data-testid={testId}>
        {value}
      </dd>
    </div>
  );
  return (
    <div className="flex max-w-4xl flex-col gap-4">
      <div className="flex flex-wrap items-start justify-between gap-2">
        <div className="flex flex-col gap-1">
          <h1 className="text-2xl font-semibold">{t('title')}</h1>
          <p className="text-sm opacity-80">{t('intro')}</p>
        </div>
        <RefreshButton label={t('refresh')} />
      </div>
      {!status.connected ? (
        <div role="status" className="alert" data-testid="bot-not-connected">
          <span>
            <strong>{t('notConnected')}</strong> {t('notConnectedHint')}
          </span>
        </div>
      ) : (
        <>
          {status.errors.map((e) => (
            <div key={e.method} role="alert" className="alert alert-error" data-testid="bot-error">
              <span className="break-words">{t('callFailed', { method: e.method, reason: e.message })}</span>
            </div>
          ))}
          <section aria-labelledby="bot-identity" className="card bg-base-100 shadow-sm">
            <div className="card-body p-4">
              <h2 id="bot-identity" className="card-title text-lg">
                {t('botTitle')}
              </h2>
              <dl>
                {row(
                  t('username'),
                  status.bot
                    ? status.bot.username
                      ? `@${status.bot.username}`
                      : t('noUsername')
                    : t('unknown'),
                  'bot-username',
                )}
                {status.bot && row(t('botId'), String(status.bot.id), 'bot-id')}
              </dl>
            </div>
          </section>
          <section aria-labelledby="bot-webhook" className="card bg-base-100 shadow-sm">
            <div className="card-body p-4">
              <h2 id="bot-webhook" className="card-title text-lg">
                {t('webhookTitle')}
              </h2>
              {status.webhook ? (
                <dl>
                  {row(
                    t('webhookUrl'),
                    status.webhook.url ? (
                      <code className="text-sm">{status.webhook.url}</code>
                    ) : (
                      t('noWebhook')
                    ),
                    'webhook-url',
                  )}
                  {row(t('pendingUpdates'), String(status.webhook.pendingUpdateCount), 'webhook-pending')}
                  {row(
                    t('lastError'),
                    status.webhook.lastErrorMessage || status.webhook.lastErrorAt ? (
                      <span className="flex flex-col">
                        <span>{status.webhook.lastErrorMessage ?? t('unknown')}</span>
                        {status.webhook.lastErrorAt && (
                          <time dateTime={status.webhook.lastErrorAt} className="text-sm opacity-80">
                            {format.dateTime(new Date(status.webhook.lastErrorAt), {
                              dateStyle: 'medium',
                              timeStyle: 'medium',
                            })}
                          </time>
                        )}
                      </span>
                    ) : (
                      t('noError')
                    ),
                    'webhook-last-error',
                  )}
                  {row(
                    t('maxConnections'),
                    status.webhook.maxConnections === null
                      ? t('telegramDefault')
                      : String(status.webhook.maxConnections),
                    'webhook-max-connections',
                  )}
                  {row(
                    t('allowedUpdates'),
                    status.webhook.allowedUpdates === null
                      ? t('telegramDefault')
                      : status.webhook.allowedUpdates.join(', ') || t('telegramDefault'),
                    'webhook-allowed-updates',
                  )}
                </dl>
              ) : (
                <p>{t('unknown')}</p>
              )}
            </div>
          </section>
        </>
      )}
    </div>
  );
}
