import type { DeliveryErrorCode } from '@/db/schema';

// No message catalogs here: the chat's bubbles import this in the browser.

/** The codes whose detail is the file's name, said inside the sentence. */
const NAMED_FILE: readonly DeliveryErrorCode[] = ['file_not_stored', 'file_missing'];

/**
 * A coded delivery failure as the words to show, through a translator of the `deliveryFailure`
 * messages (next-intl's useTranslations or createTranslator): the code's sentence, and the raw
 * detail as a `Details: …` line unless the sentence already says it (the file codes name the
 * file). The one rule shared by the chat and describeDeliveryFailure.
 */
export function deliveryFailureParts(
  code: DeliveryErrorCode,
  detail: string | null,
  t: (key: string, values: Record<string, string>) => string,
): { sentence: string; detail: string | null } {
  const sentence = t(code, { name: detail ?? '—' });
  return { sentence, detail: !NAMED_FILE.includes(code) && detail ? t('detail', { detail }) : null };
}
