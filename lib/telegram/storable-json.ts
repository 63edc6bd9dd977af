// Postgres stores neither NUL (U+0000) in text or jsonb — keys included — nor a UTF-16
// surrogate without its partner (jsonb refuses the `\ud800` escape JSON.stringify writes for one;
// text would silently get U+FFFD from the UTF-8 encoder). Telegram's strings never need either,
// so an update is cleaned once, on arrival, and everything after it can be stored.

// eslint-disable-next-line no-control-regex -- finding NUL is the point
const NUL = /\u0000/g;
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;
// eslint-disable-next-line no-control-regex -- control characters are what it escapes
const CONTROL = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/g;
/** Deeper than any real update; a body nested further is cut there, not stack-overflowed on. */
const MAX_DEPTH = 64;

/** `text` without NUL characters and with each lone surrogate replaced by U+FFFD. */
export function storableText(text: string): string {
  return text.replace(NUL, '').replace(LONE_SURROGATE, '\uFFFD');
}

/**
 * A copy of parsed JSON that Postgres can store: every string — object keys too — through
 * storableText(), `undefined` as null, values nested deeper than 64 levels as null. Keys are
 * copied as own data properties (a `__proto__` key stays a key, never a prototype).
 */
export function storableJson(value: unknown, depth = 0): unknown {
  if (typeof value === 'string') return storableText(value);
  if (value === undefined) return null;
  if (value === null || typeof value !== 'object') return value;
  if (depth >= MAX_DEPTH) return null;
  if (Array.isArray(value)) return value.map((item: unknown) => storableJson(item, depth + 1));
  return Object.fromEntries(
    Object.entries(value).map(([key, item]) => [storableText(key), storableJson(item, depth + 1)]),
  );
}

/**
 * A log-safe rendering of text that came from outside: control characters (NUL included) as
 * escapes, cut at `max` characters. Log collectors treat a raw NUL as end of line or binary.
 */
export function loggableText(text: string, max = 500): string {
  const escaped = text.replace(CONTROL, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
  return escaped.length > max ? `${escaped.slice(0, max)}…` : escaped;
}
