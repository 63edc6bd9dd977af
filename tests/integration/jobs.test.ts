// The job registry: runJob's record and lock in job_runs, the in-process scheduler (two
// schedulers firing the same tick run a job once), "run now", the CLI, the Inngest functions,
// the jobs' settings, and the cleanup-old-logs job with a controlled clock.
import { InngestTestEngine } from '@inngest/test';
import { and, eq } from 'drizzle-orm';
import { ZodError } from 'zod';
import { beforeEach, describe, expect, it } from 'vitest';
import type { Db } from '@/db/client';
import { jobRuns, operatorLogs, telegramUpdates } from '@/db/schema';
import { JOB_RUN_REQUESTED } from '@/inngest/events';
import { jobFunction } from '@/inngest/functions/jobs';
import { settleBackgroundWork } from '@/lib/background';
import { AppError } from '@/lib/errors';
import { cleanupOldLogs, cleanupOldLogsJob } from '@/lib/jobs/cleanup-old-logs';
import type { JobDefinition } from '@/lib/jobs/job-definition';
import { listJobs } from '@/lib/jobs/list-jobs';
import { getJobOrThrow, jobs } from '@/lib/jobs/registry';
import { requestJobRun } from '@/lib/jobs/request-job-run';
import { runJob } from '@/lib/jobs/run-job';
import { scheduleJobs } from '@/lib/jobs/scheduler';
import { DEFAULT_JOB_SETTINGS, getJobSettings, updateJobSettings } from '@/lib/settings/job-settings';
import { formatOutcome, jobCommand, parseJobArgs, UsageError } from '@/scripts/job';
import { actorFor, makeOperator } from '../factories';
import { getTestDb, resetDb } from '../support/db';

let db: Db;

beforeEach(async () => {
  await settleBackgroundWork();
  db = await getTestDb();
  await resetDb(db);
});

const DAY = 86_400_000;
const NOW = new Date('2026-11-30T03:17:00Z');
const daysAgo = (days: number, extraMs = 0) => new Date(NOW.getTime() - days * DAY - extraMs);

async function admin() {
  return actorFor(await makeOperator(db, { role: 'admin' }), []);
}

/** A job whose runs wait until `release()` and count how often they ran. */
function gatedJob(name = 'gated') {
  let release!: () => void;
  const gate = new Promise<void>((resolve) => (release = resolve));
  const state = { runs: 0 };
  const job: JobDefinition = {
    name,
    description: 'Waits for the test.',
    schedule: '* * * * * *',
    timeoutMs: 60_000,
    run: async () => {
      state.runs += 1;
      await gate;
      return { runs: state.runs };
    },
  };
  return { job, state, release: () => release() };
}

async function runsOf(job: string) {
  return db.select().from(jobRuns).where(eq(jobRuns.job, job)).orderBy(jobRuns.id);
}

