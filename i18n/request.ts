import { cookies, headers } from 'next/headers';
import { getRequestConfig } from 'next-intl/server';
import { getSessionProfile } from '@/app/session';
import { isLocale, LOCALE_COOKIE, localeFromAcceptLanguage, TIME_ZONE_COOKIE, validTimeZone } from './config';

/**
 * Language and time zone of a request: the signed-in operator's own choice, else the browser's
 * (cookie, then Accept-Language; the time zone cookie is set by the browser itself), else
 * English and UTC. The server renders dates in the same zone the browser will: no hydration
 * mismatch.
 */
export default getRequestConfig(async () => {
  const [profile, cookieStore, h] = await Promise.all([getSessionProfile(), cookies(), headers()]);
  const cookieLocale = cookieStore.get(LOCALE_COOKIE)?.value;
  const locale = isLocale(profile?.locale)
    ? profile.locale
    : isLocale(cookieLocale)
      ? cookieLocale
      : localeFromAcceptLanguage(h.get('accept-language'));
  const timeZone =
    validTimeZone(profile?.timeZone) ?? validTimeZone(cookieStore.get(TIME_ZONE_COOKIE)?.value) ?? 'UTC';
  const messages = (await import(`../messages/${locale}.json`)) as { default: Record<string, unknown> };
  return { locale, timeZone, messages: messages.default, now: new Date() };
});
