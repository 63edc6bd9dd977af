const WINDOW_MS = 15 * 60 * 1000;
const MAX_FAILURES = 10;

const failures = new Map<string, number[]>();

function recent(key: string, now: number): number[] {
  const list = (failures.get(key) ?? []).filter((t) => now - t < WINDOW_MS);
  if (list.length === 0) failures.delete(key);
  else failures.set(key, list);
  return list;
}

/**
 * Slows password guessing: after 10 failed sign-ins for one email or from one IP within
 * 15 minutes, further attempts are refused until the window passes. Per process, in memory.
 */
export function isLoginThrottled(keys: string[], now = Date.now()): boolean {
  return keys.some((key) => recent(key, now).length >= MAX_FAILURES);
}

export function recordLoginFailure(keys: string[], now = Date.now()) {
  for (const key of keys) failures.set(key, [...recent(key, now), now]);
}

export function clearLoginFailures(keys: string[]) {
  for (const key of keys) failures.delete(key);
}
