import { createTranslator } from 'next-intl';
import { describe, expect, it } from 'vitest';
import { deliveryErrorCode } from '@/db/schema';
import en from '@/messages/en.json';
import ru from '@/messages/ru.json';
import { describeDeliveryFailure, localeOrDefault } from './delivery-failure';
import { deliveryFailureParts } from './delivery-failure-text';

describe('delivery failure texts', () => {
  it('says a coded failure in English with Telegram’s own words as the detail', () => {
    expect(describeDeliveryFailure({ code: 'telegram_refused', detail: 'Bad Request: chat not found' })).toBe(
      'Telegram refused the message. Details: Bad Request: chat not found',
    );
    expect(describeDeliveryFailure({ code: 'client_missing', detail: null })).toBe(
      'The client no longer exists.',
    );
  });

  it('says it in Russian for a Russian reader, the raw detail untouched', () => {
    expect(
      describeDeliveryFailure(
        { code: 'client_blocked', detail: 'Forbidden: bot was blocked by the user' },
        'ru',
      ),
    ).toBe(
      'Клиент заблокировал бота; ничего не отправлено. Подробности: Forbidden: bot was blocked by the user',
    );
  });

  it('names the file inside the sentence instead of adding it as a detail', () => {
    expect(describeDeliveryFailure({ code: 'file_missing', detail: 'gone.pdf' })).toBe(
      'The file “gone.pdf” is missing from storage; send it again.',
    );
    expect(describeDeliveryFailure({ code: 'file_not_stored', detail: 'a.png' }, 'ru')).toBe(
      'Файл «a.png» так и не был сохранён, поэтому его нельзя отправить.',
    );
  });

  it('shows a reason stored before codes existed as it is, and nothing when there is none', () => {
    const legacy = 'Telegram refused the message: Bad Request: chat not found';
    expect(describeDeliveryFailure({ code: null, detail: legacy }, 'ru')).toBe(legacy);
    expect(describeDeliveryFailure({ code: null, detail: null })).toBeNull();
  });

  it('has a sentence for every code in both languages', () => {
    for (const [locale, messages] of [
      ['en', en],
      ['ru', ru],
    ] as const) {
      const t = createTranslator({ locale, messages, namespace: 'deliveryFailure' });
      for (const code of deliveryErrorCode.enumValues) {
        const { sentence } = deliveryFailureParts(code, 'x', (key, values) => t(key as 'gave_up', values));
        expect(sentence, `${locale} ${code}`).not.toContain('deliveryFailure');
        expect(sentence.length, `${locale} ${code}`).toBeGreaterThan(10);
      }
    }
  });

  it('falls back to English for an operator without a (known) language', () => {
    expect(localeOrDefault('ru')).toBe('ru');
    expect(localeOrDefault(null)).toBe('en');
    expect(localeOrDefault('de')).toBe('en');
  });
});
