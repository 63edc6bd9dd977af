import { createTranslator } from 'next-intl';
import type { DeliveryErrorCode } from '@/db/schema';
import { defaultLocale, isLocale, type Locale } from '@/i18n/config';
import en from '@/messages/en.json';
import ru from '@/messages/ru.json';
import { deliveryFailureParts } from './delivery-failure-text';

/**
 * Why a delivery did not succeed, as stored on the message: `code` (messages.delivery_error_code)
 * and `detail` (messages.delivery_error), raw and untranslated — Telegram's own description
 * (`Bad Request: chat not found`), a connection or storage error, or for `file_not_stored` and
 * `file_missing` the file's name. The sentence around it is translated where it is shown
 * (messages/*.json `deliveryFailure`).
 *
 * Codes: `client_missing`, `client_blocked` (refused with 403, or the client was already
 * blocked), `bot_not_configured`, `file_not_stored`, `file_missing`, `storage_unavailable`,
 * `rate_limited` (429), `telegram_unreachable` (the call provably did not reach Telegram),
 * `telegram_refused` (any other Bot API error), `outcome_unknown` (a call may have reached
 * Telegram unanswered), `stopped_mid_send` (the process stopped mid-send; the sweep), `gave_up`
 * (the delivery job ran out of retries).
 */
export type DeliveryFailure = { code: DeliveryErrorCode; detail: string | null };

const catalogs = { en, ru } as const;

/** A `deliveryFailure` translator for `locale`, outside React (createTranslator). */
export function deliveryFailureTranslator(locale: Locale = defaultLocale) {
  const t = createTranslator({ locale, messages: catalogs[locale], namespace: 'deliveryFailure' });
  return (key: string, values?: Record<string, string>) => t(key as Parameters<typeof t>[0], values);
}

/**
 * A stored delivery failure as one readable text in `locale` (default English): the code's
 * sentence, then ` Details: <detail>` when the detail is not already in it. A row stored before
 * codes existed (`code` null) answers its stored text as it is; no reason at all answers null.
 * For where next-intl's React hooks are not at hand: the REST API's `delivery_error`, the
 * notice an operator gets in Telegram.
 */
export function describeDeliveryFailure(
  stored: { code: DeliveryErrorCode | null; detail: string | null },
  locale: Locale = defaultLocale,
): string | null {
  if (!stored.code) return stored.detail;
  const parts = deliveryFailureParts(stored.code, stored.detail, deliveryFailureTranslator(locale));
  return parts.detail ? `${parts.sentence} ${parts.detail}` : parts.sentence;
}

/** The locale of an operator's stored preference, or the default. */
export function localeOrDefault(value: string | null | undefined): Locale {
  return isLocale(value) ? value : defaultLocale;
}
