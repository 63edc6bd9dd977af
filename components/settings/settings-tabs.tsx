'use client';

import Link from 'next/link';
import { usePathname } from 'next/navigation';
import { useTranslations } from 'next-intl';

export type SettingsTab = 'departments' | 'cannedResponses' | 'apiTokens' | 'telegram' | 'jobs';

const HREF: Record<SettingsTab, string> = {
  departments: '/settings/departments',
  cannedResponses: '/settings/canned-responses',
  apiTokens: '/settings/api-tokens',
  telegram: '/settings/telegram',
  jobs: '/settings/jobs',
};

/**
 * The settings sections as tab-styled links (navigation, not an ARIA tab widget: each is a page;
 * the current one marked with aria-current); only the sections
 * the signed-in person may open are passed in. Scrolls sideways on a narrow phone instead of
 * widening the page.
 */
export function SettingsTabs({ tabs }: { tabs: SettingsTab[] }) {
  const t = useTranslations('settings.tabs');
  const pathname = usePathname() ?? '';
  if (tabs.length < 2) return null;
  return (
    <nav aria-label={t('label')} className="max-w-full overflow-x-auto">
      <div className="flex w-max border-b border-base-300">
        {tabs.map((tab) => {
          const active = pathname === HREF[tab] || pathname.startsWith(`${HREF[tab]}/`);
          return (
            <Link
              key={tab}
              href={HREF[tab]}
              aria-current={active ? 'page' : undefined}
              className={`-mb-px border-b-2 px-3 py-2 text-sm whitespace-nowrap ${
                active ? 'border-primary font-semibold' : 'border-transparent hover:border-base-content/40'
              }`}
            >
              {t(tab)}
            </Link>
          );
        })}
      </div>
    </nav>
  );
}
