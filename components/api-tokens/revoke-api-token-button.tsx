'use client';

import { useTranslations } from 'next-intl';
import { useActionState, useEffect, useId, useRef } from 'react';
import {
  revokeApiTokenAction,
  type RevokeApiTokenState,
} from '@/app/(dashboard)/settings/api-tokens/actions';

/** Revoke, after a confirmation dialog that says what stops working; a refusal shows in it. */
export function RevokeApiTokenButton({ id, name, prefix }: { id: string; name: string; prefix: string }) {
  const t = useTranslations('apiTokens');
  const common = useTranslations('common');
  const dialog = useRef<HTMLDialogElement>(null);
  const titleId = useId();
  const [state, action, pending] = useActionState<RevokeApiTokenState, FormData>(revokeApiTokenAction, null);
  useEffect(() => {
    if (state?.ok) dialog.current?.close();
  }, [state]);
  return (
    <>
      <button
        type="button"
        className="btn btn-sm"
        aria-label={t('revokeLabel', { name })}
        onClick={() => dialog.current?.showModal()}
      >
        {t('revoke')}
      </button>
      <dialog ref={dialog} className="modal" aria-labelledby={titleId}>
        <div className="modal-box">
          <h3 id={titleId} className="text-lg font-semibold break-words">
            {t('revokeTitle', { name })}
          </h3>
          <p className="py-3">{t('revokeBody', { prefix })}</p>
          {state && !state.ok && (
            <p role="alert" className="text-error">
              {t('revokeFailed', { reason: state.message })}
            </p>
          )}
          <div className="modal-action flex-wrap">
            <form method="dialog">
              <button type="submit" className="btn">
                {common('cancel')}
              </button>
            </form>
            <form action={action}>
              <input type="hidden" name="id" value={id} />
              <button type="submit" className="btn btn-error" disabled={pending}>
                {pending && <span className="loading loading-spinner loading-sm" />}
                {t('revokeConfirm')}
              </button>
            </form>
          </div>
        </div>
        <form method="dialog" className="modal-backdrop">
          <button type="submit">{common('close')}</button>
        </form>
      </dialog>
    </>
  );
}
