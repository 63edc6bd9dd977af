'use client';

import { useRouter } from 'next/navigation';
import { useTranslations } from 'next-intl';
import { useState, useTransition } from 'react';
import { saveDepartmentAction } from '@/app/(dashboard)/settings/departments/actions';
import {
  defaultWorkingHours,
  departmentToForm,
  type DepartmentForm as FormValues,
  type LocalisedTextRow,
} from '@/lib/departments/department-form';
import type { DepartmentDto } from '@/lib/departments/get-department-or-throw';

type TextField = 'greeting' | 'autoReplyQueued' | 'autoReplyOffHours';
const TEXT_FIELDS: TextField[] = ['greeting', 'autoReplyQueued', 'autoReplyOffHours'];
const WEEK = [1, 2, 3, 4, 5, 6, 0]; // rows from Monday; the form keeps Sunday at index 0

/**
 * The department form: name, description, default and active flags, display order, default
 * capacity, response-time limit, working hours (always open, or intervals per day in a time
 * zone) and the bot's greeting / queued / off-hours texts per language. Without `department`
 * it adds one and empties itself; with it, it edits that one and returns to the list. A refusal
 * keeps what was typed and says why.
 */
export function DepartmentForm({ department, timeZone }: { department?: DepartmentDto; timeZone: string }) {
  const t = useTranslations('departments');
  const router = useRouter();
  const [form, setForm] = useState<FormValues>(() => departmentToForm(department));
  const [message, setMessage] = useState<{ ok: boolean; text: string } | null>(null);
  const [pending, startTransition] = useTransition();
  const set = <K extends keyof FormValues>(key: K, value: FormValues[K]) =>
    setForm((f) => ({ ...f, [key]: value }));
  const setText = (field: TextField, index: number, row: Partial<LocalisedTextRow>) =>
    setForm((f) => ({ ...f, [field]: f[field].map((r, i) => (i === index ? { ...r, ...row } : r)) }));
  const number = (value: string) => (value === '' ? Number.NaN : Number(value));

  return (
    <form
      className="flex flex-col gap-4"
      data-testid="department-form"
      onSubmit={(e) => {
        e.preventDefault();
        startTransition(async () => {
          const result = await saveDepartmentAction(form);
          if (!result.ok) {
            setMessage({ ok: false, text: t('refused', { reason: result.message }) });
            return;
          }
          if (department) {
            router.push('/settings/departments');
            return;
          }
          setForm(departmentToForm());
          setMessage({ ok: true, text: t('created', { name: form.name }) });
        });
      }}
    >
      <div className="grid gap-3 md:grid-cols-2">
        <label className="flex flex-col gap-1 text-sm font-medium md:col-span-2">
          {t('name')}
          <input
            className="input w-full font-normal"
            value={form.name}
            required
            maxLength={100}
            autoComplete="off"
            onChange={(e) => set('name', e.currentTarget.value)}
          />
        </label>
        <label className="flex flex-col gap-1 text-sm font-medium md:col-span-2">
          {t('description')}
          <textarea
            className="textarea w-full font-normal"
            rows={2}
            maxLength={1000}
            value={form.description}
            onChange={(e) => set('description', e.currentTarget.value)}
          />
        </label>
        <label className="flex flex-col gap-1 text-sm font-medium">
          {t('defaultCapacity')}
          <input
            type="number"
            className="input w-full font-normal"
            min={1}
            max={500}
            required
            value={Number.isNaN(form.defaultCapacity) ? '' : form.defaultCapacity}
            onChange={(e) => set('defaultCapacity', number(e.currentTarget.value))}
          />
          <span className="text-xs font-normal opacity-80">{t('defaultCapacityHint')}</span>
        </label>
        <label className="flex flex-col gap-1 text-sm font-medium">
          {t('responseTimeLimitSec')}
          <input
            type="number"
            className="input w-full font-normal"
            min={30}
            max={86400}
            required
            value={Number.isNaN(form.responseTimeLimitSec) ? '' : form.responseTimeLimitSec}
            onChange={(e) => set('responseTimeLimitSec', number(e.currentTarget.value))}
          />
          <span className="text-xs font-normal opacity-80">{t('responseTimeLimitHint')}</span>
        </label>
        {(['awayAfterMinutes', 'offlineAfterMinutes'] as const).map((field) => (
          <label key={field} className="flex flex-col gap-1 text-sm font-medium">
            {t(field)}
            <input
              type="number"
              className="input w-full font-normal"
              min={1}
              max={10080}
              placeholder={t('idleNever')}
              value={form[field] === null || Number.isNaN(form[field]) ? '' : form[field]}
              onChange={(e) =>
                set(field, e.currentTarget.value.trim() === '' ? null : number(e.currentTarget.value))
              }
            />
            <span className="text-xs font-normal opacity-80">{t(`${field}Hint`)}</span>
          </label>
        ))}
        <label className="flex flex-col gap-1 text-sm font-medium">
          {t('sortOrder')}
          <input
            type="number"
            className="input w-full font-normal"
            required
            value={Number.isNaN(form.sortOrder) ? '' : form.sortOrder}
            onChange={(e) => set('sortOrder', number(e.currentTarget.value))}
          />
        </label>
        <div className="flex flex-col justify-end gap-2">
          <label className="flex items-center gap-2 text-sm">
            <input
              type="checkbox"
              className="checkbox checkbox-sm"
              checked={form.isActive}
              onChange={(e) => set('isActive', e.currentTarget.checked)}
            />
            {t('isActive')}
          </label>
          <label className="flex items-center gap-2 text-sm">
            <input
              type="checkbox"
              className="checkbox checkbox-sm"
              checked={form.isDefault}
              onChange={(e) => set('isDefault', e.currentTarget.checked)}
            />
            {t('isDefault')}
          </label>
        </div>
      </div>

      <fieldset className="flex flex-col gap-2">
        <legend className="mb-1 text-sm font-semibold">{t('workingHours')}</legend>
        <label className="flex items-center gap-2 text-sm">
          <input
            type="checkbox"
            className="checkbox checkbox-sm"
            checked={form.workingHours === null}
            onChange={(e) =>
              set('workingHours', e.currentTarget.checked ? null : defaultWorkingHours(timeZone))
            }
          />
          {t('alwaysOpen')}
        </label>
        {form.workingHours && (
          <>
            <label className="flex flex-col gap-1 text-sm font-medium md:max-w-sm">
              {t('timeZone')}
              <input
                className="input w-full font-normal"
                value={form.workingHours.timeZone}
                required
                placeholder="Europe/Berlin"
                onChange={(e) => {
                  const value = e.currentTarget.value;
                  setForm((f) =>
                    f.workingHours ? { ...f, workingHours: { ...f.workingHours, timeZone: value } } : f,
                  );
                }}
              />
            </label>
            <p className="text-xs opacity-80">{t('hoursHint')}</p>
            <div className="grid gap-2 sm:grid-cols-2">
              {WEEK.map((day) => (
                <label key={day} className="flex items-center gap-2 text-sm">
                  <span className="w-24 shrink-0">{t(`days.${day}` as 'days.0')}</span>
                  <input
                    className="input input-sm w-full min-w-0"
                    value={form.workingHours?.days[day] ?? ''}
                    placeholder={t('closed')}
                    onChange={(e) => {
                      const value = e.currentTarget.value;
                      setForm((f) =>
                        f.workingHours
                          ? {
                              ...f,
                              workingHours: {
                                ...f.workingHours,
                                days: f.workingHours.days.map((v, i) => (i === day ? value : v)),
                              },
                            }
                          : f,
                      );
                    }}
                  />
                </label>
              ))}
            </div>
          </>
        )}
      </fieldset>

      {TEXT_FIELDS.map((field) => (
        <fieldset key={field} className="flex flex-col gap-2">
          <legend className="mb-1 text-sm font-semibold">{t(field)}</legend>
          <p className="text-xs opacity-80">{t(`${field}Hint`)}</p>
          {form[field].map((row, index) => (
            <div key={index} className="flex flex-col gap-2 sm:flex-row sm:items-start">
              <label className="flex flex-col gap-1 text-xs sm:w-28">
                {t('language')}
                <input
                  className="input input-sm w-full"
                  value={row.lang}
                  maxLength={10}
                  placeholder="default"
                  onChange={(e) => setText(field, index, { lang: e.currentTarget.value })}
                />
              </label>
              <label className="flex flex-1 flex-col gap-1 text-xs">
                {t('text')}
                <textarea
                  className="textarea textarea-sm w-full"
                  rows={2}
                  maxLength={4000}
                  value={row.text}
                  onChange={(e) => setText(field, index, { text: e.currentTarget.value })}
                />
              </label>
              <button
                type="button"
                className="btn btn-ghost btn-sm sm:mt-5"
                onClick={() =>
                  set(
                    field,
                    form[field].filter((_, i) => i !== index),
                  )
                }
              >
                {t('removeText')}
              </button>
            </div>
          ))}
          <button
            type="button"
            className="btn btn-sm self-start"
            onClick={() =>
              set(field, [...form[field], { lang: form[field].length === 0 ? 'default' : '', text: '' }])
            }
          >
            {t('addText')}
          </button>
        </fieldset>
      ))}

      <div className="flex flex-wrap gap-2">
        <button type="submit" className="btn btn-primary" disabled={pending}>
          {pending ? (
            <span className="loading loading-spinner loading-xs" />
          ) : department ? (
            t('save')
          ) : (
            t('create')
          )}
        </button>
        {department && (
          <button
            type="button"
            className="btn btn-ghost"
            onClick={() => router.push('/settings/departments')}
          >
            {t('cancel')}
          </button>
        )}
      </div>
      {message && (
        <p role={message.ok ? 'status' : 'alert'} className={`text-sm ${message.ok ? '' : 'text-error'}`}>
          {message.text}
        </p>
      )}
    </form>
  );
}
