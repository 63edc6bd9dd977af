import type { MessageDto } from '@/lib/messages/message-dto';

/**
 * The chat's messages with freshly loaded ones merged in: a message already shown is replaced by
 * its new version (delivery state, edits), a new one takes its place in time order (created_at,
 * then as loaded). A message older than the oldest one shown is left out while older history is
 * still to be loaded (`moreOlder`): scrolling back brings it in its page. Returns the list oldest
 * first, each message once.
 */
export function mergeMessages(
  current: MessageDto[],
  incoming: MessageDto[],
  moreOlder: boolean,
): MessageDto[] {
  if (incoming.length === 0) return current;
  const byId = new Map(incoming.map((m) => [m.id, m]));
  const oldest = current[0]?.createdAt ?? null;
  const merged = current.map((m) => byId.get(m.id) ?? m);
  const known = new Set(current.map((m) => m.id));
  const added = incoming.filter(
    (m) => !known.has(m.id) && !(moreOlder && oldest !== null && m.createdAt < oldest),
  );
  if (added.length === 0) return merged;
  const all = [...merged, ...added];
  const order = new Map(all.map((m, i) => [m.id, i]));
  all.sort((a, b) =>
    a.createdAt === b.createdAt
      ? (order.get(a.id) ?? 0) - (order.get(b.id) ?? 0)
      : a.createdAt < b.createdAt
        ? -1
        : 1,
  );
  return all;
}
