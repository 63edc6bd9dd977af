import type { MessageDto } from '@/lib/messages/message-dto';

export type MergedMessages = {
  /** Oldest first, each message once. */
  messages: MessageDto[];
  /** Messages that were not shown before and sit after the newest one shown (new arrivals). */
  appended: MessageDto[];
};

/**
 * The chat's messages with freshly loaded ones merged in: a message already shown is replaced by
 * its new version (delivery state, edits), a new one takes its place in time order (created_at,
 * then as loaded). A message older than the oldest one shown is left out while older history is
 * still to be loaded (`moreOlder`): scrolling back brings it in its page.
 */
export function mergeMessages(
  current: MessageDto[],
  incoming: MessageDto[],
  moreOlder: boolean,
): MergedMessages {
  if (incoming.length === 0) return { messages: current, appended: [] };
  const byId = new Map(incoming.map((m) => [m.id, m]));
  const oldest = current[0]?.createdAt ?? null;
  const newest = current.at(-1)?.createdAt ?? null;
  const merged = current.map((m) => byId.get(m.id) ?? m);
  const known = new Set(current.map((m) => m.id));
  const added = incoming.filter(
    (m) => !known.has(m.id) && !(moreOlder && oldest !== null && m.createdAt < oldest),
  );
  if (added.length === 0) return { messages: merged, appended: [] };
  const all = [...merged, ...added];
  const order = new Map(all.map((m, i) => [m.id, i]));
  all.sort((a, b) =>
    a.createdAt === b.createdAt
      ? (order.get(a.id) ?? 0) - (order.get(b.id) ?? 0)
      : a.createdAt < b.createdAt
        ? -1
        : 1,
  );
  return {
    messages: all,
    appended: added.filter((m) => newest === null || m.createdAt >= newest),
  };
}
