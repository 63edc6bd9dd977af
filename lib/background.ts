const pending = new Set<Promise<unknown>>();

/**
 * Starts work that must not delay the response it follows (call it once the response is sent).
 * Failures are logged with `label`, never thrown: the response has gone already.
 */
export function runInBackground(work: () => Promise<unknown>, label: string) {
  const promise = work()
    .catch((error: unknown) =>
      console.error(`${label} failed:`, error instanceof Error ? error.message : error),
    )
    .finally(() => pending.delete(promise));
  pending.add(promise);
}

/** Waits for all background work started so far (tests use it to observe its effects). */
export async function settleBackgroundWork() {
  while (pending.size > 0) await Promise.all([...pending]);
}