describe('runJob', () => {
  it('records a run with its trigger, duration and result', async () => {
    const job: JobDefinition = {
      ...gatedJob().job,
      run: async ({ now, dryRun, actor }) => ({ at: now.toISOString(), dryRun, actor: actor.name }),
    };
    const outcome = await runJob({ db, job, trigger: 'cli', dryRun: true, now: NOW });
    expect(outcome).toMatchObject({
      status: 'succeeded',
      result: { at: NOW.toISOString(), dryRun: true, actor: 'gated' },
    });
    const [run] = await runsOf('gated');
    expect(run).toMatchObject({
      trigger: 'cli',
      status: 'succeeded',
      dryRun: true,
      error: null,
      scheduledFor: null,
    });
    expect(run?.startedAt.toISOString()).toBe(NOW.toISOString());
    expect(run?.durationMs).toBeGreaterThanOrEqual(0);
    expect(run?.finishedAt?.getTime()).toBe(NOW.getTime() + (run?.durationMs ?? NaN));
  });

  it('records a job that throws as failed with its message, without throwing', async () => {
    const job: JobDefinition = {
      ...gatedJob().job,
      run: async () => Promise.reject(new Error('storage is full')),
    };
    const outcome = await runJob({ db, job, trigger: 'schedule', scheduledFor: NOW });
    expect(outcome).toMatchObject({ status: 'failed', error: 'storage is full' });
    expect((await runsOf('gated'))[0]).toMatchObject({ status: 'failed', error: 'storage is full' });
  });

  it('never runs a job twice at once: a second run while one is going on is skipped', async () => {
    const { job, state, release } = gatedJob();
    const first = runJob({ db, job, trigger: 'schedule', scheduledFor: NOW });
    await expect.poll(() => state.runs).toBe(1);
    const second = await runJob({ db, job, trigger: 'manual' });
    expect(second).toEqual({ status: 'skipped', reason: 'running' });
    release();
    expect(await first).toMatchObject({ status: 'succeeded' });
    expect(state.runs).toBe(1);
    // Once it has finished, the next run goes ahead.
    expect(await runJob({ db, job, trigger: 'manual' })).toMatchObject({ status: 'succeeded' });
  });

  it('runs a schedule slot once: the same tick again is skipped, the next tick runs', async () => {
    const { job, state, release } = gatedJob();
    release();
    expect(await runJob({ db, job, trigger: 'schedule', scheduledFor: NOW })).toMatchObject({
      status: 'succeeded',
    });
    expect(await runJob({ db, job, trigger: 'schedule', scheduledFor: NOW })).toEqual({
      status: 'skipped',
      reason: 'slot_taken',
    });
    const nextTick = new Date(NOW.getTime() + 60_000);
    expect(await runJob({ db, job, trigger: 'schedule', scheduledFor: nextTick })).toMatchObject({
      status: 'succeeded',
    });
    expect(state.runs).toBe(2);
  });

  it('takes a `running` row older than the job’s timeout for a dead process: marked failed, the run goes ahead', async () => {
    const { job, release } = gatedJob();
    release();
    await db.insert(jobRuns).values({ job: job.name, trigger: 'schedule', startedAt: daysAgo(1) });
    const outcome = await runJob({ db, job, trigger: 'manual', now: NOW });
    expect(outcome).toMatchObject({ status: 'succeeded' });
    const [dead, fresh] = await runsOf(job.name);
    expect(dead).toMatchObject({ status: 'failed', error: expect.stringContaining('Abandoned') });
    expect(fresh).toMatchObject({ status: 'succeeded', trigger: 'manual' });
  });
});

describe('the in-process scheduler', () => {
  it('runs a job on its schedule, and two schedulers firing the same tick run it once', async () => {
    const { job, state, release } = gatedJob('every-second');
    release();
    // Two app instances on one database: each has its own timers.
    const timers = [
      ...scheduleJobs({ getDb: async () => db, jobs: [job] }),
      ...scheduleJobs({ getDb: async () => db, jobs: [job] }),
    ];
    try {
      await expect
        .poll(async () => (await runsOf(job.name)).filter((r) => r.status === 'succeeded').length, {
          timeout: 10_000,
        })
        .toBeGreaterThanOrEqual(2);
    } finally {
      for (const timer of timers) timer.stop();
    }
    await settleBackgroundWork();
    await new Promise((resolve) => setTimeout(resolve, 300));
    const runs = await runsOf(job.name);
    const ticks = runs.map((r) => r.scheduledFor?.toISOString());
    expect(new Set(ticks).size).toBe(ticks.length);
    expect(state.runs).toBe(runs.length);
    expect(runs.every((r) => r.trigger === 'schedule' && r.scheduledFor?.getUTCMilliseconds() === 0)).toBe(
      true,
    );
  });
});

