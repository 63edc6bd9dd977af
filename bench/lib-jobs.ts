/** One scenario of `npm run bench:jobs` (bench/jobs.ts). */
export type JobScenario = {
  /** kebab-case: the `--scenarios` name. */
  name: string;
  /** One line: what is measured against which target. */
  what: string;
  /** Its own integer options (`--<name> N`), with their help and default. */
  options: Record<string, { help: string; default: number }>;
  run(context: JobScenarioContext): Promise<JobScenarioOutcome>;
};

export type JobScenarioContext = {
  /** A local Postgres database the scenario may empty and seed. */
  databaseUrl: string;
  /** How many measured runs. */
  rounds: number;
  /** The value of one of the scenario's own options. */
  option: (name: string) => number;
};

export type JobScenarioOutcome = {
  /** The report, printed as is. */
  lines: string[];
  /** False when the job's result was wrong (counts that do not match): the bench exits 1. */
  correct: boolean;
};
