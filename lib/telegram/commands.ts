/** `/start payload` or `/cmd@bot_name args` → { name, args }; null for ordinary text. */
export function parseCommand(text: string | undefined): { name: string; args: string } | null {
  if (!text?.startsWith('/')) return null;
  const match = /^\/([A-Za-z0-9_]{1,32})(?:@[A-Za-z0-9_]+)?(?:\s+([\s\S]*))?$/.exec(text.trim());
  if (!match?.[1]) return null;
  return { name: match[1].toLowerCase(), args: (match[2] ?? '').trim() };
}
