'use client';

import { signOut } from 'next-auth/react';
import { useRouter } from 'next/navigation';
import { useLocale, useTranslations } from 'next-intl';
import { useState, useSyncExternalStore, useTransition } from 'react';
import { setMyPreferencesAction, setMyStatusAction } from '@/app/(dashboard)/actions';
import { locales, THEME_COOKIE, themes, type Theme } from '@/i18n/config';

type Status = 'online' | 'away' | 'offline';
const STATUS_DOT: Record<Status, string> = {
  online: 'status-success',
  away: 'status-warning',
  offline: 'status-neutral',
};

function applyTheme(theme: Theme) {
  document.cookie = `${THEME_COOKIE}=${theme}; path=/; max-age=31536000; samesite=lax`;
  if (theme === 'system') document.documentElement.removeAttribute('data-theme');
  else document.documentElement.setAttribute('data-theme', theme);
}

/**
 * The navbar's profile menu: who is signed in (name, role), their status (online, away,
 * offline), language, theme, browser notifications, sign out. Language and status are saved
 * to the profile; the theme is this browser's.
 */
export function ProfileMenu({
  name,
  role,
  status: initialStatus,
  theme: initialTheme,
}: {
  name: string;
  role: 'admin' | 'supervisor' | 'operator';
  status: Status;
  theme: Theme;
}) {
  const t = useTranslations('profile');
  const locale = useLocale();
  const router = useRouter();
  const [status, setStatus] = useState<Status>(initialStatus);
  const [theme, setTheme] = useState<Theme>(initialTheme);
  const [error, setError] = useState<string | null>(null);
  // The browser's notification permission (none on the server): read after hydration.
  const browserPermission = useSyncExternalStore(
    () => () => {},
    () => (typeof Notification === 'undefined' ? 'unsupported' : Notification.permission),
    () => 'unsupported' as const,
  );
  const [asked, setPermission] = useState<NotificationPermission | null>(null);
  const permission = asked ?? browserPermission;
  const [pending, startTransition] = useTransition();

  return (
    <div className="dropdown dropdown-end">
      <div tabIndex={0} role="button" className="btn btn-ghost gap-2" aria-label={t('menu', { name })}>
        <span aria-hidden className={`status ${STATUS_DOT[status]}`} />
        <span className="hidden max-w-40 truncate sm:inline" data-testid="profile-name">
          <bdi>{name}</bdi>
        </span>
      </div>
      <div tabIndex={0} className="dropdown-content z-30 mt-2 w-72 rounded-box bg-base-100 p-4 shadow-lg">
        <p className="font-semibold">
          <bdi>{name}</bdi>
        </p>
        <p className="mb-3 text-sm opacity-70">{t(`role.${role}`)}</p>
        <label className="mb-2 block text-sm">
          <span className="mb-1 block">{t('status')}</span>
          <select
            className="select select-sm w-full"
            value={status}
            disabled={pending}
            onChange={(e) => {
              const next = e.target.value as Status;
              const previous = status;
              setStatus(next);
              startTransition(async () => {
                const result = await setMyStatusAction(next);
                if (!result.ok) {
                  setStatus(previous);
                  setError(t('saveFailed', { message: result.message }));
                } else setError(null);
              });
            }}
          >
            {(['online', 'away', 'offline'] as const).map((s) => (
              <option key={s} value={s}>
                {t(`statuses.${s}`)}
              </option>
            ))}
          </select>
        </label>
        <label className="mb-2 block text-sm">
          <span className="mb-1 block">{t('language')}</span>
          <select
            className="select select-sm w-full"
            value={locale}
            disabled={pending}
            onChange={(e) => {
              const next = e.target.value;
              startTransition(async () => {
                const result = await setMyPreferencesAction({ locale: next });
                if (!result.ok) setError(t('saveFailed', { message: result.message }));
                else router.refresh();
              });
            }}
          >
            {locales.map((l) => (
              <option key={l} value={l}>
                {t(`languages.${l}`)}
              </option>
            ))}
          </select>
        </label>
        <label className="mb-2 block text-sm">
          <span className="mb-1 block">{t('theme')}</span>
          <select
            className="select select-sm w-full"
            value={theme}
            onChange={(e) => {
              const next = e.target.value as Theme;
              setTheme(next);
              applyTheme(next);
            }}
          >
            {themes.map((th) => (
              <option key={th} value={th}>
                {t(`themes.${th}`)}
              </option>
            ))}
          </select>
        </label>
        {permission !== 'unsupported' && (
          <div className="mb-3 flex items-center justify-between text-sm">
            <span>{t('notifications')}</span>
            {permission === 'granted' ? (
              <span className="badge badge-success">{t('notificationsOn')}</span>
            ) : permission === 'denied' ? (
              <span className="badge badge-ghost">{t('notificationsBlocked')}</span>
            ) : (
              <button
                type="button"
                className="btn btn-xs"
                onClick={() => void Notification.requestPermission().then(setPermission)}
              >
                {t('notificationsEnable')}
              </button>
            )}
          </div>
        )}
        {error && (
          <p role="alert" className="mb-2 text-sm text-error">
            {error}
          </p>
        )}
        <button
          type="button"
          className="btn btn-sm w-full"
          onClick={() => signOut({ callbackUrl: '/login' })}
        >
          {t('signOut')}
        </button>
      </div>
    </div>
  );
}
