'use client';

import { useTranslations } from 'next-intl';
import { useId, useRef, useState, useSyncExternalStore, useTransition, type RefObject } from 'react';
import { sendFileAction, sendReplyAction, type ReplyState } from '@/app/(dashboard)/actions';
import { addNoteAction } from '@/app/(dashboard)/clients/[id]/actions';
import type { ActionResult } from '@/lib/errors';
import {
  CannedSuggestions,
  cannedQuery,
  insertCanned,
  matchCanned,
  type CannedResponse,
} from './canned-suggestions';

/** Telegram's limit for files a bot uploads; checked here too so a big file fails before upload. */
const MAX_FILE_BYTES = 50 * 1024 * 1024;

export type ComposerMode = 'reply' | 'note';

/** Where a client's unsent text is kept in this browser (per client, across navigation). */
export function draftKey(clientId: string): string {
  return `desk:draft:${clientId}`;
}

function readDraft(clientId: string): string {
  try {
    return window.localStorage.getItem(draftKey(clientId)) ?? '';
  } catch {
    return ''; // storage disabled: drafts are not kept
  }
}

const noSubscription = () => () => {};
const isBrowser = () => true;
const isServer = () => false;

function writeDraft(clientId: string, text: string) {
  try {
    if (text) window.localStorage.setItem(draftKey(clientId), text);
    else window.localStorage.removeItem(draftKey(clientId));
  } catch {
    // storage full or disabled: the draft lives only in the page
  }
}

/**
 * The chat's composer: a reply (text, or a file with the text as its caption) or, in note mode,
 * an internal note that is never sent to Telegram. The unsent text is kept per client in
 * localStorage; Ctrl/Cmd+Enter sends; the text area keeps the focus after sending. Typing `/` and
 * a word offers the department's canned responses (↑/↓, Enter or Tab inserts, Esc closes).
 */
