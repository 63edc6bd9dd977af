import { sql, type SQL } from 'drizzle-orm';
import type { LocalisedTexts } from '@/db/schema';

const defaults = {
  queued: {
    en: 'Thank you for your message! All our operators are busy right now; we will answer as soon as one is free.',
    ru: 'Спасибо за сообщение! Все операторы сейчас заняты — мы ответим, как только кто-нибудь освободится.',
  },
  offHours: {
    en: 'Thank you for your message! We are closed right now; an operator will answer as soon as we open.',
    ru: 'Спасибо за сообщение! Сейчас мы не работаем — оператор ответит, как только мы откроемся.',
  },
  greeting: {
    en: 'Hello! Write your question here and an operator will answer you.',
    ru: 'Здравствуйте! Напишите свой вопрос, и оператор вам ответит.',
  },
  chooseDepartment: {
    en: 'Please choose what your question is about:',
    ru: 'Пожалуйста, выберите тему вашего вопроса:',
  },
  departmentChosen: {
    en: 'Thank you! Your question goes to: {department}. Write your message and an operator will answer.',
    ru: 'Спасибо! Ваш вопрос направлен в отдел «{department}». Напишите сообщение, и оператор ответит.',
  },
  help: {
    en: 'Write your question in this chat and an operator will answer here. Send /start to choose a topic again.',
    ru: 'Напишите вопрос в этот чат, и оператор ответит здесь же. Отправьте /start, чтобы снова выбрать тему.',
  },
  ratingRequest: {
    en: 'Your question has been resolved. How would you rate our help? Tap 1 (poor) to 5 (excellent).',
    ru: 'Ваш вопрос решён. Как вы оцениваете нашу помощь? Нажмите от 1 (плохо) до 5 (отлично).',
  },
  ratingThanks: {
    en: 'Thank you for your rating: {stars}',
    ru: 'Спасибо за оценку: {stars}',
  },
  ratingClosed: {
    en: 'This rating is no longer open.',
    ru: 'Эта оценка уже недоступна.',
  },
  fileTooLarge: {
    en: 'Sorry, the file "{name}" ({size}) is too large for us to receive: bots can only download files up to 20 MB. Please send a smaller file or a link to it.',
    ru: 'К сожалению, файл «{name}» ({size}) слишком большой: бот может получать файлы только до 20 МБ. Пожалуйста, отправьте файл поменьше или ссылку на него.',
  },
} as const satisfies Record<string, { en: string; ru: string }>;

export type BotTextKey = keyof typeof defaults;

/** Two-letter language of a Telegram language_code ("pt-br" → "pt"). */
export function baseLanguage(code: string | null | undefined): string | undefined {
  return code ? code.toLowerCase().split(/[-_]/)[0] : undefined;
}

/** The built-in languages; any other language falls back to the default, English. */
const BUILT_IN = ['en', 'ru'] as const;
type BuiltIn = (typeof BUILT_IN)[number];
export const DEFAULT_LANGUAGE: BuiltIn = 'en';

function builtInLanguage(lang: string | undefined): BuiltIn {
  return (BUILT_IN as readonly string[]).includes(lang ?? '') ? (lang as BuiltIn) : DEFAULT_LANGUAGE;
}

/** The built-in text in the client's language when we have it, in English otherwise. */
export function builtInText(language: string | null | undefined, key: BotTextKey): string {
  return defaults[key][builtInLanguage(baseLanguage(language))];
}

function fill(template: string, values: Record<string, string>): string {
  return template.replace(/\{(\w+)\}/g, (match, name: string) => values[name] ?? match);
}

/**
 * A department's own text in the client's language, its `default`, or the built-in text in the
 * client's language when we have one (English, Russian) and in English otherwise — a Ukrainian
 * or Belarusian speaker gets English, never Russian chosen for them.
 */
export function pickText(
  custom: LocalisedTexts | null | undefined,
  language: string | null | undefined,
  key: BotTextKey,
  values: Record<string, string> = {},
): string {
  const lang = baseLanguage(language);
  const own = (lang && custom?.[lang]) || custom?.default;
  return fill(own || builtInText(language, key), values);
}

/** pickText for a department's texts column, as SQL (for statements that insert the message). */
export function pickTextSql(column: SQL, language: string | null | undefined, key: BotTextKey): SQL {
  const lang = baseLanguage(language) ?? '';
  return sql`coalesce(nullif(${column} ->> ${lang}, ''), nullif(${column} ->> 'default', ''), ${builtInText(language, key)})`;
}

export function formatBytes(bytes: number | null | undefined): string {
  if (!bytes || bytes < 0) return 'unknown size';
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(0)} KB`;
  return `${(bytes / (1024 * 1024)).toFixed(1)} MB`;
}
