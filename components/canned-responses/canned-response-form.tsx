'use client';

import { useTranslations } from 'next-intl';
import { useState, useTransition } from 'react';
import {
  deleteCannedResponseAction,
  saveCannedResponseAction,
} from '@/app/(dashboard)/settings/canned-responses/actions';
import type { CannedResponseDto } from '@/lib/canned-responses/list-canned-responses';
import type { DepartmentOption } from '@/lib/departments/list-department-options';

/**
 * One canned response: shown (with Edit and Delete for its managers) or edited in place; without
 * `response`, the form that adds one.
 */
export function CannedResponseForm({
  departments,
  response,
  readOnly = false,
}: {
  departments: DepartmentOption[];
  response?: CannedResponseDto;
  readOnly?: boolean;
}) {
  const t = useTranslations('cannedResponses');
  const [editing, setEditing] = useState(!response);
  const [departmentId, setDepartmentId] = useState(response?.departmentId ?? departments[0]?.id ?? '');
  const [title, setTitle] = useState(response?.title ?? '');
  const [body, setBody] = useState(response?.body ?? '');
  const [error, setError] = useState<string | null>(null);
  const [pending, startTransition] = useTransition();

  if (response && !editing) {
    return (
      <div className="flex flex-col gap-1">
        <div className="flex flex-wrap items-center gap-2">
          <span className="font-medium">/{response.title}</span>
          <span className="badge badge-ghost badge-sm">{response.departmentName}</span>
          {!readOnly && (
            <span className="ml-auto flex gap-1">
              <button type="button" className="btn btn-ghost btn-xs" onClick={() => setEditing(true)}>
                {t('edit')}
              </button>
              <button
                type="button"
                // Not text-error: red text on a light background fails WCAG AA contrast.
                className="btn btn-ghost btn-xs"
                disabled={pending}
                onClick={() => {
                  if (!window.confirm(t('deleteConfirm', { title: response.title }))) return;
                  startTransition(async () => {
                    const result = await deleteCannedResponseAction(response.id);
                    setError(result.ok ? null : t('refused', { reason: result.message }));
                  });
                }}
              >
                {t('delete')}
              </button>
            </span>
          )}
        </div>
        <p className="whitespace-pre-wrap break-words text-sm" dir="auto">
          {response.body}
        </p>
        {error && (
          <p role="alert" className="text-error text-sm">
            {error}
          </p>
        )}
      </div>
    );
  }

  return (
    <form
      className="flex flex-col gap-2"
      onSubmit={(e) => {
        e.preventDefault();
        startTransition(async () => {
          const result = await saveCannedResponseAction({ id: response?.id, departmentId, title, body });
          if (!result.ok) {
            setError(t('refused', { reason: result.message }));
            return;
          }
          setError(null);
          if (response) setEditing(false);
          else {
            setTitle('');
            setBody('');
          }
        });
      }}
    >
      <div className="flex flex-wrap gap-2">
        <label className="flex flex-col gap-1 text-sm">
          {t('department')}
          <select
            className="select select-sm"
            value={departmentId}
            onChange={(e) => setDepartmentId(e.currentTarget.value)}
          >
            {departments.map((d) => (
              <option key={d.id} value={d.id}>
                {d.name}
              </option>
            ))}
          </select>
        </label>
        <label className="flex min-w-48 flex-1 flex-col gap-1 text-sm">
          {t('titleField')}
          <input
            className="input input-sm w-full"
            value={title}
            maxLength={60}
            required
            placeholder={t('titleHint')}
            onChange={(e) => setTitle(e.currentTarget.value)}
          />
        </label>
      </div>
      <label className="flex flex-col gap-1 text-sm">
        {t('body')}
        <textarea
          className="textarea textarea-sm w-full"
          rows={3}
          value={body}
          maxLength={4096}
          required
          onChange={(e) => setBody(e.currentTarget.value)}
        />
      </label>
      <div className="flex gap-2">
        <button type="submit" className="btn btn-primary btn-sm" disabled={pending}>
          {pending ? (
            <span className="loading loading-spinner loading-xs" />
          ) : response ? (
            t('save')
          ) : (
            t('add')
          )}
        </button>
        {response && (
          <button type="button" className="btn btn-ghost btn-sm" onClick={() => setEditing(false)}>
            {t('cancel')}
          </button>
        )}
      </div>
      {error && (
        <p role="alert" className="text-error text-sm">
          {error}
        </p>
      )}
    </form>
  );
}
