'use client';

import { useTranslations } from 'next-intl';
import { useId, useState, useTransition } from 'react';
import { createOperatorAction, updateOperatorAction } from '@/app/(dashboard)/operators/actions';
import type { DepartmentOption } from '@/lib/departments/list-department-options';
import type { OperatorDto } from '@/lib/operators/get-operator-or-throw';
import type { UpdateOperatorForm } from '@/lib/operators/operator-form';

const ROLES = ['operator', 'supervisor', 'admin'] as const;
type Role = (typeof ROLES)[number];

/**
 * Create an operator (name, email, optional password, role, capacity, departments) or change
 * one (name, role, capacity, departments). An edit sends only what changed; departments the
 * form cannot offer (deactivated ones) are kept. The server validates everything again.
 */
export function OperatorForm({
  operator,
  departments,
  onDone,
}: {
  operator?: OperatorDto;
  departments: DepartmentOption[];
  onDone: (message: string) => void;
}) {
  const t = useTranslations('operators');
  const tr = useTranslations('profile.role');
  const [pending, startTransition] = useTransition();
  const [error, setError] = useState<string | null>(null);
  const offered = new Set(departments.map((d) => d.id));
  const hintId = useId();

  const submit = (form: HTMLFormElement) => {
    const data = new FormData(form);
    const text = (key: string) => String(data.get(key) ?? '').trim();
    const role = text('role') as Role;
    const capacityText = text('capacity');
    const capacity = capacityText === '' ? undefined : Number(capacityText);
    const chosen = data.getAll('departmentIds').map(String);
    startTransition(async () => {
      if (!operator) {
        const password = String(data.get('password') ?? '');
        const result = await createOperatorAction({
          name: text('name'),
          email: text('email'),
          ...(password ? { password } : {}),
          role,
          ...(capacity !== undefined ? { capacity } : {}),
          departmentIds: chosen,
        });
        if (!result.ok) return setError(result.message);
        return onDone(t('created', { name: result.data.name }));
      }
      const departmentIds = [...chosen, ...operator.departmentIds.filter((id) => !offered.has(id))];
      const changes: UpdateOperatorForm = { operatorId: operator.id };
      if (text('name') !== operator.name) changes.name = text('name');
      if (role !== operator.role) changes.role = role;
      if (capacity !== undefined && capacity !== operator.capacity) changes.capacity = capacity;
      if ([...departmentIds].sort().join() !== [...operator.departmentIds].sort().join())
        changes.departmentIds = departmentIds;
      if (Object.keys(changes).length === 1) return onDone(t('unchanged', { name: operator.name }));
      const result = await updateOperatorAction(changes);
      if (!result.ok) return setError(result.message);
      onDone(t('saved', { name: text('name') }));
    });
  };

  return (
    <form
      className="flex flex-col gap-3"
      onSubmit={(e) => {
        e.preventDefault();
        submit(e.currentTarget);
      }}
    >
      <label className="flex flex-col gap-1 text-sm">
        {t('col.name')}
        <input name="name" required maxLength={200} defaultValue={operator?.name} className="input w-full" />
      </label>
      {operator ? (
        <p className="text-sm">
          {t('email')}: <span className="break-all">{operator.email}</span>
        </p>
      ) : (
        <>
          <label className="flex flex-col gap-1 text-sm">
            {t('email')}
            <input name="email" type="email" required maxLength={320} className="input w-full" />
          </label>
          <div className="flex flex-col gap-1 text-sm">
            <label className="flex flex-col gap-1">
              {t('password')}
              <input
                name="password"
                type="password"
                minLength={8}
                maxLength={200}
                autoComplete="new-password"
                aria-describedby={hintId}
                className="input w-full"
              />
            </label>
            <span id={hintId} className="opacity-80">
              {t('passwordHint')}
            </span>
          </div>
        </>
      )}
      <div className="flex flex-wrap gap-3">
        <label className="flex flex-col gap-1 text-sm">
          {t('col.role')}
          <select name="role" defaultValue={operator?.role ?? 'operator'} className="select w-40">
            {ROLES.map((r) => (
              <option key={r} value={r}>
                {tr(r)}
              </option>
            ))}
          </select>
        </label>
        <label className="flex flex-col gap-1 text-sm">
          {t('capacity')}
          <input
            name="capacity"
            type="number"
            min={1}
            max={500}
            required={Boolean(operator)}
            defaultValue={operator?.capacity}
            placeholder={operator ? undefined : t('capacityDefault')}
            className="input w-40"
          />
        </label>
      </div>
      <fieldset className="flex flex-col gap-1 text-sm">
        <legend className="mb-1">{t('col.departments')}</legend>
        {departments.map((d) => (
          <label key={d.id} className="label cursor-pointer justify-start gap-2">
            <input
              type="checkbox"
              name="departmentIds"
              value={d.id}
              defaultChecked={operator?.departmentIds.includes(d.id)}
              className="checkbox checkbox-sm"
            />
            {d.name}
          </label>
        ))}
      </fieldset>
      {error && (
        <p role="alert" className="text-error">
          {error}
        </p>
      )}
      <div className="modal-action">
        <button type="submit" className="btn btn-primary" disabled={pending}>
          {operator ? t('save') : t('createSubmit')}
        </button>
      </div>
    </form>
  );
}
