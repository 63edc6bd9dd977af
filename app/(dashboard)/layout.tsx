import Link from 'next/link';
import { requireSessionActor } from '@/app/session';
import { getDb } from '@/db/client';
import { getOperatorProfile } from '@/lib/operators/get-operator-profile';
import { getEnv } from '@/lib/env';
import { StatusSelect } from '@/components/status-select';
import { SignOutButton } from '@/components/sign-out-button';
import { AutoRefresh } from '@/components/auto-refresh';

export const dynamic = 'force-dynamic';

export default async function DashboardLayout({ children }: { children: React.ReactNode }) {
  const actor = await requireSessionActor();
  const profile = await getOperatorProfile({ db: await getDb(), operatorId: actor.operatorId });
  const botConnected = Boolean(getEnv().TELEGRAM_BOT_TOKEN);
  return (
    <div className="flex min-h-screen flex-col">
      <header className="navbar bg-base-100 shadow-sm gap-2 px-4">
        <div className="flex-1">
          <Link href="/clients" className="text-lg font-semibold">
            Support desk
          </Link>
          {!botConnected && (
            <span
              className="badge badge-warning badge-soft ml-3"
              title="Set TELEGRAM_BOT_TOKEN to connect the bot"
            >
              Telegram: not connected
            </span>
          )}
        </div>
        <StatusSelect status={profile?.status ?? 'offline'} />
        <div className="flex flex-col text-right leading-tight">
          <span className="font-medium" data-testid="profile-name">
            {actor.name}
          </span>
          <span className="text-xs opacity-60">{actor.role}</span>
        </div>
        <SignOutButton />
      </header>
      <div className="flex flex-1">
        <aside className="w-48 shrink-0 bg-base-100 border-r border-base-300 hidden md:block">
          <ul className="menu w-full">
            <li>
              <Link href="/clients">Clients</Link>
            </li>
            <li>
              <Link href="/clients?unassigned=true">Queue</Link>
            </li>
          </ul>
        </aside>
        <main className="flex-1 p-4 min-w-0">{children}</main>
      </div>
      <AutoRefresh intervalMs={4000} />
    </div>
  );
}