describe('cleanup-old-logs', () => {
  async function seedHistory() {
    const auditRow = (createdAt: Date, action: string) => ({
      actorType: 'system' as const,
      actorLabel: 'test',
      action,
      createdAt,
    });
    await db
      .insert(operatorLogs)
      .values([
        auditRow(daysAgo(400), 'old.1'),
        auditRow(daysAgo(366), 'old.2'),
        auditRow(daysAgo(365, 1_000), 'old.3'),
        auditRow(daysAgo(365, -1_000), 'kept.1'),
        auditRow(daysAgo(2), 'kept.2'),
      ]);
    const update = (updateId: number, status: 'processed' | 'failed' | 'ignored', receivedAt: Date) => ({
      updateId,
      kind: 'message',
      status,
      receivedAt,
    });
    await db
      .insert(telegramUpdates)
      .values([
        update(1, 'processed', daysAgo(31)),
        update(2, 'processed', daysAgo(30, 1_000)),
        update(3, 'processed', daysAgo(29)),
        update(4, 'failed', daysAgo(90)),
        update(5, 'ignored', daysAgo(90)),
      ]);
    await db.insert(jobRuns).values([
      { job: 'cleanup-old-logs', trigger: 'schedule', status: 'succeeded', startedAt: daysAgo(40) },
      { job: 'cleanup-old-logs', trigger: 'schedule', status: 'succeeded', startedAt: daysAgo(3) },
    ]);
  }

  it('counts on a dry run and deletes nothing', async () => {
    await seedHistory();
    expect(await cleanupOldLogs({ db, now: NOW, dryRun: true })).toEqual({
      operatorLogs: 3,
      processedUpdates: 2,
      jobRuns: 1,
    });
    expect(await db.$count(operatorLogs)).toBe(5);
    expect(await db.$count(telegramUpdates)).toBe(5);
  });

  it('deletes exactly the rows older than each retention, in batches, keeping unprocessed updates', async () => {
    await seedHistory();
    // Batches of 2: the three old audit rows take two DELETEs.
    expect(await cleanupOldLogs({ db, now: NOW, dryRun: false }, 2)).toEqual({
      operatorLogs: 3,
      processedUpdates: 2,
      jobRuns: 1,
    });
    const actions = (await db.select({ action: operatorLogs.action }).from(operatorLogs)).map(
      (r) => r.action,
    );
    expect(actions.sort()).toEqual(['kept.1', 'kept.2']);
    const updates = await db
      .select({ id: telegramUpdates.updateId })
      .from(telegramUpdates)
      .orderBy(telegramUpdates.updateId);
    expect(updates.map((u) => u.id)).toEqual([3, 4, 5]);
    expect(await db.$count(jobRuns)).toBe(1);
    // Nothing left to do: a second run deletes nothing.
    expect(await cleanupOldLogs({ db, now: NOW, dryRun: false }, 2)).toEqual({
      operatorLogs: 0,
      processedUpdates: 0,
      jobRuns: 0,
    });
  });

  it('follows the retention settings an admin changes', async () => {
    await seedHistory();
    await updateJobSettings({
      db,
      actor: await admin(),
      input: { operatorLogRetentionDays: 1, processedUpdateRetentionDays: 100 },
    });
    const result = await runJob({ db, job: cleanupOldLogsJob, trigger: 'cli', now: NOW });
    // The settings change itself wrote an audit row (now), which is kept.
    expect(result).toMatchObject({
      status: 'succeeded',
      result: { operatorLogs: 5, processedUpdates: 0, jobRuns: 1 },
    });
    expect(await db.$count(operatorLogs, eq(operatorLogs.action, 'settings.update'))).toBe(1);
  });
});

describe('job settings', () => {
  it('start from the defaults; admins change them, audited with from/to; others are refused', async () => {
    expect(await getJobSettings(db)).toEqual(DEFAULT_JOB_SETTINGS);
    const actor = await admin();
    const saved = await updateJobSettings({ db, actor, input: { operatorLogRetentionDays: 90 } });
    expect(saved).toEqual({ ...DEFAULT_JOB_SETTINGS, operatorLogRetentionDays: 90 });
    expect(await getJobSettings(db)).toEqual(saved);
    const [audit] = await db.select().from(operatorLogs).where(eq(operatorLogs.action, 'settings.update'));
    expect(audit).toMatchObject({
      operatorId: actor.operatorId,
      targetId: 'jobs',
      ip: '203.0.113.7',
      details: { changes: { operatorLogRetentionDays: { from: 365, to: 90 } } },
    });
    await expect(updateJobSettings({ db, actor, input: { jobRunRetentionDays: 0 } })).rejects.toBeInstanceOf(
      ZodError,
    );
    await expect(updateJobSettings({ db, actor, input: { retention: 5 } as never })).rejects.toBeInstanceOf(
      ZodError,
    );
    const supervisor = actorFor(await makeOperator(db, { role: 'supervisor' }), []);
    await expect(
      updateJobSettings({ db, actor: supervisor, input: { jobRunRetentionDays: 5 } }),
    ).rejects.toMatchObject({
      code: 'forbidden',
    });
    expect(await db.$count(operatorLogs, eq(operatorLogs.action, 'settings.update'))).toBe(1);
  });
});

