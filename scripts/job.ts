// `npm run job -- <name> [--dry-run]`: runs one background job now, in this process, as the
// system actor, and prints its result; `npm run job -- --list` lists the jobs and schedules.
// The run is recorded in job_runs like a scheduled one (trigger `cli`) and takes the same lock:
// while the job runs elsewhere it is skipped, not run twice. Exits 1 on a failed run or bad input.
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { closeDb, getDbHandle, PgliteInUseError, type Db } from '@/db/client';
import { toProblem } from '@/lib/errors';
import { jobs, getJobOrThrow } from '@/lib/jobs/registry';
import { runJob, type JobRunOutcome } from '@/lib/jobs/run-job';

export const JOB_USAGE = `Usage: npm run job -- <name> [--dry-run]
       npm run job -- --list

  <name>        the job to run now (see --list)
  --dry-run     count what the job would change, change nothing
  --list        the jobs, what they do and when they run (cron, UTC)
  -h, --help    this text`;

/** Bad command-line input: the message says what to fix; the usage text follows it. */
export class UsageError extends Error {
  override name = 'UsageError';
}

export type JobArgs = { list: true } | { list: false; name: string; dryRun: boolean };

/** The command line (node:util parseArgs). Throws UsageError; `--help` throws it with no message. */
export function parseJobArgs(argv: string[]): JobArgs {
  let parsed: ReturnType<typeof parseArgs<{ options: Options; allowPositionals: true; strict: true }>>;
  try {
    parsed = parseArgs({ args: argv, options, allowPositionals: true, strict: true });
  } catch (error) {
    throw new UsageError(error instanceof Error ? error.message : String(error));
  }
  const { values, positionals } = parsed;
  if (values.help) throw new UsageError('');
  if (values.list) return { list: true };
  const [name, ...rest] = positionals;
  if (name === undefined || rest.length > 0) {
    throw new UsageError(name === undefined ? 'Name the job to run.' : 'Name one job.');
  }
  try {
    getJobOrThrow(name);
  } catch (error) {
    throw new UsageError(error instanceof Error ? error.message : String(error));
  }
  return { list: false, name, dryRun: Boolean(values['dry-run']) };
}

type Options = {
  'dry-run': { type: 'boolean' };
  list: { type: 'boolean' };
  help: { type: 'boolean'; short: 'h' };
};
const options: Options = {
  'dry-run': { type: 'boolean' },
  list: { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
};

/** The job list `--list` prints: name, schedule, description. */
export function formatJobList(): string {
  const width = Math.max(...jobs.map((job) => job.name.length));
  return jobs
    .map((job) => `${job.name.padEnd(width)}  ${job.schedule.padEnd(13)}  ${job.description}`)
    .join('\n');
}

/** What the command prints for a run's outcome. */
export function formatOutcome(name: string, dryRun: boolean, outcome: JobRunOutcome): string {
  if (outcome.status === 'skipped') {
    return outcome.reason === 'running'
      ? `${name}: skipped, a run of it is going on now.`
      : `${name}: skipped, this schedule slot ran already.`;
  }
  if (outcome.status === 'failed') return `${name}: failed after ${outcome.durationMs} ms: ${outcome.error}`;
  const counts = Object.entries(outcome.result)
    .map(([key, value]) => `  ${key}: ${String(value)}`)
    .join('\n');
  return `${name}${dryRun ? ' (dry run, nothing changed)' : ''}: done in ${outcome.durationMs} ms (run ${outcome.runId})\n${counts}`;
}

/** Runs the job the arguments name, as the system actor (trigger `cli`). */
export async function jobCommand({ db, args, now }: { db: Db; args: JobArgs & { list: false }; now?: Date }) {
  const job = getJobOrThrow(args.name);
  const outcome = await runJob({ db, job, trigger: 'cli', dryRun: args.dryRun, now });
  return { outcome, report: formatOutcome(job.name, args.dryRun, outcome) };
}

async function main(): Promise<void> {
  const args = parseJobArgs(process.argv.slice(2));
  if (args.list) return console.log(formatJobList());
  const { db } = await getDbHandle();
  const { outcome, report } = await jobCommand({ db, args });
  console.log(report);
  if (outcome.status === 'failed') process.exitCode = 1;
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  main()
    .catch((error: unknown) => {
      if (error instanceof UsageError) {
        if (!error.message) return console.log(JOB_USAGE);
        console.error(`${error.message}\n\n${JOB_USAGE}`);
      } else if (error instanceof PgliteInUseError) {
        console.error(`job failed: ${error.message}`);
      } else {
        const problem = toProblem(error);
        console.error(`job failed: ${problem.detail}`);
        if (problem.status >= 500) console.error(error);
      }
      process.exitCode = 1;
    })
    .finally(() => closeDb());
}
