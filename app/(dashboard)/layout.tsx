import Link from 'next/link';
import { cookies } from 'next/headers';
import { getTranslations } from 'next-intl/server';
import { currentTheme } from '@/app/theme';
import { getSessionProfile, requireSessionActor } from '@/app/session';
import { getDb } from '@/db/client';
import { TIME_ZONE_COOKIE } from '@/i18n/config';
import { countClients } from '@/lib/clients/count-clients';
import { getEnv } from '@/lib/env';
import { LiveCounts } from '@/components/live/live-counts';
import { LiveIndicator } from '@/components/live/live-indicator';
import { LiveProvider } from '@/components/live/live-provider';
import { TimeZoneCookie } from '@/components/live/time-zone-cookie';
import { ProfileMenu } from '@/components/shell/profile-menu';
import { SidebarNav, type NavItem } from '@/components/shell/sidebar-nav';

export const dynamic = 'force-dynamic';

const DRAWER = 'nav-drawer';

/**
 * The dashboard's shell: a navbar (menu button on small screens, live status, profile menu), a
 * sidebar with the sections the role may use and live counts (a drawer below the lg breakpoint),
 * and the live-events connection every page subscribes to.
 */
export default async function DashboardLayout({ children }: { children: React.ReactNode }) {
  const actor = await requireSessionActor();
  const [profile, counts, t, theme, cookieStore] = await Promise.all([
    getSessionProfile(),
    countClients({ db: await getDb(), actor }),
    getTranslations(),
    currentTheme(),
    cookies(),
  ]);
  const botConnected = Boolean(getEnv().TELEGRAM_BOT_TOKEN);
  const manager = actor.role === 'admin' || actor.role === 'supervisor';
  const items: NavItem[] = [
    { href: '/', label: 'overview' },
    { href: '/kanban', label: 'kanban' },
    { href: '/clients?mine=true', label: 'myClients', count: 'mine' },
    { href: '/clients?queue=true', label: 'queue', count: 'queue' },
    { href: '/clients', label: 'clients', count: 'unread' },
    // Operators see their departments' colleagues (read only) and a log of their own actions.
    { href: '/operators', label: 'operators' },
    { href: '/logs', label: manager ? 'logs' : 'myLog' },
    // Reports: supervisors their departments', admins every department's (operators: a 404).
    ...(manager ? ([{ href: '/reports', label: 'reports' }] as NavItem[]) : []),
    ...(actor.role === 'admin' ? ([{ href: '/settings', label: 'settings' }] as NavItem[]) : []),
  ];
  return (
    <LiveProvider>
      <LiveCounts operatorId={actor.operatorId} initial={counts} title={t('app.name')}>
        <a href="#main" className="sr-only focus:not-sr-only focus:absolute focus:z-50 focus:p-2">
          {t('app.skipToContent')}
        </a>
        <div className="drawer lg:drawer-open">
          <input id={DRAWER} type="checkbox" className="drawer-toggle" aria-label={t('nav.openMenu')} />
          <div className="drawer-content flex min-h-screen min-w-0 flex-col">
            <header className="navbar sticky top-0 z-20 gap-2 bg-base-100 px-2 shadow-sm sm:px-4">
              {/* A label has no role that may carry aria-label (axe: aria-prohibited-attr): its
                  name is hidden text instead. */}
              <label htmlFor={DRAWER} className="btn btn-square btn-ghost lg:hidden">
                <span className="sr-only">{t('nav.openMenu')}</span>
                <svg
                  aria-hidden
                  viewBox="0 0 24 24"
                  className="h-5 w-5 stroke-current"
                  fill="none"
                  strokeWidth="2"
                >
                  <path d="M4 6h16M4 12h16M4 18h16" />
                </svg>
              </label>
              <div className="flex min-w-0 flex-1 items-center gap-3">
                <Link href="/" className="truncate text-lg font-semibold">
                  {t('app.name')}
                </Link>
                {!botConnected && (
                  <span
                    className="badge badge-warning hidden sm:inline-flex"
                    title={t('common.telegramNotConnectedHint')}
                  >
                    {t('common.telegramNotConnected')}
                  </span>
                )}
              </div>
              <LiveIndicator />
              <ProfileMenu
                name={actor.name}
                role={actor.role}
                status={profile?.status ?? 'offline'}
                theme={theme}
              />
            </header>
            <main id="main" className="min-w-0 flex-1 p-2 sm:p-4">
              {children}
            </main>
          </div>
          <div className="drawer-side z-30">
            <label htmlFor={DRAWER} className="drawer-overlay">
              <span className="sr-only">{t('common.close')}</span>
            </label>
            <nav aria-label={t('app.name')} className="min-h-full w-60 bg-base-100 p-2">
              <SidebarNav items={items} />
            </nav>
          </div>
        </div>
        <TimeZoneCookie known={cookieStore.get(TIME_ZONE_COOKIE)?.value ?? null} />
      </LiveCounts>
    </LiveProvider>
  );
}
