import { after } from 'next/server';

const pending = new Set<Promise<unknown>>();

/**
 * Runs work after the response is sent (Next's `after`). Outside a request scope — route
 * handlers called directly by tests or scripts — it starts the work at once instead.
 */
export function runAfterResponse(work: () => Promise<unknown>, label: string) {
  const run = () =>
    work().catch((error: unknown) =>
      console.error(`${label} failed:`, error instanceof Error ? error.message : error),
    );
  try {
    after(run);
  } catch {
    const promise = run().finally(() => pending.delete(promise));
    pending.add(promise);
  }
}

/** Waits for work started outside a request scope (tests use it to observe its effects). */
export async function settleBackgroundWork() {
  while (pending.size > 0) await Promise.all([...pending]);
}
