'use client';

import Link from 'next/link';
import { useTranslations } from 'next-intl';

export type CannedResponse = { id: string; title: string; body: string };

/** Suggestions shown at most, best first. */
const SHOWN = 8;

/**
 * The `/word` being typed right before the caret — a `/` at the start of the text or after a
 * space, then no space — or null. `start` is the index of the `/`.
 */
export function cannedQuery(text: string, caret: number): { start: number; query: string } | null {
  const before = text.slice(0, caret);
  const match = /(?:^|\s)\/([^\s/]*)$/.exec(before);
  if (!match) return null;
  const query = match[1] ?? '';
  return { start: caret - query.length - 1, query };
}

/** Canned responses whose title starts with the query first, then those containing it. */
export function matchCanned(responses: CannedResponse[], query: string): CannedResponse[] {
  const q = query.toLocaleLowerCase();
  const starts = responses.filter((r) => r.title.toLocaleLowerCase().startsWith(q));
  const contains = responses.filter(
    (r) => !starts.includes(r) && `${r.title} ${r.body}`.toLocaleLowerCase().includes(q),
  );
  return [...starts, ...contains].slice(0, SHOWN);
}

/** The text with the `/word` at `start` (ending at the caret) replaced by the response's text. */
export function insertCanned(text: string, start: number, caret: number, body: string) {
  const next = `${text.slice(0, start)}${body}${text.slice(caret)}`;
  return { text: next, caret: start + body.length };
}

/** The list under the composer while a `/word` is typed (a listbox the text area controls). */
export function CannedSuggestions({
  id,
  matches,
  active,
  onPick,
}: {
  id: string;
  matches: CannedResponse[];
  active: number;
  onPick: (response: CannedResponse) => void;
}) {
  const t = useTranslations('chat.canned');
  return (
    <div
      className="rounded-box border border-base-300 bg-base-100 p-1 shadow"
      data-testid="canned-suggestions"
    >
      {matches.length === 0 ? (
        <p className="p-2 text-sm opacity-70">{t('none')}</p>
      ) : (
        <ul id={id} role="listbox" aria-label={t('label')} className="flex max-h-56 flex-col overflow-y-auto">
          {matches.map((r, i) => (
            <li
              key={r.id}
              id={`${id}-${i}`}
              role="option"
              aria-selected={i === active}
              className={`cursor-pointer rounded p-2 text-sm ${i === active ? 'bg-base-200' : ''}`}
              // Keeps the focus (and the caret) in the text area.
              onMouseDown={(e) => e.preventDefault()}
              onClick={() => onPick(r)}
            >
              <span className="font-medium">/{r.title}</span>{' '}
              <span className="line-clamp-1 opacity-70">{r.body}</span>
            </li>
          ))}
        </ul>
      )}
      <div className="flex justify-between gap-2 px-2 pt-1 text-xs opacity-70">
        <span>{t('hint')}</span>
        <Link href="/settings/canned-responses" className="link">
          {t('manage')}
        </Link>
      </div>
    </div>
  );
}
