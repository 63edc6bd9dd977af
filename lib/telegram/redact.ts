const TOKEN_PATTERN = /\d{5,}:[A-Za-z0-9_-]{20,}/g;

/** Removes anything shaped like a bot token (and the configured token) from a string. */
export function redactToken(text: string, token?: string): string {
  let out = text;
  if (token) out = out.split(token).join('<redacted>');
  return out.replace(TOKEN_PATTERN, '<redacted>');
}
