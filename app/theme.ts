import 'server-only';
import { cookies } from 'next/headers';
import { THEME_COOKIE, themes, type Theme } from '@/i18n/config';

/** The browser's theme choice (cookie); `system` follows prefers-color-scheme (daisyUI's default). */
export async function currentTheme(): Promise<Theme> {
  const value = (await cookies()).get(THEME_COOKIE)?.value;
  return (themes as readonly string[]).includes(value ?? '') ? (value as Theme) : 'system';
}
