// The `daily-report` scenario of `npm run bench:jobs`: one department-day of 1,000,000 messages
// (and another department's messages at the same instants) reported, against a same-run baseline
// that only counts the day's messages (bench/lib-jobs-daily-report.ts).
import { benchDailyReport } from './lib-jobs-daily-report';
import type { JobScenario } from './lib-jobs';

/** The daily report's target per department-day (the jobs issue). */
const TARGET_MS = 2_000;

const stats = (ms: number[]) => {
  const sorted = [...ms].sort((a, b) => a - b);
  return { median: sorted[Math.floor(sorted.length / 2)] ?? NaN, max: sorted[sorted.length - 1] ?? NaN };
};
const f = (ms: number) => `${ms.toFixed(0)} ms`;

export const dailyReportScenario: JobScenario = {
  name: 'daily-report',
  what: `daily-report over one department-day of 1,000,000 messages — target ≤ ${TARGET_MS / 1000} s per department-day`,
  options: {
    'report-messages': { help: 'messages in the reported department-day', default: 1_000_000 },
    'report-other': { help: "another department's messages at the same instants", default: 250_000 },
    'report-clients': { help: 'clients (episodes) of the department that day', default: 50_000 },
  },
  async run({ databaseUrl, rounds, option }) {
    const messages = option('report-messages');
    const result = await benchDailyReport({
      url: databaseUrl,
      messages,
      otherMessages: option('report-other'),
      clients: option('report-clients'),
      runs: Math.max(rounds, 5),
    });
    const baseline = stats(result.baselineMs);
    const report = stats(result.reportMs);
    const operator = stats(result.operatorStatsMs);
    const countsOk = JSON.stringify(result.figures) === JSON.stringify(result.expected);
    return {
      correct: countsOk,
      lines: [
        `  ${messages.toLocaleString('en')} messages in ${result.timeZone}'s ${result.day} · seed ${result.seedSeconds.toFixed(1)} s`,
        `  baseline (count the day)      median ${f(baseline.median)}, max ${f(baseline.max)}`,
        `  report of the department-day  median ${f(report.median)}, max ${f(report.max)} · ${(report.median / baseline.median).toFixed(1)}× baseline`,
        `  one operator's day            median ${f(operator.median)}, max ${f(operator.max)}`,
        `  daily-report job, 2 depts     ${f(result.jobMs)}`,
        `  counts ${countsOk ? 'match' : 'DIFFER'}: ${JSON.stringify(result.figures)}${countsOk ? '' : ` expected ${JSON.stringify(result.expected)}`}`,
        `  ${report.max <= TARGET_MS ? 'PASS' : 'MISS'}: worst ${f(report.max)} against ≤ ${f(TARGET_MS)}`,
      ],
    };
  },
};
