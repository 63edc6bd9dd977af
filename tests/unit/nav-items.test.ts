import { existsSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { navItems } from '@/components/shell/nav-items';
import { operatorRole } from '@/db/schema';
import en from '@/messages/en.json';
import ru from '@/messages/ru.json';

const dashboard = path.join(process.cwd(), 'app', '(dashboard)');

/** The page file a sidebar href renders (query strings only filter the same page). */
function pageFile(href: string): string {
  const route = href.split('?')[0] ?? '/';
  return path.join(dashboard, ...route.split('/').filter(Boolean), 'page.tsx');
}

describe('sidebar items', () => {
  for (const role of operatorRole.enumValues) {
    it(`every ${role} link goes to a page that exists, labelled in both languages`, () => {
      const items = navItems(role);
      expect(items.length).toBeGreaterThan(0);
      for (const item of items) {
        expect(existsSync(pageFile(item.href)), `${item.href} has no page`).toBe(true);
        expect(en.nav[item.label]).toBeTruthy();
        expect(ru.nav[item.label]).toBeTruthy();
      }
    });
  }

  it('only admins get Settings; operators get their own log', () => {
    expect(navItems('admin').map((i) => i.href)).toContain('/settings');
    expect(navItems('supervisor').map((i) => i.href)).not.toContain('/settings');
    expect(navItems('operator').find((i) => i.href === '/logs')?.label).toBe('myLog');
  });
});
