import type { ReactNode } from 'react';
import { requireSessionActor } from '@/app/session';
import { SettingsTabs, type SettingsTab } from '@/components/settings/settings-tabs';

/**
 * Every settings page under one tab bar. Admins see all sections; others only canned responses
 * (the one section they may open), so they get no tab bar.
 */
export default async function SettingsLayout({ children }: { children: ReactNode }) {
  const actor = await requireSessionActor();
  const tabs: SettingsTab[] =
    actor.role === 'admin'
      ? ['departments', 'cannedResponses', 'apiTokens', 'telegram', 'jobs']
      : ['cannedResponses'];
  return (
    <div className="flex flex-col gap-4">
      <SettingsTabs tabs={tabs} />
      {children}
    </div>
  );
}
