import type { LocalisedTexts } from '@/db/schema';

const defaults = {
  queued: {
    en: 'Thank you for your message! All our operators are busy right now; we will answer as soon as one is free.',
    ru: 'Спасибо за сообщение! Все операторы сейчас заняты — мы ответим, как только кто-нибудь освободится.',
  },
  greeting: {
    en: 'Hello! Write your question here and an operator will answer you.',
    ru: 'Здравствуйте! Напишите свой вопрос, и оператор вам ответит.',
  },
} as const satisfies Record<string, { en: string; ru: string }>;

export type BotTextKey = keyof typeof defaults;

/** Two-letter language of a Telegram language_code ("pt-br" → "pt"). */
export function baseLanguage(code: string | null | undefined): string | undefined {
  return code ? code.toLowerCase().split(/[-_]/)[0] : undefined;
}

/**
 * A department's own text in the client's language, its default, or the built-in text
 * (Russian for Russian-speaking clients, English otherwise).
 */
export function pickText(
  custom: LocalisedTexts | null | undefined,
  language: string | null | undefined,
  key: BotTextKey,
): string {
  const lang = baseLanguage(language);
  const own = (lang && custom?.[lang]) || custom?.default;
  if (own) return own;
  return lang === 'ru' || lang === 'uk' || lang === 'be' ? defaults[key].ru : defaults[key].en;
}
