import { reassignClients } from '@/lib/clients/reassign-clients';
import { kickOutbox } from '@/lib/outbox/outbox-worker';
import { recordReassignmentNotices } from '@/lib/operators/notify-reassigned-operators';
import type { JobContext, JobDefinition, JobResult } from './job-definition';

/**
 * Passes clients on (lib/clients/reassign-clients.ts): awaiting clients of offline or
 * over-capacity operators, and clients whose answer is overdue by the department's response-time
 * limit, go to the least-loaded available colleague or back to the queue; then both operators
 * are told in Telegram. Result: moves by reason, how many went to the queue, how many overdue
 * clients stayed because nobody was free, notices recorded in the outbox.
 */
export async function reassignByLoad({ db, actor, now, dryRun }: JobContext): Promise<JobResult> {
  let notices = 0;
  const { moves, stayed } = await reassignClients({
    db,
    actor,
    now,
    dryRun,
    onMoved: async (tx, applied) => {
      notices = await recordReassignmentNotices(tx, applied);
    },
  });
  if (notices > 0) kickOutbox();
  const byReason = (reason: string) => moves.filter((m) => m.reason === reason).length;
  return {
    overdue: byReason('response_time_limit'),
    operatorOffline: byReason('operator_offline'),
    overCapacity: byReason('over_capacity'),
    toQueue: moves.filter((m) => m.toOperatorId === null).length,
    stayed,
    notices,
  };
}

export const reassignByLoadJob: JobDefinition = {
  name: 'reassign-by-load',
  description:
    'Passes awaiting clients of offline or over-capacity operators, and clients past the response-time limit, to a free colleague or the queue.',
  schedule: '* * * * *',
  timeoutMs: 10 * 60_000,
  run: reassignByLoad,
};
