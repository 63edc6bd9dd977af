import type { ReactNode } from 'react';
import { safeDisplayText } from '@/lib/text/visible-text';

type Entity = { type: string; offset: number; length: number; url?: string };

function isEntity(value: unknown): value is Entity {
  if (!value || typeof value !== 'object') return false;
  const e = value as Record<string, unknown>;
  return typeof e.type === 'string' && Number.isInteger(e.offset) && Number.isInteger(e.length);
}

/** Links we render: web and Telegram links only (never javascript:, data:…). */
function safeHref(url: string | undefined): string | null {
  if (!url) return null;
  try {
    const parsed = new URL(url.includes('://') || url.startsWith('tg:') ? url : `https://${url}`);
    return ['http:', 'https:', 'tg:', 'mailto:'].includes(parsed.protocol) ? parsed.href : null;
  } catch {
    return null;
  }
}

function wrap(entity: Entity, text: string, children: ReactNode, key: number): ReactNode {
  switch (entity.type) {
    case 'bold':
      return <strong key={key}>{children}</strong>;
    case 'italic':
      return <em key={key}>{children}</em>;
    case 'underline':
      return <u key={key}>{children}</u>;
    case 'strikethrough':
      return <s key={key}>{children}</s>;
    case 'code':
      return (
        <code key={key} className="rounded bg-base-200 px-1">
          {children}
        </code>
      );
    case 'pre':
      return (
        <pre key={key} className="my-1 overflow-x-auto rounded bg-base-200 p-2">
          {children}
        </pre>
      );
    case 'spoiler':
      return (
        <span key={key} className="rounded bg-base-content/20" title="spoiler">
          {children}
        </span>
      );
    case 'blockquote':
    case 'expandable_blockquote':
      return (
        <blockquote key={key} className="border-l-2 border-base-content/30 pl-2">
          {children}
        </blockquote>
      );
    case 'text_link':
    case 'url': {
      const href = safeHref(entity.type === 'url' ? text : entity.url);
      if (!href) return <span key={key}>{children}</span>;
      return (
        <a key={key} href={href} className="link" target="_blank" rel="noreferrer noopener">
          {children}
        </a>
      );
    }
    default:
      return <span key={key}>{children}</span>;
  }
}

/**
 * A message text with its Telegram formatting entities (offsets and lengths in UTF-16 code
 * units, as JavaScript strings count them; Bot API, MessageEntity) rendered as HTML elements,
 * isolated (`dir="auto"`) so right-to-left text cannot reorder the view around it, and with
 * bidi override controls removed piece by piece (lib/text/visible-text.ts). A text of only
 * invisible characters says so instead of showing an empty bubble.
 */
export function MessageText({ text, entities }: { text: string; entities?: unknown[] | null }) {
  const list = (entities ?? []).filter(isEntity).filter((e) => e.length > 0 && e.offset >= 0);
  const whole = safeDisplayText(text);
  if (whole.invisible) {
    return (
      <span className="italic opacity-70" data-testid="invisible-text">
        (only invisible characters)
      </span>
    );
  }
  const cuts = new Set<number>([0, text.length]);
  for (const e of list) {
    cuts.add(Math.min(e.offset, text.length));
    cuts.add(Math.min(e.offset + e.length, text.length));
  }
  const points = [...cuts].sort((a, b) => a - b);
  const pieces: ReactNode[] = [];
  for (let i = 0; i < points.length - 1; i++) {
    const from = points[i] ?? 0;
    const to = points[i + 1] ?? text.length;
    const raw = text.slice(from, to);
    let node: ReactNode = safeDisplayText(raw).text;
    // Outermost first: entities that start earlier or are longer wrap the others.
    const active = list
      .filter((e) => e.offset <= from && e.offset + e.length >= to)
      .sort((a, b) => a.offset - b.offset || b.length - a.length);
    for (let j = active.length - 1; j >= 0; j--) {
      const entity = active[j];
      if (entity) node = wrap(entity, text.slice(entity.offset, entity.offset + entity.length), node, j);
    }
    pieces.push(<span key={from}>{node}</span>);
  }
  return <span dir="auto">{pieces}</span>;
}
