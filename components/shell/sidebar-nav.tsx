'use client';

import Link from 'next/link';
import { usePathname, useSearchParams } from 'next/navigation';
import { useTranslations } from 'next-intl';
import { useNavCounts } from '../live/live-counts';
import type { NavItem } from './nav-items';

function isActive(
  href: string,
  pathname: string,
  search: { get: (k: string) => string | null; has: (k: string) => boolean },
): boolean {
  const [path, query] = href.split('?');
  if (path === '/') return pathname === '/';
  if (query) {
    const wanted = new URLSearchParams(query);
    return pathname === path && [...wanted].every(([k, v]) => search.get(k) === v);
  }
  if (path === '/clients')
    return pathname.startsWith('/clients') && !search.has('mine') && !search.has('queue');
  return pathname === path || pathname.startsWith(`${path}/`);
}

/** The sidebar's links, the current one marked (aria-current), with live counts. */
export function SidebarNav({ items }: { items: NavItem[] }) {
  const t = useTranslations('nav');
  const counts = useNavCounts();
  const pathname = usePathname() ?? '';
  const search = useSearchParams() ?? new URLSearchParams();
  return (
    <ul className="menu w-full gap-1" data-testid="sidebar">
      {items.map((item) => {
        const active = isActive(item.href, pathname, search);
        const count = item.count ? counts[item.count] : 0;
        return (
          <li key={item.href}>
            <Link
              href={item.href}
              className={active ? 'menu-active' : undefined}
              aria-current={active ? 'page' : undefined}
            >
              <span className="flex-1">{t(item.label)}</span>
              {item.count && count > 0 && (
                <span
                  className="badge badge-sm badge-neutral"
                  // The clients badge counts unread messages, the others clients: say which.
                  title={item.count === 'unread' ? t('unreadCount', { count }) : undefined}
                  aria-label={
                    item.count === 'unread'
                      ? t('unreadCount', { count })
                      : t('countLabel', { label: t(item.label), count })
                  }
                >
                  {count}
                </span>
              )}
            </Link>
          </li>
        );
      })}
    </ul>
  );
}
