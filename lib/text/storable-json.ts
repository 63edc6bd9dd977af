// Postgres cannot store U+0000 in text or jsonb (it is refused, SQLSTATE 22P05), and a lone
// UTF-16 surrogate is not a Unicode scalar value, so JSON holding one (`"\ud800"`) is refused by
// jsonb too. Telegram payloads come from people: clean them before they are stored.

const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

/** A string Postgres can store: NUL removed, lone surrogates replaced by U+FFFD. */
export function storableString(value: string): string {
  return value.replaceAll('\u0000', '').replace(LONE_SURROGATE, '\uFFFD');
}

/**
 * A deep copy of a JSON value with every string (keys included) made storable; null for
 * undefined. Throws only on what JSON.stringify throws on (cycles, BigInt), which parsed JSON
 * never contains.
 */
export function storableJson<T>(value: T): T | null {
  if (value === undefined) return null;
  return JSON.parse(
    JSON.stringify(value, function (this: unknown, _key: string, v: unknown) {
      if (typeof v === 'string') return storableString(v);
      if (v && typeof v === 'object' && !Array.isArray(v)) {
        const cleaned: Record<string, unknown> = {};
        for (const [k, inner] of Object.entries(v)) cleaned[storableString(k)] = inner;
        return cleaned;
      }
      return v;
    }),
  ) as T;
}
