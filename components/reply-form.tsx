'use client';

import { useActionState, useEffect, useRef } from 'react';
import { sendReplyAction, type ReplyState } from '@/app/(dashboard)/actions';

export function ReplyForm({ clientId, disabled }: { clientId: string; disabled: boolean }) {
  const [state, action, pending] = useActionState<ReplyState, FormData>(sendReplyAction, null);
  const formRef = useRef<HTMLFormElement>(null);
  useEffect(() => {
    if (state?.ok) formRef.current?.reset();
  }, [state]);
  return (
    <form ref={formRef} action={action} className="flex flex-col gap-2 rounded-box bg-base-100 p-3">
      <input type="hidden" name="clientId" value={clientId} />
      <div className="flex items-end gap-2">
        <textarea
          name="text"
          aria-label="Reply"
          placeholder={disabled ? 'The client has blocked the bot' : 'Write a reply… (Ctrl+Enter to send)'}
          className="textarea flex-1"
          rows={3}
          required
          disabled={disabled || pending}
          onKeyDown={(e) => {
            if (e.key === 'Enter' && (e.ctrlKey || e.metaKey)) formRef.current?.requestSubmit();
          }}
        />
        <button type="submit" className="btn btn-primary" disabled={disabled || pending}>
          {pending ? <span className="loading loading-spinner loading-sm" /> : 'Send'}
        </button>
      </div>
      {state && !state.ok && (
        <div role="alert" className="alert alert-error alert-soft text-sm">
          {state.message}
        </div>
      )}
    </form>
  );
}
