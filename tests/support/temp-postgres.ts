import { execFile } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

/**
 * The directory of the newest installed PostgreSQL server binaries (initdb, pg_ctl), or null.
 * Looks at Debian's /usr/lib/postgresql/<version>/bin, then `pg_config --bindir`.
 */
export function findPostgresBinDir(): string | null {
  const debian = '/usr/lib/postgresql';
  if (fs.existsSync(debian)) {
    const versions = fs
      .readdirSync(debian)
      .filter((v) => /^\d+$/.test(v))
      .sort((a, b) => Number(b) - Number(a));
    for (const version of versions) {
      const bin = path.join(debian, version, 'bin');
      if (fs.existsSync(path.join(bin, 'initdb')) && fs.existsSync(path.join(bin, 'pg_ctl'))) return bin;
    }
  }
  for (const dir of (process.env.PATH ?? '').split(path.delimiter)) {
    if (dir && fs.existsSync(path.join(dir, 'initdb')) && fs.existsSync(path.join(dir, 'pg_ctl'))) return dir;
  }
  return null;
}

export type TempPostgres = {
  /** postgres://postgres@127.0.0.1:<port>/postgres (trust authentication, this machine only). */
  url: string;
  port: number;
  /** `pg_ctl restart -m <mode>`: fast = clean shutdown, immediate = crash and WAL recovery. */
  restart: (mode: 'fast' | 'immediate') => Promise<void>;
  /** Stops the server and deletes its directory. */
  destroy: () => Promise<void>;
  /** The server's own log (startup, shutdown, recovery). */
  log: () => string;
};

/** A TCP port nobody listens on right now. */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

/**
 * A throwaway PostgreSQL cluster: initdb into a temp directory, started with pg_ctl on a spare
 * port of 127.0.0.1, so tests can restart or crash it without touching any shared server.
 * Postgres refuses to run as root: as root, every command runs as the `postgres` OS user, who
 * then owns the directory.
 */
export async function startTempPostgres(binDir: string): Promise<TempPostgres> {
  const asRoot = process.getuid?.() === 0;
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'desk-pg-'));
  if (asRoot) {
    const { stdout } = await run('id', ['-u', 'postgres']);
    const { stdout: gid } = await run('id', ['-g', 'postgres']);
    fs.chownSync(dir, Number(stdout.trim()), Number(gid.trim()));
  }
  const pg = (tool: string, args: string[]) =>
    asRoot
      ? run('runuser', ['-u', 'postgres', '--', path.join(binDir, tool), ...args], { timeout: 60_000 })
      : run(path.join(binDir, tool), args, { timeout: 60_000 });

  const data = path.join(dir, 'data');
  const logFile = path.join(dir, 'server.log');
  const port = await freePort();
  await pg('initdb', ['-D', data, '-U', 'postgres', '-A', 'trust', '--no-sync', '-E', 'UTF8']);
  // Options go to postgresql.conf, so `pg_ctl restart` starts the server the same way.
  fs.appendFileSync(
    path.join(data, 'postgresql.conf'),
    [
      `port = ${port}`,
      `listen_addresses = '127.0.0.1'`,
      `unix_socket_directories = '${dir}'`,
      // A crash (immediate restart) still keeps every commit: the WAL reached the kernel, which
      // does not crash here. fsync only guards against losing the machine itself.
      'fsync = off',
      'max_connections = 50',
      '',
    ].join('\n'),
  );
  const ctl = (args: string[]) => pg('pg_ctl', ['-D', data, '-l', logFile, '-w', '-t', '60', ...args]);
  await ctl(['start']);

  return {
    url: `postgres://postgres@127.0.0.1:${port}/postgres`,
    port,
    restart: async (mode) => {
      await ctl(['restart', '-m', mode]);
    },
    destroy: async () => {
      await ctl(['stop', '-m', 'immediate']).catch(() => undefined);
      fs.rmSync(dir, { recursive: true, force: true });
    },
    log: () => (fs.existsSync(logFile) ? fs.readFileSync(logFile, 'utf8') : ''),
  };
}
