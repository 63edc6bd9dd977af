import { describe, expect, it } from 'vitest';
import { escapeHtml, splitText, TEXT_LIMIT } from './format';

describe('escapeHtml', () => {
  it('escapes exactly the characters Telegram HTML reserves', () => {
    expect(escapeHtml('a < b && c > "d"')).toBe('a &lt; b &amp;&amp; c &gt; "d"');
  });
});

describe('splitText', () => {
  it('keeps short text whole', () => {
    expect(splitText('hello')).toEqual(['hello']);
    expect(splitText('')).toEqual(['']);
  });

  it('never exceeds the limit and loses no characters', () => {
    const text = Array.from({ length: 900 }, (_, i) => `word${i}`).join(' ');
    const parts = splitText(text, 1000);
    expect(parts.every((p) => p.length <= 1000)).toBe(true);
    expect(parts.join(' ')).toBe(text);
  });

  it('prefers paragraph breaks, then line breaks', () => {
    const text = `${'a'.repeat(600)}\n\n${'b'.repeat(600)}`;
    expect(splitText(text, 1000)).toEqual(['a'.repeat(600), 'b'.repeat(600)]);
  });

  it('counts UTF-16 units and never splits a surrogate pair', () => {
    const emoji = '😀'; // two UTF-16 units
    const text = emoji.repeat(TEXT_LIMIT); // 8192 units, no spaces
    const parts = splitText(text);
    expect(parts.every((p) => p.length <= TEXT_LIMIT)).toBe(true);
    expect(parts.join('')).toBe(text);
    for (const p of parts) expect(p.codePointAt(p.length - 2)).toBe(0x1f600);
  });

  it('splits odd-length surrogate runs without breaking a pair', () => {
    const text = `x${'😀'.repeat(10)}`;
    const parts = splitText(text, 4);
    expect(parts.join('')).toBe(text);
    expect(parts.every((p) => !/[\uD800-\uDBFF]$/.test(p))).toBe(true);
  });
});
