'use client';

import { useFormatter, useTranslations } from 'next-intl';
import { clientLabel } from '@/lib/clients/client-label';
import type { ClientDto } from '@/lib/clients/get-client-or-throw';
import type { ConversationDto } from '@/lib/conversations/get-conversation-or-throw';
import { durationParts } from '../format-duration';

function Duration({ seconds }: { seconds: number | null }) {
  const t = useTranslations();
  if (seconds === null) return <span className="opacity-60">{t('chat.panel.notYet')}</span>;
  const { key, values } = durationParts(seconds);
  return <span>{t(`duration.${key}`, values)}</span>;
}

/**
 * The client beside the chat: their profile (name, @username, language, Telegram id, source —
 * the /start deep link they came by) and their support episodes, newest first, with the
 * first-response and resolution times and the rating — the episodes the viewer may see.
 */
export function ClientPanel({ client, episodes }: { client: ClientDto; episodes: ConversationDto[] }) {
  const t = useTranslations('chat.panel');
  const ts = useTranslations('clientStatus');
  const format = useFormatter();
  const when = (iso: string) => format.dateTime(new Date(iso), { dateStyle: 'medium', timeStyle: 'short' });
  const row = (label: string, value: React.ReactNode) => (
    <div className="flex justify-between gap-3 py-1">
      <dt className="opacity-70">{label}</dt>
      <dd className="min-w-0 break-words text-right">{value ?? t('unknown')}</dd>
    </div>
  );
  return (
    <div className="flex flex-col gap-4 text-sm" data-testid="client-panel">
      <section aria-labelledby="client-panel-profile">
        <h2 id="client-panel-profile" className="mb-1 font-semibold">
          {t('title')} · {ts(client.status as 'new')}
        </h2>
        <dl className="divide-y divide-base-200">
          {row(t('name'), <bdi>{clientLabel(client)}</bdi>)}
          {row(t('username'), client.username ? `@${client.username}` : null)}
          {row(t('language'), client.language)}
          {row(t('telegramId'), String(client.telegramUserId))}
          {row(t('source'), client.source ? <code>{client.source}</code> : null)}
          {row(t('since'), when(client.createdAt))}
        </dl>
      </section>
      <section aria-labelledby="client-panel-episodes">
        <h2 id="client-panel-episodes" className="mb-1 font-semibold">
          {t('episodes')}
        </h2>
        {episodes.length === 0 && <p className="opacity-70">{t('noEpisodes')}</p>}
        <ol className="flex flex-col gap-2">
          {episodes.map((e) => (
            <li key={e.id} className="rounded-box bg-base-200 p-2" data-testid="episode">
              <div className="flex items-center justify-between gap-2">
                <span className="font-medium">{when(e.openedAt)}</span>
                <span className={`badge badge-sm ${e.status === 'open' ? 'badge-info' : 'badge-success'}`}>
                  {t(e.status)}
                </span>
              </div>
              <div className="text-xs opacity-80">
                {[e.departmentName, e.operatorName].filter(Boolean).join(' · ')}
              </div>
              <dl className="mt-1 grid grid-cols-2 gap-x-2 text-xs">
                <dt className="opacity-70">{t('firstResponse')}</dt>
                <dd data-testid="episode-first-response">
                  <Duration seconds={e.firstResponseSeconds} />
                </dd>
                <dt className="opacity-70">{t('resolution')}</dt>
                <dd data-testid="episode-resolution">
                  <Duration seconds={e.resolutionSeconds} />
                </dd>
                <dt className="opacity-70">{t('rating')}</dt>
                <dd>
                  {e.rating === null ? (
                    t('unknown')
                  ) : (
                    <span title={e.ratingComment ?? undefined}>
                      {'★'.repeat(e.rating)}
                      <span className="sr-only">{t('ratingValue', { rating: e.rating })}</span>
                    </span>
                  )}
                </dd>
              </dl>
            </li>
          ))}
        </ol>
      </section>
    </div>
  );
}
