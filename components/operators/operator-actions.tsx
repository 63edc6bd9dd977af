'use client';

import { useTranslations } from 'next-intl';
import type { OperatorDto } from '@/lib/operators/get-operator-or-throw';

/** Which admin dialog is open on the operators page, and for whom. */
export type OperatorDialog =
  null | { kind: 'create' } | { kind: 'edit' | 'invite' | 'deactivate' | 'activate'; operator: OperatorDto };

/**
 * An admin's buttons on an operator's row: edit, Telegram invite (active accounts only),
 * deactivate or activate (not their own account: lib/operators refuses that anyway). Each
 * button's accessible name includes the operator's name.
 */
export function OperatorActions({
  operator,
  selfId,
  onOpen,
}: {
  operator: OperatorDto;
  selfId: string;
  onOpen: (dialog: OperatorDialog) => void;
}) {
  const t = useTranslations('operators');
  const name = <span className="sr-only"> {operator.name}</span>;
  return (
    <>
      <button type="button" className="btn btn-xs" onClick={() => onOpen({ kind: 'edit', operator })}>
        {t('edit')}
        {name}
      </button>
      {operator.isActive && (
        <button type="button" className="btn btn-xs" onClick={() => onOpen({ kind: 'invite', operator })}>
          {t('invite')}
          {name}
        </button>
      )}
      {operator.id !== selfId &&
        (operator.isActive ? (
          <button
            type="button"
            className="btn btn-xs"
            onClick={() => onOpen({ kind: 'deactivate', operator })}
          >
            {t('deactivate')}
            {name}
          </button>
        ) : (
          <button type="button" className="btn btn-xs" onClick={() => onOpen({ kind: 'activate', operator })}>
            {t('activate')}
            {name}
          </button>
        ))}
    </>
  );
}