describe('run now, the list, the CLI and the Inngest functions', () => {
  it('an admin’s "run now" is audited and runs the job in this process with no Inngest', async () => {
    const actor = await admin();
    expect(
      await requestJobRun({ db, actor, name: 'cleanup-old-logs', dryRun: true, waitMs: 10_000 }),
    ).toMatchObject({
      via: 'in_process',
      outcome: { status: 'succeeded', result: { operatorLogs: 0 } },
    });
    // Without waiting, it answers at once and the run goes on.
    expect(await requestJobRun({ db, actor, name: 'cleanup-old-logs', dryRun: true })).toEqual({
      via: 'in_process',
      outcome: null,
    });
    await settleBackgroundWork();
    const [run] = await runsOf('cleanup-old-logs');
    expect(run).toMatchObject({
      trigger: 'manual',
      dryRun: true,
      status: 'succeeded',
      operatorId: actor.operatorId,
    });
    const [audit] = await db
      .select()
      .from(operatorLogs)
      .where(and(eq(operatorLogs.action, 'job.run'), eq(operatorLogs.targetId, 'cleanup-old-logs')));
    expect(audit).toMatchObject({ operatorId: actor.operatorId, details: { dryRun: true } });
  });

  it('refuses "run now" to non-admins and unknown jobs', async () => {
    const operator = actorFor(await makeOperator(db, { role: 'operator' }), []);
    await expect(
      requestJobRun({ db, actor: operator, name: 'cleanup-old-logs', dryRun: false }),
    ).rejects.toMatchObject({
      code: 'forbidden',
    });
    await expect(
      requestJobRun({ db, actor: await admin(), name: 'nope', dryRun: false }),
    ).rejects.toBeInstanceOf(AppError);
    await settleBackgroundWork();
    expect(await db.$count(jobRuns)).toBe(0);
  });

  it('lists every job with its next tick and last run, admins only', async () => {
    await runJob({ db, job: cleanupOldLogsJob, trigger: 'cli', now: NOW });
    const listed = await listJobs({ db, actor: await admin(), now: NOW });
    expect(listed.jobs.map((j) => j.name)).toEqual(jobs.map((j) => j.name));
    const cleanup = listed.jobs.find((j) => j.name === 'cleanup-old-logs');
    // '17 3 * * *' at 03:17:00 exactly: the next tick is tomorrow's.
    expect(cleanup?.nextRunAt?.toISOString()).toBe('2026-12-01T03:17:00.000Z');
    expect(cleanup?.lastRun).toMatchObject({ trigger: 'cli', status: 'succeeded' });
    expect(listed.recentRuns).toHaveLength(1);
    const supervisor = actorFor(await makeOperator(db, { role: 'supervisor' }), []);
    await expect(listJobs({ db, actor: supervisor })).rejects.toMatchObject({ code: 'forbidden' });
  });

  it('`npm run job` parses its arguments and runs a job with --dry-run', async () => {
    expect(parseJobArgs(['cleanup-old-logs', '--dry-run'])).toEqual({
      list: false,
      name: 'cleanup-old-logs',
      dryRun: true,
    });
    expect(parseJobArgs(['--list'])).toEqual({ list: true });
    expect(() => parseJobArgs([])).toThrow(UsageError);
    expect(() => parseJobArgs(['cleanup-old-logs', '--force'])).toThrow(/force/);
    expect(() => parseJobArgs(['clean-everything'])).toThrow(
      /No job "clean-everything"\. Jobs: .*cleanup-old-logs/,
    );
    await db
      .insert(operatorLogs)
      .values({ actorType: 'system', actorLabel: 'test', action: 'old', createdAt: daysAgo(400) });
    const { outcome, report } = await jobCommand({
      db,
      args: { list: false, name: 'cleanup-old-logs', dryRun: true },
      now: NOW,
    });
    expect(outcome).toMatchObject({ status: 'succeeded', result: { operatorLogs: 1 } });
    expect(report).toContain('cleanup-old-logs (dry run, nothing changed): done in');
    expect(report).toContain('operatorLogs: 1');
    expect(await db.$count(operatorLogs)).toBe(1);
    expect(formatOutcome('x', false, { status: 'skipped', reason: 'running' })).toBe(
      'x: skipped, a run of it is going on now.',
    );
  });

  it('each job’s Inngest function runs it on its cron tick and on a "run now" event', async () => {
    const fn = jobFunction(getJobOrThrow('cleanup-old-logs'));
    const tickTs = Date.parse('2026-11-30T03:17:04.250Z');
    const scheduled = await new InngestTestEngine({
      function: fn,
      events: [{ name: 'inngest/scheduled.timer', data: { cron: 'TZ=UTC 17 3 * * *' }, ts: tickTs }],
    }).execute();
    expect(scheduled.result).toMatchObject({ status: 'succeeded' });
    const operator = await makeOperator(db, { role: 'admin' });
    const manual = await new InngestTestEngine({
      function: fn,
      events: [
        { name: JOB_RUN_REQUESTED, data: { job: 'cleanup-old-logs', dryRun: true, operatorId: operator.id } },
      ],
    }).execute();
    expect(manual.result).toMatchObject({ status: 'succeeded' });
    const runs = await runsOf('cleanup-old-logs');
    expect(
      runs.map((r) => [r.trigger, r.scheduledFor?.toISOString() ?? null, r.dryRun, r.operatorId]),
    ).toEqual([
      ['schedule', '2026-11-30T03:17:00.000Z', false, null],
      ['manual', null, true, operator.id],
    ]);
    // The same tick delivered twice runs once.
    const again = await new InngestTestEngine({
      function: fn,
      events: [{ name: 'inngest/scheduled.timer', data: { cron: 'TZ=UTC 17 3 * * *' }, ts: tickTs + 1_000 }],
    }).execute();
    expect(again.result).toEqual({ status: 'skipped', reason: 'slot_taken' });
  });

  it('job names are unique kebab-case (CLI arguments, Inngest ids)', () => {
    expect(new Set(jobs.map((j) => j.name)).size).toBe(jobs.length);
    expect(jobs.every((j) => /^[a-z]+(-[a-z]+)*$/.test(j.name))).toBe(true);
  });
});

