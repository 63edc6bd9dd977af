'use client';

import { startTransition, useActionState, useEffect, useRef, useState } from 'react';
import { sendFileAction, sendReplyAction, type ReplyState } from '@/app/(dashboard)/actions';

/** Telegram's limit for files a bot uploads; checked here too so a big file fails before upload. */
const MAX_FILE_BYTES = 50 * 1024 * 1024;

/** A file chosen in the form goes with the text as its caption; otherwise the text alone. */
async function send(prev: ReplyState, form: FormData): Promise<ReplyState> {
  const file = form.get('file');
  if (file instanceof File && file.name !== '') {
    if (file.size > MAX_FILE_BYTES) {
      const mb = (file.size / 1024 / 1024).toFixed(1);
      return {
        ok: false,
        code: 'unprocessable_entity',
        message: `“${file.name}” is ${mb} MB; Telegram bots can send files of up to 50 MB.`,
      };
    }
    form.set('caption', String(form.get('text') ?? ''));
    form.delete('text');
    return sendFileAction(prev, form);
  }
  form.delete('file');
  return sendReplyAction(prev, form);
}

export function ReplyForm({ clientId, disabled }: { clientId: string; disabled: boolean }) {
  const [state, action, pending] = useActionState<ReplyState, FormData>(send, null);
  const [hasFile, setHasFile] = useState(false);
  const [seenState, setSeenState] = useState(state);
  const formRef = useRef<HTMLFormElement>(null);
  // A successful send empties the form, and with it the chosen file.
  if (state !== seenState) {
    setSeenState(state);
    if (state?.ok) setHasFile(false);
  }
  useEffect(() => {
    if (state?.ok) formRef.current?.reset();
  }, [state]);
  const busy = disabled || pending;
  return (
    <form
      ref={formRef}
      // Submitting by hand (not `action=`) keeps the text and file when the send fails:
      // React resets a form after every `action` it runs.
      onSubmit={(e) => {
        e.preventDefault();
        const data = new FormData(e.currentTarget);
        startTransition(() => action(data));
      }}
      className="flex flex-col gap-2 rounded-box bg-base-100 p-3"
    >
      <input type="hidden" name="clientId" value={clientId} />
      <div className="flex items-end gap-2">
        <textarea
          name="text"
          aria-label="Reply"
          placeholder={
            disabled
              ? 'The client has blocked the bot'
              : hasFile
                ? 'Add a caption… (optional)'
                : 'Write a reply… (Ctrl+Enter to send)'
          }
          className="textarea flex-1"
          rows={3}
          required={!hasFile}
          disabled={busy}
          onKeyDown={(e) => {
            if (e.key === 'Enter' && (e.ctrlKey || e.metaKey)) formRef.current?.requestSubmit();
          }}
        />
        <button type="submit" className="btn btn-primary" disabled={busy}>
          {pending ? <span className="loading loading-spinner loading-sm" /> : 'Send'}
        </button>
      </div>
      <div className="flex flex-wrap items-center gap-2 text-xs opacity-80">
        <input
          type="file"
          name="file"
          aria-label="Attach a file"
          className="file-input file-input-sm max-w-xs"
          disabled={busy}
          onChange={(e) => setHasFile((e.currentTarget.files?.length ?? 0) > 0)}
        />
        <span>JPEG, PNG or WebP up to 10 MB go as photos; other files up to 50 MB as documents.</span>
      </div>
      {state && !state.ok && (
        <div role="alert" className="alert alert-error alert-soft text-sm">
          {state.message}
        </div>
      )}
    </form>
  );
}
