import http from 'node:http';

export type Plan = {
  /** Updates to send; update i comes from user (i % clients). */
  updates: number;
  clients: number;
  /** First Telegram user id (= private chat id) and first update_id of this plan. */
  userBase: number;
  updateBase: number;
  label: string;
};

/** A private text message from a person, as Telegram would post it to the webhook. */
export function buildUpdate(plan: Plan, i: number, startDate: number): string {
  const userId = plan.userBase + (i % plan.clients);
  const user = {
    id: userId,
    is_bot: false,
    first_name: `${plan.label} ${i % plan.clients}`,
    language_code: 'en',
  };
  return JSON.stringify({
    update_id: plan.updateBase + i,
    message: {
      // Sequential per client: the k-th message of a client has message_id k + 1.
      message_id: Math.floor(i / plan.clients) + 1,
      date: startDate + Math.floor(i / 100),
      chat: { id: userId, type: 'private', first_name: user.first_name },
      from: user,
      text: `${plan.label} message ${i}: hello, I need help with my order.`,
    },
  });
}

export type Failure = { index: number; status: number; body: string };

export type LoadResult = {
  sent: number;
  durationMs: number;
  latenciesMs: Float64Array;
  failures: Failure[];
};

type Target = { url: URL; secret: string; agent: http.Agent };

export function createTarget(baseUrl: string, secret: string, concurrency: number): Target {
  return {
    url: new URL('/api/telegram/webhook', baseUrl),
    secret,
    agent: new http.Agent({ keepAlive: true, maxSockets: concurrency }),
  };
}

function post(target: Target, body: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const request = http.request(
      target.url,
      {
        method: 'POST',
        agent: target.agent,
        headers: {
          'content-type': 'application/json',
          'content-length': Buffer.byteLength(body),
          'x-telegram-bot-api-secret-token': target.secret,
        },
      },
      (response) => {
        const chunks: Buffer[] = [];
        response.on('data', (chunk: Buffer) => chunks.push(chunk));
        response.on('end', () =>
          resolve({ status: response.statusCode ?? 0, body: Buffer.concat(chunks).toString() }),
        );
        response.on('error', reject);
      },
    );
    request.on('error', reject);
    request.end(body);
  });
}

/**
 * Posts every update of the plan with `concurrency` workers, each taking the next index.
 * A request fails unless it answers 200 with status "stored" (a duplicate would be a bug here).
 */
export async function runLoad(target: Target, plan: Plan, concurrency: number): Promise<LoadResult> {
  const latenciesMs = new Float64Array(plan.updates);
  const failures: Failure[] = [];
  const startDate = Math.floor(Date.now() / 1000);
  let next = 0;
  const worker = async () => {
    while (next < plan.updates) {
      const index = next++;
      const body = buildUpdate(plan, index, startDate);
      const started = performance.now();
      try {
        const response = await post(target, body);
        latenciesMs[index] = performance.now() - started;
        if (response.status !== 200 || !response.body.includes('"status":"stored"')) {
          failures.push({ index, status: response.status, body: response.body.slice(0, 300) });
        }
      } catch (error) {
        latenciesMs[index] = performance.now() - started;
        failures.push({ index, status: 0, body: error instanceof Error ? error.message : String(error) });
      }
    }
  };
  const started = performance.now();
  await Promise.all(Array.from({ length: Math.min(concurrency, plan.updates) }, worker));
  return { sent: plan.updates, durationMs: performance.now() - started, latenciesMs, failures };
}

/** Nearest-rank percentile of an ascending array. */
export function percentile(sorted: Float64Array, p: number): number {
  if (sorted.length === 0) return Number.NaN;
  const rank = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[rank] ?? Number.NaN;
}
