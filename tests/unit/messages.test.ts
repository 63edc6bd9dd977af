import { IntlMessageFormat } from 'intl-messageformat';
import { describe, expect, it } from 'vitest';
import en from '@/messages/en.json';
import ru from '@/messages/ru.json';

// Every UI text is an ICU message parsed by next-intl (intl-messageformat) when it is shown: a
// syntax slip — an unclosed brace, or `<word>` read as a rich-text tag — shows the raw key on the
// page (the Settings → API tokens intro did, with "Bearer <token>"). Parse them all here.

type Tree = { [key: string]: string | Tree };

function leaves(tree: Tree, prefix = ''): [string, string][] {
  return Object.entries(tree).flatMap(([key, value]) =>
    typeof value === 'string'
      ? [[`${prefix}${key}`, value] as [string, string]]
      : leaves(value, `${prefix}${key}.`),
  );
}

describe('UI messages', () => {
  for (const [locale, messages] of [
    ['en', en],
    ['ru', ru],
  ] as const) {
    it(`every ${locale} message is valid ICU (no unclosed braces, no text read as a tag)`, () => {
      const broken = leaves(messages as Tree).flatMap(([key, text]) => {
        try {
          new IntlMessageFormat(text, locale);
          return [];
        } catch (error) {
          return [`${key}: ${(error as Error).message}`];
        }
      });
      expect(broken).toEqual([]);
    });
  }

  it('has the same keys in English and Russian', () => {
    const keys = (m: Tree) =>
      leaves(m)
        .map(([k]) => k)
        .sort();
    expect(keys(ru as Tree)).toEqual(keys(en as Tree));
  });
});
