'use client';

import { useFormatter, useTranslations } from 'next-intl';
import { useId, useRef, useState, useTransition } from 'react';
import { inviteOperatorAction } from '@/app/(dashboard)/operators/actions';
import type { OperatorDto } from '@/lib/operators/get-operator-or-throw';

/**
 * Issues an operator's Telegram invite (a deep link to the bot) and shows it once, to copy: it
 * is kept in this component's state only and gone when the dialog closes. A new invite cancels
 * the operator's earlier unused ones (lib/operators/create-operator-invite.ts).
 */
export function InvitePanel({ operator }: { operator: OperatorDto }) {
  const t = useTranslations('operators');
  const format = useFormatter();
  const [pending, startTransition] = useTransition();
  const [invite, setInvite] = useState<{ url: string; expiresAt: string } | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [copied, setCopied] = useState(false);
  const input = useRef<HTMLInputElement>(null);
  const inputId = useId();
  const create = () =>
    startTransition(async () => {
      const result = await inviteOperatorAction(operator.id);
      if (!result.ok) return setError(result.message);
      setError(null);
      setInvite(result.data);
    });
  const copy = async () => {
    if (!invite) return;
    try {
      await navigator.clipboard.writeText(invite.url);
      setCopied(true);
    } catch {
      // No clipboard permission (or not a secure context): select it for a manual copy.
      input.current?.select();
    }
  };
  if (!invite) {
    return (
      <div className="flex flex-col gap-3">
        <p>{t('inviteExplain', { name: operator.name })}</p>
        {operator.telegramLinked && <p className="text-sm">{t('inviteRelink')}</p>}
        {error && (
          <p role="alert" className="text-error">
            {error}
          </p>
        )}
        <div className="modal-action">
          <button type="button" className="btn btn-primary" disabled={pending} onClick={create}>
            {t('inviteCreate')}
          </button>
        </div>
      </div>
    );
  }
  return (
    <div className="flex flex-col gap-3" data-testid="invite-link">
      <label htmlFor={inputId} className="font-medium">
        {t('inviteLink')}
      </label>
      <div className="join w-full">
        <input
          ref={input}
          id={inputId}
          className="input join-item w-full font-mono text-sm"
          readOnly
          value={invite.url}
          onFocus={(e) => e.currentTarget.select()}
        />
        <button type="button" className="btn join-item" onClick={() => void copy()}>
          {t('copy')}
        </button>
      </div>
      <p role="status" className="text-sm">
        {copied ? t('copied') : ''}
      </p>
      <p className="text-sm">
        {t('inviteOnce', {
          name: operator.name,
          expires: format.dateTime(new Date(invite.expiresAt), { dateStyle: 'medium', timeStyle: 'short' }),
        })}
      </p>
    </div>
  );
}
