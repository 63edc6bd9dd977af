import { redirect } from 'next/navigation';

/** Settings open on their first section (the sidebar links here). */
export default function SettingsPage(): never {
  redirect('/settings/api-tokens');
}
