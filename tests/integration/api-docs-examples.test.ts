// Every `curl` example of docs/api.md and of README's "API" section, run in order with the real
// curl binary (no shell: each command is split into arguments as a shell would) against the
// API's route handlers on a real HTTP server, on a small desk: each must answer the status its
// first line documents (`# 200 OK`). Examples may use only the variables below.
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { eq } from 'drizzle-orm';
import { parse } from 'shell-quote';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { clients } from '@/db/schema';
import { settleBackgroundWork } from '@/lib/background';
import { parseTokenCreateArgs, tokenCreate } from '@/scripts/token-create';
import { makeDepartment, makeOperator, textUpdate } from '../factories';
import { apiBaseUrl } from '../support/api-server';
import { getTestDb, resetDb } from '../support/db';
import { postUpdate } from '../support/webhook';

const root = path.resolve(import.meta.dirname, '../..');

type Example = {
  /** file:line of the code block, for the test's name. */
  where: string;
  status: number;
  /** One shell command per entry (continuation lines joined). */
  commands: string[];
};

/**
 * The ```sh blocks of `markdown` that run curl. Each must open with `# <status> …`; other lines
 * starting with # are comments. Blocks without curl (setting variables, npm commands) are
 * not examples.
 */
function curlExamples(markdown: string, file: string, firstLine = 1): Example[] {
  const examples: Example[] = [];
  for (const block of markdown.matchAll(/^ *```sh\n([\s\S]*?)^ *```$/gm)) {
    const body = block[1] ?? '';
    if (!/^\s*curl\s/m.test(body)) continue;
    const where = `${file}:${firstLine + markdown.slice(0, block.index).split('\n').length - 1}`;
    const lines = body
      .replace(/\\\n\s*/g, ' ')
      .split('\n')
      .map((l) => l.trim())
      .filter(Boolean);
    const status = /^#\s*(\d{3})\b/.exec(lines[0] ?? '')?.[1];
    if (!status) throw new Error(`${where}: a curl example must start with "# <status>"`);
    examples.push({ where, status: Number(status), commands: lines.filter((l) => !l.startsWith('#')) });
  }
  return examples;
}

/** README's "## API" section, and the line it starts on. */
function readmeApiSection(): { text: string; line: number } {
  const readme = fs.readFileSync(path.join(root, 'README.md'), 'utf8');
  const start = readme.indexOf('\n## API\n');
  if (start < 0) throw new Error('README.md has no "## API" section');
  const end = readme.indexOf('\n## ', start + 1);
  return {
    text: readme.slice(start + 1, end < 0 ? undefined : end + 1),
    line: readme.slice(0, start + 1).split('\n').length,
  };
}

const readme = readmeApiSection();
const examples = [
  ...curlExamples(readme.text, 'README.md', readme.line),
  ...curlExamples(fs.readFileSync(path.join(root, 'docs/api.md'), 'utf8'), 'docs/api.md'),
];

/** A command's arguments as a shell would pass them; anything needing a real shell is refused. */
function argvOf(command: string, variables: Record<string, string>, where: string): string[] {
  const argv: string[] = [];
  const entries = parse(command, (name) => {
    const value = variables[name];
    if (value === undefined) throw new Error(`${where}: unknown variable $${name}`);
    return value;
  });
  for (const entry of entries) {
    if (typeof entry === 'string') argv.push(entry);
    else if ('comment' in entry) break;
    else throw new Error(`${where}: "${JSON.stringify(entry)}" needs a shell; quote it or leave it out`);
  }
  if (argv[0] !== 'curl') throw new Error(`${where}: not a curl command: ${command}`);
  return argv;
}

type CurlRun = { exitCode: number; status: number; stdout: string; stderr: string };

const STATUS_MARK = /@@status=(\d{3})@@/;

