// Untrusted Unicode from Telegram (names, texts) shown in the desk's views. Three kinds of
// characters can hide or disguise what a person wrote (Unicode TR#36 "Unicode Security
// Considerations", TR#9 "Unicode Bidirectional Algorithm"):
// - bidirectional controls (embeddings, overrides, isolates) reorder what follows them:
//   "Ivan \u202Egnp.exe" is displayed as "Ivan exe.png";
// - default-ignorable code points (zero-width spaces and joiners, Hangul fillers, variation
//   selectors…) render as nothing: a name of only U+3164 is an empty, unclickable link;
// - blank characters that are not default-ignorable (U+2800 BRAILLE PATTERN BLANK, spaces).

/** Bidirectional embedding, override and isolate controls (TR#9 §2): they reorder later text. */
const BIDI_CONTROLS = /[\u202A-\u202E\u2066-\u2069]/g;

/**
 * Characters that show nothing: default-ignorable (which includes the Hangul fillers U+115F,
 * U+1160, U+3164, U+FFA0), format, control, white space and the blank braille pattern.
 */
const INVISIBLE = /[\p{Default_Ignorable_Code_Point}\p{Cf}\p{Cc}\p{White_Space}\u2800]/gu;

/** Invisible characters that emoji sequences need (ZWJ, variation selectors, tag characters). */
const EMOJI_GLUE = /^(?:\u200D|\uFE0E|\uFE0F|[\u{E0020}-\u{E007F}])$/u;

/** Code points that draw a visible mark (letters, digits, symbols, punctuation), fillers excluded. */
function hasVisible(text: string): boolean {
  return text.replace(INVISIBLE, '').replace(/\p{M}/gu, '').length > 0;
}

/**
 * A person's name for display: bidi controls and invisible characters removed, runs of white
 * space collapsed, at most `maxLength` UTF-16 units; null when nothing visible is left (the
 * caller shows a fallback such as @username or "Telegram user <id>").
 */
export function visibleName(name: string | null | undefined, maxLength = 128): string | null {
  if (!name) return null;
  const cleaned = name
    .replace(BIDI_CONTROLS, '')
    // Emoji sequences need their joiners, variation selectors and tags; nothing else invisible stays.
    .replace(/[\p{Default_Ignorable_Code_Point}\p{Cf}\p{Cc}\u2800]/gu, (c) => (EMOJI_GLUE.test(c) ? c : ''))
    .replace(/\p{White_Space}+/gu, ' ')
    .trim();
  if (!hasVisible(cleaned)) return null;
  return Array.from(cleaned)
    .slice(0, maxLength)
    .join('')
    .slice(0, maxLength * 2);
}

/**
 * A message text for display: bidi embeddings, overrides and isolates removed so they cannot
 * reorder what follows (the view isolates each text with `dir="auto"` too); everything else is
 * kept as written. `invisible` says the text shows nothing at all (e.g. only zero-width spaces).
 */
export function safeDisplayText(text: string): { text: string; invisible: boolean } {
  const cleaned = text.replace(BIDI_CONTROLS, '');
  return { text: cleaned, invisible: cleaned.length > 0 && !hasVisible(cleaned) };
}
