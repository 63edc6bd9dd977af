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

/** Why a post is in the load: a client's first update, a later one, or a re-post of either. */
export type PostKind = 'first' | 'later' | 'duplicate';

export type Post = { update: number; kind: PostKind; body: string };

/** How far back a duplicate reaches: some originals are still in flight, most have committed. */
const DUPLICATE_WINDOW = 64;

/**
 * Every update of the plan once, in order, with a re-post of an earlier one after every
 * 100/`duplicatesPercent`-th update (10 → 10 % more posts). The re-posted update is 0–63 places
 * back, spread deterministically, so a duplicate sometimes races its original (Telegram
 * redelivers when an answer is late) and usually follows a committed one. Bodies are built here,
 * before the clock starts.
 */
export function buildPosts(plan: Plan, duplicatesPercent: number, startDate: number): Post[] {
  const bodies = Array.from({ length: plan.updates }, (_, i) => buildUpdate(plan, i, startDate));
  const posts: Post[] = [];
  bodies.forEach((body, i) => {
    posts.push({ update: i, kind: i < plan.clients ? 'first' : 'later', body });
    if (Math.floor(((i + 1) * duplicatesPercent) / 100) > Math.floor((i * duplicatesPercent) / 100)) {
      const back = (i * 37) % Math.min(DUPLICATE_WINDOW, i + 1);
      posts.push({ update: i - back, kind: 'duplicate', body: bodies[i - back] ?? body });
    }
  });
  return posts;
}

export type Failure = { index: number; status: number; body: string };

export type LoadResult = {
  posts: Post[];
  durationMs: number;
  /** Per post, in the order of `posts`. */
  latenciesMs: Float64Array;
  /** Per post: the answer's status ("stored", "duplicate"), or null for a failed request. */
  answers: (string | null)[];
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

const ANSWER = /"status":"(stored|duplicate)"/;

/**
 * Posts every post with `concurrency` workers, each taking the next index. A request fails
 * unless it answers 200 with status "stored" or "duplicate"; which of the two is right is
 * checked afterwards over all copies of an update (checkAnswers).
 */
export async function runLoad(target: Target, posts: Post[], concurrency: number): Promise<LoadResult> {
  const latenciesMs = new Float64Array(posts.length);
  const answers: (string | null)[] = Array.from({ length: posts.length }, () => null);
  const failures: Failure[] = [];
  let next = 0;
  const worker = async () => {
    while (next < posts.length) {
      const index = next++;
      const body = posts[index]?.body ?? '';
      const started = performance.now();
      try {
        const response = await post(target, body);
        latenciesMs[index] = performance.now() - started;
        const answer = response.status === 200 ? ANSWER.exec(response.body)?.[1] : undefined;
        if (answer) answers[index] = answer;
        else failures.push({ index, status: response.status, body: response.body.slice(0, 300) });
      } catch (error) {
        latenciesMs[index] = performance.now() - started;
        failures.push({ index, status: 0, body: error instanceof Error ? error.message : String(error) });
      }
    }
  };
  const started = performance.now();
  await Promise.all(Array.from({ length: Math.min(concurrency, posts.length) }, worker));
  return { posts, durationMs: performance.now() - started, latenciesMs, answers, failures };
}

/**
 * Updates whose copies were not answered right: of all posts of one update exactly one must be
 * "stored" and every other "duplicate" (a racing re-post may be the one that stores it).
 */
export function checkAnswers(result: LoadResult): { wrong: number; examples: string[] } {
  const tally = new Map<number, { stored: number; duplicate: number; posts: number }>();
  result.posts.forEach((p, index) => {
    const t = tally.get(p.update) ?? { stored: 0, duplicate: 0, posts: 0 };
    t.posts += 1;
    const answer = result.answers[index];
    if (answer === 'stored') t.stored += 1;
    if (answer === 'duplicate') t.duplicate += 1;
    tally.set(p.update, t);
  });
  let wrong = 0;
  const examples: string[] = [];
  for (const [update, t] of tally) {
    if (t.stored === 1 && t.duplicate === t.posts - 1) continue;
    wrong += 1;
    if (examples.length < 5)
      examples.push(`update #${update}: ${t.posts} posts, ${t.stored} stored, ${t.duplicate} duplicate`);
  }
  return { wrong, examples };
}

/** Nearest-rank percentile of an ascending array. */
export function percentile(sorted: Float64Array, p: number): number {
  if (sorted.length === 0) return Number.NaN;
  const rank = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[rank] ?? Number.NaN;
}
