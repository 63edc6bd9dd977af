'use client';

import { useTranslations } from 'next-intl';
import { useState, useTransition } from 'react';
import { deleteMessageAction, editMessageAction } from '@/app/(dashboard)/actions';
import { useChatRefresh } from './chat/chat-refresh';

/** Edit / delete for an operator's own sent message (Telegram allows both for 48 hours). */
export function MessageActions({
  messageId,
  text,
  canEdit,
  canDelete,
  isCaption,
}: {
  messageId: string;
  text: string;
  canEdit: boolean;
  canDelete: boolean;
  isCaption: boolean;
}) {
  const t = useTranslations('chat.message');
  const tc = useTranslations('common');
  const refresh = useChatRefresh();
  const [pending, startTransition] = useTransition();
  const [editing, setEditing] = useState(false);
  const [draft, setDraft] = useState(text);
  const [error, setError] = useState<string | null>(null);

  if (editing) {
    return (
      <form
        className="mt-1 flex w-full max-w-md flex-col gap-1"
        onSubmit={(e) => {
          e.preventDefault();
          startTransition(async () => {
            const result = await editMessageAction(messageId, draft);
            if (result.ok) setEditing(false);
            refresh([messageId]);
            setError(result.ok ? null : result.message);
          });
        }}
      >
        <textarea
          aria-label={isCaption ? t('editCaption') : t('editMessage')}
          className="textarea textarea-sm w-full"
          rows={3}
          value={draft}
          maxLength={isCaption ? 1024 : 4096}
          required
          disabled={pending}
          onChange={(e) => setDraft(e.target.value)}
        />
        <div className="flex justify-end gap-1">
          <button
            type="button"
            className="btn btn-ghost btn-xs"
            disabled={pending}
            onClick={() => {
              setEditing(false);
              setDraft(text);
              setError(null);
            }}
          >
            {tc('cancel')}
          </button>
          <button type="submit" className="btn btn-primary btn-xs" disabled={pending}>
            {pending ? <span className="loading loading-spinner loading-xs" /> : tc('save')}
          </button>
        </div>
        {error && <span className="text-error text-xs">{error}</span>}
      </form>
    );
  }

  return (
    <span className="flex items-center gap-1">
      {canEdit && (
        <button
          type="button"
          className="btn btn-ghost btn-xs"
          disabled={pending}
          onClick={() => setEditing(true)}
        >
          {t('edit')}
        </button>
      )}
      {canDelete && (
        <button
          type="button"
          // Not text-error: red text on the chat's light background fails WCAG AA contrast.
          className="btn btn-ghost btn-xs"
          disabled={pending}
          onClick={() => {
            if (!window.confirm(t('deleteConfirm'))) return;
            startTransition(async () => {
              const result = await deleteMessageAction(messageId);
              setError(result.ok ? null : result.message);
              refresh([messageId]);
            });
          }}
        >
          {t('delete')}
        </button>
      )}
      {error && <span className="text-error">{error}</span>}
    </span>
  );
}
