import { redirect } from 'next/navigation';

/** Settings open on their first section, departments (the sidebar links here). */
export default function SettingsPage(): never {
  redirect('/settings/departments');
}
