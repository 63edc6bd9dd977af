import Link from 'next/link';
import { getTranslations } from 'next-intl/server';
import type { LocalisedTexts, WorkingHours } from '@/db/schema';
import type { DepartmentDto } from '@/lib/departments/get-department-or-throw';
import { CardCell, CardRow, CardTable } from '../list/card-table';
import { DeactivateDepartmentButton } from './deactivate-department-button';

/** Mon 09:00-13:00, 14:00-18:00 · Tue … — one entry a day with hours, in the week's order. */
function hoursByDay(hours: WorkingHours, dayNames: string[]): string[] {
  const order = [1, 2, 3, 4, 5, 6, 0]; // the week from Monday
  return order.flatMap((day) => {
    const intervals = hours.days
      .filter((d) => d.day === day)
      .sort((a, b) => a.from.localeCompare(b.from))
      .map((d) => `${d.from}–${d.to}`);
    return intervals.length > 0 ? [`${dayNames[day]} ${intervals.join(', ')}`] : [];
  });
}

/**
 * Every department (server-rendered): name with its default flag and description, active or
 * not, default capacity, response-time limit, working hours and time zone, which bot texts are
 * set (with their languages), and Edit / Deactivate.
 */
export async function DepartmentTable({ departments }: { departments: DepartmentDto[] }) {
  const [t, td] = await Promise.all([getTranslations('departments'), getTranslations('duration')]);
  if (departments.length === 0) return <p className="opacity-70">{t('empty')}</p>;
  const dayNames = [0, 1, 2, 3, 4, 5, 6].map((d) => t(`days.${d}` as 'days.0'));
  const limit = (sec: number) =>
    sec % 60 === 0 ? td('minutes', { count: sec / 60 }) : td('seconds', { count: sec });
  const texts = (label: string, value: LocalisedTexts | null) =>
    value ? (
      <li>
        {label}: <span className="opacity-80">{Object.keys(value).sort().join(', ')}</span>
      </li>
    ) : null;
  return (
    <CardTable
      testId="departments"
      columns={[
        { label: t('name') },
        { label: t('status') },
        { label: t('defaultCapacity') },
        { label: t('responseTimeLimit') },
        { label: t('workingHours') },
        { label: t('texts') },
        { label: t('actions'), hidden: true },
      ]}
    >
      {departments.map((d) => (
        <CardRow key={d.id} data-testid="department-row" data-department-id={d.id}>
          <CardCell label={t('name')}>
            <div className="flex min-w-0 flex-col gap-1">
              <span className="font-medium break-words">{d.name}</span>
              {d.isDefault && <span className="badge badge-sm badge-primary">{t('default')}</span>}
              {d.description && <span className="text-xs break-words opacity-80">{d.description}</span>}
            </div>
          </CardCell>
          <CardCell label={t('status')}>
            <span
              className={`badge badge-sm ${d.isActive ? 'badge-success' : 'badge-ghost'}`}
              data-testid="department-state"
            >
              {d.isActive ? t('active') : t('inactive')}
            </span>
          </CardCell>
          <CardCell label={t('defaultCapacity')}>{d.defaultCapacity}</CardCell>
          <CardCell label={t('responseTimeLimit')}>{limit(d.responseTimeLimitSec)}</CardCell>
          <CardCell label={t('workingHours')}>
            {d.workingHours ? (
              <div className="flex flex-col text-sm">
                {hoursByDay(d.workingHours, dayNames).map((line) => (
                  <span key={line}>{line}</span>
                ))}
                <span className="text-xs opacity-80">{d.workingHours.timeZone}</span>
              </div>
            ) : (
              t('alwaysOpen')
            )}
          </CardCell>
          <CardCell label={t('texts')}>
            {d.greeting || d.autoReplyQueued || d.autoReplyOffHours ? (
              <ul className="text-sm">
                {texts(t('greeting'), d.greeting)}
                {texts(t('autoReplyQueued'), d.autoReplyQueued)}
                {texts(t('autoReplyOffHours'), d.autoReplyOffHours)}
              </ul>
            ) : (
              <span className="text-sm">{t('builtInTexts')}</span>
            )}
          </CardCell>
          <CardCell label={t('actions')}>
            <div className="flex flex-wrap gap-1">
              <Link
                href={`/settings/departments?edit=${d.id}`}
                className="btn btn-sm"
                aria-label={t('editNamed', { name: d.name })}
              >
                {t('edit')}
              </Link>
              {d.isActive && !d.isDefault && <DeactivateDepartmentButton id={d.id} name={d.name} />}
            </div>
          </CardCell>
        </CardRow>
      ))}
    </CardTable>
  );
}
