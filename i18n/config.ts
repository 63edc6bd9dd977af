/** The dashboard's languages; every text exists in each (messages/<locale>.json). */
export const locales = ['en', 'ru'] as const;
export type Locale = (typeof locales)[number];
export const defaultLocale: Locale = 'en';

/** Cookies remembering a browser's choices before (or without) a signed-in profile. */
export const LOCALE_COOKIE = 'desk-locale';
export const TIME_ZONE_COOKIE = 'desk-tz';
export const THEME_COOKIE = 'desk-theme';

export const themes = ['light', 'dark', 'system'] as const;
export type Theme = (typeof themes)[number];

export function isLocale(value: unknown): value is Locale {
  return typeof value === 'string' && (locales as readonly string[]).includes(value);
}

/** A valid IANA time zone name (checked with Intl), or null. */
export function validTimeZone(value: unknown): string | null {
  if (typeof value !== 'string' || value.length === 0 || value.length > 64) return null;
  try {
    new Intl.DateTimeFormat('en', { timeZone: value });
    return value;
  } catch {
    return null;
  }
}

/** The first supported language the browser asks for (Accept-Language), else English. */
export function localeFromAcceptLanguage(header: string | null): Locale {
  for (const part of (header ?? '').split(',')) {
    const tag = part.split(';')[0]?.trim().toLowerCase().split('-')[0];
    if (isLocale(tag)) return tag;
  }
  return defaultLocale;
}