describe('the Jobs page forms (lib/jobs/job-forms.ts)', () => {
  it('run a job and save the settings from FormData; refuse what is not a form or has bad fields', async () => {
    const { runJobFromForm, saveJobSettingsFromForm } = await import('@/lib/jobs/job-forms');
    const actor = await admin();
    const run = new FormData();
    run.set('job', 'cleanup-old-logs');
    run.set('dryRun', '1');
    expect(await runJobFromForm({ db, actor, form: run, waitMs: 10_000 })).toMatchObject({
      job: 'cleanup-old-logs',
      via: 'in_process',
      outcome: { status: 'succeeded' },
    });
    await expect(runJobFromForm({ db, actor, form: { job: 'x' }, waitMs: 0 })).rejects.toMatchObject({
      code: 'bad_request',
    });
    run.set('dryRun', 'yes');
    await expect(runJobFromForm({ db, actor, form: run, waitMs: 0 })).rejects.toBeInstanceOf(ZodError);

    const settings = new FormData();
    for (const [field, value] of Object.entries({ ...DEFAULT_JOB_SETTINGS, operatorLogRetentionDays: 90 })) {
      settings.set(field, String(value));
    }
    expect(await saveJobSettingsFromForm({ db, actor, form: settings })).toEqual({
      ...DEFAULT_JOB_SETTINGS,
      operatorLogRetentionDays: 90,
    });
    settings.delete('jobRunRetentionDays');
    await expect(saveJobSettingsFromForm({ db, actor, form: settings })).rejects.toBeInstanceOf(ZodError);
    await settleBackgroundWork();
  });
});
