import { getSessionActor } from '@/app/session';
import { canSeeDeskEvent, subscribeDeskEvents } from '@/lib/events/desk-events-hub';
import { AppError, problemResponse } from '@/lib/errors';

export const dynamic = 'force-dynamic';

/** Seconds between comment lines that keep proxies from closing an idle stream. */
const HEARTBEAT_MS = 15_000;

/**
 * Server-sent events for the signed-in operator's live views: the desk's change events they may
 * see ({ type, clientId, messageId?, … } — ids only), a `ready` event on every (re)connection so
 * the page resynchronises what it may have missed, and a heartbeat.
 */
export async function GET(request: Request) {
  const actor = await getSessionActor();
  if (!actor) return problemResponse(new AppError('unauthorized', 'Sign in to receive live updates.'));
  const encoder = new TextEncoder();
  let cleanup = () => {};
  const stream = new ReadableStream<Uint8Array>({
    async start(controller) {
      const send = (text: string) => {
        try {
          controller.enqueue(encoder.encode(text));
        } catch {
          cleanup();
        }
      };
      const unsubscribe = await subscribeDeskEvents((event) => {
        if (canSeeDeskEvent(actor, event)) send(`event: desk\ndata: ${JSON.stringify(event)}\n\n`);
      });
      const heartbeat = setInterval(() => send(': ping\n\n'), HEARTBEAT_MS);
      cleanup = () => {
        clearInterval(heartbeat);
        unsubscribe();
        try {
          controller.close();
        } catch {
          // already closed
        }
      };
      request.signal.addEventListener('abort', () => cleanup(), { once: true });
      send('retry: 3000\nevent: ready\ndata: {}\n\n');
    },
    cancel() {
      cleanup();
    },
  });
  return new Response(stream, {
    headers: {
      'content-type': 'text/event-stream; charset=utf-8',
      'cache-control': 'no-cache, no-transform',
      connection: 'keep-alive',
      'x-accel-buffering': 'no',
    },
  });
}