/** Runs curl itself (execFile, no shell) in `cwd`, reporting the HTTP status on stderr. */
function runCurl(argv: string[], cwd: string): Promise<CurlRun> {
  const args = [...argv.slice(1), '--max-time', '30', '--write-out', '%{stderr}@@status=%{response_code}@@'];
  return new Promise((resolve) => {
    execFile('curl', args, { cwd, maxBuffer: 16 * 1024 * 1024 }, (error, stdout, stderr) => {
      const exitCode = error ? (typeof error.code === 'number' ? error.code : -1) : 0;
      resolve({ exitCode, status: Number(STATUS_MARK.exec(stderr)?.[1] ?? 0), stdout, stderr });
    });
  });
}

/** The file an example writes with -o / --output (not /dev/null), if any. */
function outputFile(argv: string[]): string | null {
  const at = argv.findIndex((a) => a === '-o' || a === '--output');
  const file = at >= 0 ? argv[at + 1] : undefined;
  return file && file !== '/dev/null' ? file : null;
}

describe('API examples in the docs', () => {
  let variables: Record<string, string>;
  let cwd: string;

  beforeAll(async () => {
    await settleBackgroundWork();
    const db = await getTestDb();
    await resetDb(db);
    const billing = await makeDepartment(db, { name: 'Billing', isDefault: true });
    await makeDepartment(db, { name: 'Delivery' });
    // Offline: the client below waits in Billing's queue until someone assigns them.
    const olga = await makeOperator(db, { name: 'Olga', status: 'offline', departmentIds: [billing.id] });
    await makeOperator(db, { name: 'Mark', status: 'offline', departmentIds: [billing.id] });
    expect(
      (await postUpdate(textUpdate({ id: 810_001, first_name: 'Erin' }, 'Where is my refund?'))).status,
    ).toBe(200);
    await settleBackgroundWork();
    const [client] = await db.select().from(clients).where(eq(clients.telegramUserId, 810_001));
    if (!client?.queuedAt) throw new Error('the example client is not queued');
    // The token as docs/api.md makes it.
    const { created } = await tokenCreate({
      db,
      args: parseTokenCreateArgs([
        '--role',
        'supervisor',
        '--department',
        'Billing',
        '--name',
        'Shop back office',
      ]),
    });
    cwd = fs.mkdtempSync(path.join(os.tmpdir(), 'api-docs-'));
    variables = {
      DESK_URL: (await apiBaseUrl()).replace(/\/api\/v1$/, ''),
      TOKEN: created.token,
      DEPARTMENT_ID: billing.id,
      CLIENT_ID: client.id,
      OPERATOR_ID: olga.id,
      TODAY: new Date().toISOString().slice(0, 10),
    };
  });

  afterAll(async () => {
    await settleBackgroundWork();
    if (cwd) fs.rmSync(cwd, { recursive: true, force: true });
  });

  it('show the everyday operations: the queue, assigning, sending, today’s log as CSV', () => {
    const text = examples.flatMap((e) => e.commands).join('\n');
    expect(examples.filter((e) => e.where.startsWith('README.md')).length).toBeGreaterThan(0);
    expect(text).toMatch(/\/clients\?department_id=\$DEPARTMENT_ID&unassigned=true/);
    expect(text).toMatch(/\/clients\/\$CLIENT_ID\/assign"/);
    expect(text).toMatch(/\/clients\/\$CLIENT_ID\/messages" .* -d /);
    expect(text).toMatch(/\/operator-logs\/export\.csv\?created_from=\$\{TODAY\}/);
  });

  for (const example of examples) {
    it(`${example.where} answers ${example.status}`, async () => {
      for (const command of example.commands) {
        const argv = argvOf(command, variables, example.where);
        const run = await runCurl(argv, cwd);
        const report = `${command}\n→ exit ${run.exitCode}, ${run.stderr}\n${run.stdout.slice(0, 500)}`;
        expect(run.status, report).toBe(example.status);
        expect(run.exitCode, report).toBe(0);
        const file = outputFile(argv);
        if (file) expect(fs.statSync(path.join(cwd, file)).size, report).toBeGreaterThan(0);
      }
    });
  }
});
