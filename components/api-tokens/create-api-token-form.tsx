'use client';

import { useTranslations } from 'next-intl';
import { startTransition, useActionState, useEffect, useId, useRef, useState } from 'react';
import {
  createApiTokenAction,
  type CreateApiTokenState,
} from '@/app/(dashboard)/settings/api-tokens/actions';
import type { DepartmentOption } from '@/lib/departments/list-department-options';

const ROLES = ['supervisor', 'operator', 'admin'] as const;
type Role = (typeof ROLES)[number];

/**
 * The new-token form (name, role, departments unless admin, optional last day). On success the
 * token is shown once, in a field to copy, with the warning that it cannot be shown again; the
 * form empties. A refusal keeps what was typed and says why.
 */
export function CreateApiTokenForm({
  departments,
  today,
}: {
  departments: DepartmentOption[];
  today: string;
}) {
  const t = useTranslations('apiTokens');
  const roles = useTranslations('profile.role');
  const [state, action, pending] = useActionState<CreateApiTokenState, FormData>(createApiTokenAction, null);
  const [role, setRole] = useState<Role>('supervisor');
  const [problem, setProblem] = useState<string | null>(null);
  const [dismissed, setDismissed] = useState<CreateApiTokenState>(null);
  const [copied, setCopied] = useState<'yes' | 'refused' | null>(null);
  const form = useRef<HTMLFormElement>(null);
  const id = useId();
  const tokenField = useRef<HTMLInputElement>(null);
  const [seen, setSeen] = useState(state);
  if (state !== seen) {
    setSeen(state);
    setCopied(null);
    if (state?.ok) setRole('supervisor');
  }
  useEffect(() => {
    if (state?.ok) form.current?.reset();
  }, [state]);
  const created = state?.ok && state !== dismissed ? state.data : null;

  async function copy() {
    if (!created) return;
    try {
      await navigator.clipboard.writeText(created.token);
      setCopied('yes');
    } catch {
      tokenField.current?.select();
      setCopied('refused');
    }
  }

  return (
    <div className="flex flex-col gap-4">
      {created && (
        <div role="alert" className="alert alert-warning flex flex-col items-stretch gap-2">
          <p className="font-semibold break-words">{t('createdTitle', { name: created.name })}</p>
          <p>{t('createdWarning')}</p>
          <div className="join w-full">
            <input
              ref={tokenField}
              readOnly
              value={created.token}
              aria-label={t('createdLabel')}
              data-testid="new-api-token"
              className="input join-item w-full min-w-0 bg-base-100 font-mono text-sm text-base-content"
              onFocus={(e) => e.currentTarget.select()}
            />
            <button type="button" className="btn join-item btn-primary" onClick={() => void copy()}>
              {copied === 'yes' ? t('copied') : t('copy')}
            </button>
          </div>
          {copied === 'refused' && <p className="text-sm">{t('copyFailed')}</p>}
          <button type="button" className="btn btn-sm self-start" onClick={() => setDismissed(state)}>
            {t('dismiss')}
          </button>
        </div>
      )}
      <form
        ref={form}
        // Submitting by hand (not `action=`) keeps what was typed when the server refuses it.
        onSubmit={(e) => {
          e.preventDefault();
          const data = new FormData(e.currentTarget);
          if (role !== 'admin' && data.getAll('departmentIds').length === 0) {
            setProblem(t('pickDepartment', { role: roles(role) }));
            return;
          }
          setProblem(null);
          startTransition(() => action(data));
        }}
        className="grid gap-3 md:grid-cols-2"
      >
        <div className="flex flex-col gap-1">
          <label htmlFor={`${id}-name`} className="text-sm font-medium">
            {t('name')}
          </label>
          <input
            id={`${id}-name`}
            name="name"
            required
            maxLength={100}
            placeholder={t('namePlaceholder')}
            className="input w-full"
            autoComplete="off"
          />
        </div>
        <div className="flex flex-col gap-1">
          <label htmlFor={`${id}-role`} className="text-sm font-medium">
            {t('role')}
          </label>
          <select
            id={`${id}-role`}
            name="role"
            className="select w-full"
            value={role}
            onChange={(e) => setRole(ROLES.find((r) => r === e.target.value) ?? 'supervisor')}
          >
            {ROLES.map((r) => (
              <option key={r} value={r}>
                {roles(r)}
              </option>
            ))}
          </select>
        </div>
        <fieldset className="flex flex-col gap-1 md:col-span-2">
          <legend className="text-sm font-medium">{t('departments')}</legend>
          {role === 'admin' ? (
            <p className="text-sm opacity-80">{t('adminScope')}</p>
          ) : departments.length === 0 ? (
            <p className="text-sm opacity-80">{t('noDepartments')}</p>
          ) : (
            <>
              <div className="flex flex-wrap gap-x-4 gap-y-2">
                {departments.map((d) => (
                  <label key={d.id} className="flex items-center gap-2">
                    <input
                      type="checkbox"
                      name="departmentIds"
                      value={d.id}
                      className="checkbox checkbox-sm"
                    />
                    <span>{d.name}</span>
                  </label>
                ))}
              </div>
              <p className="text-xs opacity-70">{t('departmentsHint')}</p>
            </>
          )}
        </fieldset>
        <div className="flex flex-col gap-1">
          <label htmlFor={`${id}-expires`} className="text-sm font-medium">
            {t('expiresOn')}
          </label>
          <input
            id={`${id}-expires`}
            type="date"
            name="expiresOn"
            min={today}
            className="input w-full"
            aria-describedby={`${id}-expires-hint`}
          />
          <span id={`${id}-expires-hint`} className="text-xs opacity-70">
            {t('expiresHint')}
          </span>
        </div>
        <div className="flex flex-col justify-end gap-2">
          {(problem || (state && !state.ok)) && (
            <p role="alert" className="text-error text-sm">
              {problem ?? (state && !state.ok ? t('createFailed', { reason: state.message }) : null)}
            </p>
          )}
          <button type="submit" className="btn btn-primary self-start" disabled={pending}>
            {pending && <span className="loading loading-spinner loading-sm" />}
            {t('create')}
          </button>
        </div>
      </form>
    </div>
  );
}
