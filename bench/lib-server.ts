import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

export const DIST_DIR = '.next-bench';
const NEXT_BIN = path.join('node_modules', 'next', 'dist', 'bin', 'next');
// `next build` rewrites these for its dist dir; the bench puts them back so the repo is unchanged.
const FILES_NEXT_REWRITES = ['tsconfig.json', 'next-env.d.ts'];

function run(command: string, args: string[], env: NodeJS.ProcessEnv): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { env, stdio: 'inherit' });
    child.on('error', reject);
    child.on('exit', (code, signal) =>
      code === 0
        ? resolve()
        : reject(new Error(`${command} ${args.join(' ')} exited with ${code ?? signal}`)),
    );
  });
}

// What a build is made of: a reused build older than any file here runs other code.
const SOURCE_DIRS = ['app', 'components', 'db', 'i18n', 'inngest', 'lib', 'messages', 'pages'];

function newerFiles(dir: string, than: number): string[] {
  if (!fs.existsSync(dir)) return [];
  return fs.readdirSync(dir, { withFileTypes: true, recursive: true }).flatMap((entry) => {
    const file = path.join(entry.parentPath, entry.name);
    return entry.isFile() && fs.statSync(file).mtimeMs > than ? [file] : [];
  });
}

/** `next build` into DIST_DIR, unless allowed to reuse an existing build. */
export async function buildApp(skipBuild: boolean): Promise<void> {
  const buildId = path.join(DIST_DIR, 'BUILD_ID');
  if (skipBuild && fs.existsSync(buildId)) {
    const built = fs.statSync(buildId).mtimeMs;
    const changed = SOURCE_DIRS.flatMap((dir) => newerFiles(dir, built)).slice(0, 3);
    console.log(
      `reusing the build in ${DIST_DIR}` +
        (changed.length > 0 ? ` — WARNING: older than ${changed.join(', ')}…: drop --skip-build` : ''),
    );
    return;
  }
  // next-env.d.ts is generated (and git-ignored): on a fresh clone it does not exist yet.
  const read = (file: string) => (fs.existsSync(file) ? fs.readFileSync(file, 'utf8') : null);
  const saved = FILES_NEXT_REWRITES.map((file) => ({ file, text: read(file) }));
  const restore = () => {
    for (const { file, text } of saved) {
      if (text === null) fs.rmSync(file, { force: true });
      else if (read(file) !== text) fs.writeFileSync(file, text);
    }
  };
  process.once('exit', restore); // also when Ctrl-C ends the bench mid-build
  const started = performance.now();
  try {
    await run(process.execPath, [NEXT_BIN, 'build'], {
      ...process.env,
      NEXT_DIST_DIR: DIST_DIR,
      NODE_ENV: 'production',
    });
  } finally {
    process.off('exit', restore);
    restore();
  }
  console.log(`build: ${((performance.now() - started) / 1000).toFixed(1)} s`);
}

export type Server = {
  pid: number;
  /** "next start" or "baseline server", for reports. */
  label: string;
  exited: () => boolean;
  /** Last lines the server printed, for error reports. */
  tail: () => string;
  stop: () => Promise<void>;
};

/**
 * Starts `next start` in its own process group so stop() ends the server and any children.
 * `nodeArgs` go to node itself (e.g. --cpu-prof, which NODE_OPTIONS does not accept).
 */
export function startServer(port: number, env: Record<string, string>, nodeArgs: string[] = []): Server {
  return startProcess('next start', [...nodeArgs, NEXT_BIN, 'start', '-p', String(port)], {
    ...env,
    NEXT_DIST_DIR: DIST_DIR,
    NODE_ENV: 'production',
  });
}

/**
 * Starts bench/baseline-server.ts (the bare Node + postgres.js ceiling) in its own process
 * group, in one node process: tsx is loaded as an import hook, so no wrapper process sits
 * between the bench and the server and the CPU meter sees the server alone.
 */
export function startBaselineServer(port: number, env: Record<string, string>): Server {
  return startProcess('baseline server', ['--import', 'tsx', path.join('bench', 'baseline-server.ts')], {
    ...env,
    PORT: String(port),
    NODE_ENV: 'production',
  });
}

function startProcess(label: string, args: string[], env: Record<string, string>): Server {
  const child: ChildProcess = spawn(process.execPath, args, {
    env: { ...process.env, ...env },
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const pid = child.pid;
  if (pid === undefined) throw new Error(`${label} did not spawn`);
  const lines: string[] = [];
  const keep = (chunk: Buffer) => {
    lines.push(...chunk.toString().split('\n').filter(Boolean));
    if (lines.length > 200) lines.splice(0, lines.length - 200);
  };
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  let exited = false;
  const exitedPromise = new Promise<void>((resolve) =>
    child.on('exit', () => {
      exited = true;
      resolve();
    }),
  );
  return {
    pid,
    label,
    exited: () => exited,
    tail: () => lines.slice(-60).join('\n'),
    stop: async () => {
      if (exited) return;
      try {
        process.kill(-pid, 'SIGTERM');
      } catch {
        return; // already gone
      }
      const timeout = new Promise<'timeout'>((resolve) => setTimeout(() => resolve('timeout'), 5000).unref());
      if ((await Promise.race([exitedPromise, timeout])) === 'timeout') {
        try {
          process.kill(-pid, 'SIGKILL');
        } catch {
          // already gone
        }
      }
    },
  };
}

export async function waitForHealth(baseUrl: string, server: Server | undefined, timeoutMs = 60_000) {
  const deadline = Date.now() + timeoutMs;
  let last = 'no answer';
  while (Date.now() < deadline && !server?.exited()) {
    try {
      const response = await fetch(`${baseUrl}/api/health`);
      if (response.status === 200) return;
      last = `HTTP ${response.status}: ${await response.text()}`;
    } catch (error) {
      last = error instanceof Error ? error.message : String(error);
    }
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  const tail = server ? `\nserver output:\n${server.tail()}` : '';
  throw new Error(`${baseUrl}/api/health not healthy after ${timeoutMs / 1000} s (${last})${tail}`);
}
