import type { OperatorRole } from '@/db/schema';
import type { ClientCounts } from '@/lib/clients/count-clients';

/** One sidebar link: where it goes, its label key under `nav` in messages/*.json, its count. */
export type NavItem = {
  href: string;
  label:
    | 'overview'
    | 'kanban'
    | 'clients'
    | 'myClients'
    | 'queue'
    | 'operators'
    | 'logs'
    | 'myLog'
    | 'reports'
    | 'settings';
  count?: keyof ClientCounts;
};

/**
 * The sidebar's sections for a role, in order. Every href is a page of app/(dashboard)/ (a unit
 * test checks it): a section joins here together with its page, never before it.
 */
export function navItems(role: OperatorRole): NavItem[] {
  const manager = role === 'admin' || role === 'supervisor';
  return [
    { href: '/', label: 'overview' },
    { href: '/kanban', label: 'kanban' },
    { href: '/clients?mine=true', label: 'myClients', count: 'mine' },
    { href: '/clients?queue=true', label: 'queue', count: 'queue' },
    { href: '/clients', label: 'clients', count: 'unread' },
    // Operators see their departments' colleagues (read only) and a log of their own actions.
    { href: '/operators', label: 'operators' },
    { href: '/logs', label: manager ? 'logs' : 'myLog' },
    // Reports: supervisors their departments', admins every department's (operators: a 404).
    ...(manager ? [{ href: '/reports', label: 'reports' } as const] : []),
    ...(role === 'admin' ? [{ href: '/settings', label: 'settings' } as const] : []),
  ];
}
