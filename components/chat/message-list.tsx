'use client';

import { useFormatter, useTranslations } from 'next-intl';
import { Fragment, useCallback, useEffect, useLayoutEffect, useRef, useState } from 'react';
import type { MessageDto } from '@/lib/messages/message-dto';
import { MessageBubble } from '../message-bubble';

/** Within this many pixels of the end counts as "at the bottom" (following new messages). */
const BOTTOM_SLACK = 48;
/** Older messages are fetched when the view comes this close to the top. */
const TOP_SLACK = 300;

/**
 * The scrolling message history. Opens at the bottom; new messages are followed while the reader
 * is at the bottom, otherwise counted in a "new messages ↓" button; scrolling near the top loads
 * the older page, and the reader's place stays put when it is prepended (the height it added is
 * added to the scroll position; the browser's own scroll anchoring is off so it is not done twice).
 * `followSerial` changes when the operator sends: the view then goes to the bottom. A dated
 * divider opens each day (the operator's time zone), as Telegram's own chats show it.
 */
export function MessageList({
  messages,
  hasOlder,
  loadingOlder,
  onLoadOlder,
  archive,
  followSerial,
}: {
  messages: MessageDto[];
  hasOlder: boolean;
  loadingOlder: boolean;
  onLoadOlder: () => void;
  /** Archived months not loaded yet (`has`): offered by a button once the hot history is all shown. */
  archive: { has: boolean; loading: boolean; load: () => void };
  followSerial: number;
}) {
  const t = useTranslations('chat');
  const format = useFormatter();
  const scroller = useRef<HTMLElement>(null);
  const content = useRef<HTMLDivElement>(null);
  const atBottom = useRef(true);
  const follow = useRef(false);
  const previous = useRef<{ first: string | null; last: string | null; height: number } | null>(null);
  const [unseen, setUnseen] = useState(0);
  const days = messages.map((m) => format.dateTime(new Date(m.createdAt), { dateStyle: 'long' }));

  const toBottom = useCallback(() => {
    const el = scroller.current;
    if (!el) return;
    el.scrollTop = el.scrollHeight;
    atBottom.current = true;
    setUnseen(0);
  }, []);

  // After each change of the list, before paint: keep the place, follow, or count arrivals.
  useLayoutEffect(() => {
    const el = scroller.current;
    if (!el) return;
    const first = messages[0]?.id ?? null;
    const last = messages.at(-1)?.id ?? null;
    const before = previous.current;
    if (!before) {
      el.scrollTop = el.scrollHeight; // opens at the newest message
    } else {
      if (before.first !== null && first !== before.first && before.last === last) {
        el.scrollTop += el.scrollHeight - before.height; // older page prepended
      }
      if (last !== before.last) {
        const from = messages.findIndex((m) => m.id === before.last);
        const arrived = from >= 0 ? messages.length - 1 - from : messages.length;
        if (atBottom.current || follow.current) toBottom();
        else if (arrived > 0) setUnseen((n) => n + arrived);
        follow.current = false;
      }
    }
    previous.current = { first, last, height: el.scrollHeight };
  }, [messages, toBottom]);

  // The operator sent something: show it, wherever they had scrolled to.
  useEffect(() => {
    if (followSerial === 0) return;
    follow.current = true;
    toBottom();
  }, [followSerial, toBottom]);

  // Images and files that load later grow the content: stay at the bottom while following.
  useEffect(() => {
    const el = scroller.current;
    const inner = content.current;
    if (!el || !inner || typeof ResizeObserver === 'undefined') return;
    const observer = new ResizeObserver(() => {
      if (atBottom.current) el.scrollTop = el.scrollHeight;
      if (previous.current) previous.current.height = el.scrollHeight;
    });
    observer.observe(inner);
    return () => observer.disconnect();
  }, []);

  // A short history does not fill the view, so no scroll would ever ask for more: ask now.
  useEffect(() => {
    const el = scroller.current;
    if (el && hasOlder && !loadingOlder && el.scrollHeight <= el.clientHeight + TOP_SLACK) onLoadOlder();
  }, [messages, hasOlder, loadingOlder, onLoadOlder]);

  const onScroll = () => {
    const el = scroller.current;
    if (!el) return;
    atBottom.current = el.scrollHeight - el.scrollTop - el.clientHeight <= BOTTOM_SLACK;
    if (atBottom.current && unseen > 0) setUnseen(0);
    if (el.scrollTop <= TOP_SLACK && hasOlder && !loadingOlder) onLoadOlder();
  };

  return (
    <div className="relative min-h-0 flex-1">
      <section
        ref={scroller}
        aria-label={t('messages')}
        className="h-full overflow-y-auto rounded-box bg-base-100 p-2 [overflow-anchor:none] sm:p-4"
        data-testid="messages"
        // Focusable, so the keyboard can scroll the history too.
        tabIndex={0}
        onScroll={onScroll}
      >
        <div ref={content}>
          <div className="flex justify-center py-2 text-xs opacity-70">
            {hasOlder ? (
              <button
                type="button"
                className="btn btn-ghost btn-xs"
                disabled={loadingOlder}
                onClick={onLoadOlder}
                data-testid="load-older"
              >
                {loadingOlder ? (
                  <>
                    <span className="loading loading-spinner loading-xs" /> {t('loadingOlder')}
                  </>
                ) : (
                  t('loadOlder')
                )}
              </button>
            ) : archive.has ? (
              <button
                type="button"
                className="btn btn-ghost btn-xs"
                disabled={archive.loading}
                onClick={archive.load}
                data-testid="load-archived"
              >
                {archive.loading ? (
                  <>
                    <span className="loading loading-spinner loading-xs" /> {t('loadingArchived')}
                  </>
                ) : (
                  t('loadArchived')
                )}
              </button>
            ) : messages.length > 0 ? (
              <span data-testid="history-start">{t('historyStart')}</span>
            ) : null}
          </div>
          {messages.length === 0 && <p className="opacity-60">{t('noMessages')}</p>}
          {messages.map((m, i) => {
            // A divider with the date wherever the day changes (the operator's time zone): a
            // bubble shows the clock time only, and archived history may be months old.
            const day = days[i];
            const newDay = i === 0 || days[i - 1] !== day;
            return (
              <Fragment key={m.id}>
                {newDay && (
                  <div className="divider my-2 text-xs opacity-70" data-testid="day-divider">
                    <time dateTime={m.createdAt} suppressHydrationWarning>
                      {day}
                    </time>
                  </div>
                )}
                <MessageBubble message={m} />
              </Fragment>
            );
          })}
        </div>
      </section>
      {unseen > 0 && (
        <button
          type="button"
          className="btn btn-primary btn-sm absolute bottom-3 left-1/2 -translate-x-1/2 shadow-lg"
          onClick={toBottom}
          data-testid="new-messages"
        >
          {t('newMessages', { count: unseen })}
        </button>
      )}
    </div>
  );
}
