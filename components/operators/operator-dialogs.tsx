'use client';

import { useTranslations } from 'next-intl';
import { useState, useTransition } from 'react';
import { updateOperatorAction } from '@/app/(dashboard)/operators/actions';
import type { DepartmentOption } from '@/lib/departments/list-department-options';
import type { OperatorDto } from '@/lib/operators/get-operator-or-throw';
import { Modal } from '../modal';
import { InvitePanel } from './invite-panel';
import type { OperatorDialog } from './operator-actions';
import { OperatorForm } from './operator-form';

/** The admin's dialogs on the operators page: create, edit, invite, deactivate / activate. */
export function OperatorDialogs({
  dialog,
  onClose,
  onDone,
  departments,
}: {
  dialog: OperatorDialog;
  onClose: () => void;
  onDone: (message: string) => void;
  departments: DepartmentOption[];
}) {
  const t = useTranslations('operators');
  const operator = dialog && dialog.kind !== 'create' ? dialog.operator : null;
  const title = !dialog
    ? ''
    : dialog.kind === 'create'
      ? t('create')
      : t(`${dialog.kind}Title`, { name: dialog.operator.name });
  const done = (message: string) => {
    onDone(message);
    onClose();
  };
  return (
    <Modal open={dialog !== null} onClose={onClose} title={title} testId="operator-dialog">
      {dialog?.kind === 'create' && <OperatorForm departments={departments} onDone={done} />}
      {dialog?.kind === 'edit' && operator && (
        <OperatorForm operator={operator} departments={departments} onDone={done} />
      )}
      {dialog?.kind === 'invite' && operator && <InvitePanel operator={operator} />}
      {(dialog?.kind === 'deactivate' || dialog?.kind === 'activate') && operator && (
        <ConfirmActive operator={operator} active={dialog.kind === 'activate'} onDone={done} />
      )}
    </Modal>
  );
}

/** Deactivating (signed out, offline, open clients back to the queue) or activating, confirmed. */
function ConfirmActive({
  operator,
  active,
  onDone,
}: {
  operator: OperatorDto;
  active: boolean;
  onDone: (message: string) => void;
}) {
  const t = useTranslations('operators');
  const [pending, startTransition] = useTransition();
  const [error, setError] = useState<string | null>(null);
  const confirm = () =>
    startTransition(async () => {
      const result = await updateOperatorAction({ operatorId: operator.id, isActive: active });
      if (!result.ok) return setError(result.message);
      onDone(t(active ? 'activated' : 'deactivatedDone', { name: operator.name }));
    });
  return (
    <div className="flex flex-col gap-3">
      <p>{t(active ? 'activateExplain' : 'deactivateExplain', { name: operator.name })}</p>
      {error && (
        <p role="alert" className="text-error">
          {error}
        </p>
      )}
      <div className="modal-action">
        <button
          type="button"
          className={`btn ${active ? 'btn-primary' : 'btn-error'}`}
          disabled={pending}
          onClick={confirm}
        >
          {t(active ? 'activate' : 'deactivate')}
        </button>
      </div>
    </div>
  );
}