export function Composer({
  clientId,
  blocked,
  mode,
  onModeChange,
  onSent,
  textarea,
  cannedResponses,
}: {
  clientId: string;
  blocked: boolean;
  mode: ComposerMode;
  onModeChange: (mode: ComposerMode) => void;
  onSent: (messageId: string) => void;
  textarea: RefObject<HTMLTextAreaElement | null>;
  /** The canned responses of the client's department. */
  cannedResponses: CannedResponse[];
}) {
  const t = useTranslations('chat.composer');
  // null until the operator types: the text is then the draft kept in this browser, which the
  // server cannot know, so it is read only once hydrated (the server renders an empty box).
  const [typed, setTyped] = useState<string | null>(null);
  const hydrated = useSyncExternalStore(noSubscription, isBrowser, isServer);
  const text = typed ?? (hydrated ? readDraft(clientId) : '');
  const [file, setFile] = useState<File | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [pending, startTransition] = useTransition();
  const fileInput = useRef<HTMLInputElement>(null);
  const note = mode === 'note';
  const replyBlocked = blocked && !note;
  const listId = useId();
  const [caret, setCaret] = useState(0);
  // The `/` whose suggestions were closed with Esc, and the highlighted suggestion per query.
  const [dismissed, setDismissed] = useState<number | null>(null);
  const [highlight, setHighlight] = useState({ query: '', index: 0 });

  const change = (value: string) => {
    setTyped(value);
    writeDraft(clientId, value);
  };

  const slash = note ? null : cannedQuery(text, caret);
  const suggesting = slash !== null && slash.start !== dismissed;
  const matches = suggesting ? matchCanned(cannedResponses, slash.query) : [];
  const active =
    slash && highlight.query === slash.query ? Math.min(highlight.index, Math.max(0, matches.length - 1)) : 0;
  const pick = (response: CannedResponse) => {
    if (!slash) return;
    const next = insertCanned(text, slash.start, caret, response.body);
    change(next.text);
    setCaret(next.caret);
    requestAnimationFrame(() => textarea.current?.setSelectionRange(next.caret, next.caret));
  };

  const submit = () => {
    if (pending || replyBlocked) return;
    const withFile = !note && file !== null;
    if (!withFile && text.trim() === '') return;
    if (withFile && file.size > MAX_FILE_BYTES) {
      setError(t('fileTooLarge', { name: file.name, size: (file.size / 1024 / 1024).toFixed(1) }));
      return;
    }
    startTransition(async () => {
      let result: ActionResult<{ messageId: string }> | ReplyState;
      if (note) {
        result = await addNoteAction(clientId, text);
      } else {
        const form = new FormData();
        form.set('clientId', clientId);
        if (withFile) {
          form.set('file', file);
          form.set('caption', text);
          result = await sendFileAction(null, form);
        } else {
          form.set('text', text);
          result = await sendReplyAction(null, form);
        }
      }
      if (!result || !result.ok) {
        setError(result?.message ?? null);
        return;
      }
      setError(null);
      change('');
      setFile(null);
      if (fileInput.current) fileInput.current.value = '';
      onSent(result.data.messageId);
      textarea.current?.focus();
    });
  };

  const placeholder = replyBlocked
    ? t('blockedPlaceholder')
    : note
      ? t('notePlaceholder')
      : file
        ? t('captionPlaceholder')
        : t('replyPlaceholder');

  return (
    <form
      onSubmit={(e) => {
        e.preventDefault();
        submit();
      }}
      className={`flex flex-col gap-2 rounded-box p-2 sm:p-3 ${note ? 'bg-warning/20' : 'bg-base-100'}`}
      data-mode={mode}
    >
      <div role="group" aria-label={t('mode')} className="join">
        {(['reply', 'note'] as const).map((m) => (
          <button
            key={m}
            type="button"
            className={`btn join-item btn-xs ${mode === m ? (m === 'note' ? 'btn-warning' : 'btn-primary') : ''}`}
            aria-pressed={mode === m}
            onClick={() => {
              onModeChange(m);
              textarea.current?.focus();
            }}
          >
            {t(m)}
          </button>
        ))}
      </div>
      {suggesting && <CannedSuggestions id={listId} matches={matches} active={active} onPick={pick} />}
      <div className="flex items-end gap-2">
        <textarea
          ref={textarea}
          name="text"
          aria-label={note ? t('note') : t('reply')}
          placeholder={placeholder}
          className={`textarea flex-1 ${note ? 'textarea-warning' : ''}`}
          rows={2}
          value={text}
          readOnly={pending}
          disabled={replyBlocked}
          onChange={(e) => {
            change(e.currentTarget.value);
            setCaret(e.currentTarget.selectionStart);
          }}
          onSelect={(e) => setCaret(e.currentTarget.selectionStart)}
          // A text box that controls the suggestions list (a combobox role would hide the box).
          aria-autocomplete={note ? undefined : 'list'}
          aria-controls={suggesting && matches.length > 0 ? listId : undefined}
          aria-activedescendant={suggesting && matches.length > 0 ? `${listId}-${active}` : undefined}
          onKeyDown={(e) => {
            if (suggesting && slash && !e.ctrlKey && !e.metaKey && !e.altKey) {
              const step = e.key === 'ArrowDown' ? 1 : e.key === 'ArrowUp' ? -1 : 0;
              if (step !== 0 && matches.length > 0) {
                e.preventDefault();
                const index = (active + step + matches.length) % matches.length;
                setHighlight({ query: slash.query, index });
                return;
              }
              const chosen = matches[active];
              if ((e.key === 'Enter' || e.key === 'Tab') && chosen) {
                e.preventDefault();
                pick(chosen);
                return;
              }
              if (e.key === 'Escape') {
                e.preventDefault();
                setDismissed(slash.start);
                return;
              }
            }
            if (e.key === 'Enter' && (e.ctrlKey || e.metaKey)) {
              e.preventDefault();
              submit();
            }
          }}
        />
        <button
          type="submit"
          className={`btn ${note ? 'btn-warning' : 'btn-primary'}`}
          disabled={pending || replyBlocked}
        >
          {pending ? (
            <span className="loading loading-spinner loading-sm" />
          ) : note ? (
            t('addNote')
          ) : (
            t('send')
          )}
        </button>
      </div>
      {note && <p className="text-xs opacity-80">{t('noteHint')}</p>}
      {/* Hidden, not removed, in note mode: a chosen file stays chosen for the reply. */}
      <div className={`flex-wrap items-center gap-2 text-xs opacity-80 ${note ? 'hidden' : 'flex'}`}>
        <input
          ref={fileInput}
          type="file"
          name="file"
          aria-label={t('attach')}
          className="file-input file-input-sm max-w-full sm:max-w-xs"
          disabled={pending || replyBlocked}
          onChange={(e) => setFile(e.currentTarget.files?.[0] ?? null)}
        />
        <span>{t('fileHint')}</span>
      </div>
      {error && (
        <div role="alert" className="alert alert-error text-sm">
          {error}
        </div>
      )}
    </form>
  );
}
