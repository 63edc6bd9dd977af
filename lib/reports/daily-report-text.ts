import { createTranslator } from 'next-intl';
import en from '@/messages/en.json';
import ru from '@/messages/ru.json';
import { escapeHtml } from '@/lib/telegram/format';
import type { DailyReportDto } from './generate-daily-report';

const MESSAGES = { en, ru } as const;
type Locale = keyof typeof MESSAGES;

/** Operators' dashboard language (`operators.locale`) as one of ours; English otherwise. */
export function reportLocale(locale: string | null | undefined): Locale {
  return locale === 'ru' ? 'ru' : 'en';
}

/**
 * Whole seconds as the dashboard writes durations (components/format-duration.ts: "45 s",
 * "12 min", "3 h 5 min", "2 days", messages `duration.*`); "—" for none.
 */
export function formatDurationSec(locale: Locale, sec: number | null): string {
  if (sec === null) return '—';
  const t = createTranslator({ locale, messages: MESSAGES[locale], namespace: 'duration' });
  const s = Math.max(0, Math.round(sec));
  if (s < 60) return t('seconds', { count: s });
  if (s < 3600) return t('minutes', { count: Math.floor(s / 60) });
  if (s < 86_400) return t('hours', { hours: Math.floor(s / 3600), minutes: Math.floor((s % 3600) / 60) });
  return t('days', { count: Math.floor(s / 86_400) });
}

/**
 * A daily report as one Telegram message (HTML parse mode, names escaped) in `locale`, the
 * texts from messages/<locale>.json `reports.telegram`. At most the first 20 operators are
 * listed (the rest summed in one line), which keeps the message far below Telegram's 4096
 * characters.
 */
export function dailyReportText(
  report: DailyReportDto,
  departmentName: string,
  localeOrNull: string | null,
): string {
  const locale = reportLocale(localeOrNull);
  const t = createTranslator({ locale, messages: MESSAGES[locale], namespace: 'reports.telegram' });
  const d = (sec: number | null) => formatDurationSec(locale, sec);
  const lines = [
    `<b>${t('title', { department: escapeHtml(departmentName), day: report.day })}</b>`,
    '',
    t('newClients', { count: report.newClients }),
    t('messages', { inbound: report.inboundMessages, outbound: report.outboundMessages }),
    t('resolved', { count: report.resolved }),
    t('firstResponse', { median: d(report.firstResponseMedianSec), p90: d(report.firstResponseP90Sec) }),
    t('resolution', { median: d(report.resolutionMedianSec) }),
  ];
  const shown = report.operators.slice(0, 20);
  if (shown.length > 0) {
    lines.push('', `<b>${t('operators')}</b>`);
    for (const line of shown) {
      lines.push(
        t('operatorLine', {
          name: escapeHtml(line.name),
          messages: line.messagesSent,
          resolved: line.resolved,
          firstResponse: d(line.firstResponseMedianSec),
        }),
      );
    }
    const more = report.operators.length - shown.length;
    if (more > 0) lines.push(t('moreOperators', { count: more }));
  }
  return lines.join('\n');
}
