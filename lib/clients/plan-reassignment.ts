/**
 * Why a client is moved off their operator by the reassign-by-load job:
 * `response_time_limit` — they have waited for an answer past the department's limit;
 * `operator_offline` — their operator is offline (or deactivated) while they await an answer;
 * `over_capacity` — their operator holds more active clients than their capacity.
 */
export type ReassignReason = 'response_time_limit' | 'operator_offline' | 'over_capacity';

/** An operator who could take clients, with their load as it is now. */
export type CandidateOperator = {
  id: string;
  departmentIds: readonly string[];
  /** Active clients (new, in progress, waiting) assigned now. */
  load: number;
  capacity: number;
  /** Online and active: only they are given clients. */
  available: boolean;
  lastAssignedAt: Date | null;
};

/** A client to move, in the order they should be served (longest overdue first). */
export type ClientToMove = {
  clientId: string;
  departmentId: string | null;
  fromOperatorId: string;
  reason: ReassignReason;
};

/** `toOperatorId` null: back to the department's queue. */
export type PlannedMove = ClientToMove & { toOperatorId: string | null };

/**
 * Plans where each client goes, as automatic assignment would pick (lib/clients/pick-operator.ts):
 * the least-loaded available operator of the client's department who is under capacity, ties to
 * whoever was assigned least recently, then by id — never the operator the client leaves. Each
 * move updates the loads the next pick sees (the target gains one, the operator left loses one),
 * so a batch spreads clients as one-by-one assignment would. With nobody to take them, clients
 * of an offline or over-capacity operator go back to the queue; an overdue client stays with
 * their operator (no move) — the queue would not answer them sooner. Pure: `now` is the time
 * recorded as each target's last assignment.
 */
export function planReassignment(
  clients: readonly ClientToMove[],
  operators: readonly CandidateOperator[],
  now: Date,
): PlannedMove[] {
  const state = new Map(operators.map((o) => [o.id, { ...o }]));
  const moves: PlannedMove[] = [];
  for (const client of clients) {
    let best: CandidateOperator | undefined;
    if (client.departmentId) {
      for (const candidate of state.values()) {
        if (
          !candidate.available ||
          candidate.id === client.fromOperatorId ||
          candidate.load >= candidate.capacity ||
          !candidate.departmentIds.includes(client.departmentId)
        )
          continue;
        if (!best || compareCandidates(candidate, best) < 0) best = candidate;
      }
    }
    if (!best && client.reason === 'response_time_limit') continue;
    const from = state.get(client.fromOperatorId);
    if (from) from.load -= 1;
    if (best) {
      best.load += 1;
      best.lastAssignedAt = now;
    }
    moves.push({ ...client, toOperatorId: best?.id ?? null });
  }
  return moves;
}

function compareCandidates(a: CandidateOperator, b: CandidateOperator): number {
  if (a.load !== b.load) return a.load - b.load;
  const at = a.lastAssignedAt?.getTime() ?? -Infinity;
  const bt = b.lastAssignedAt?.getTime() ?? -Infinity;
  if (at !== bt) return at - bt;
  return a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
}
