import fs from 'node:fs';
import os from 'node:os';

const TICKS_PER_SECOND = 100; // USER_HZ on Linux

/**
 * User + system CPU seconds of the processes in a process group or a pid set (Linux /proc):
 * the server's group, or the Postgres backends serving the bench database.
 */
export function cpuSeconds(match: { pgid: number } | { pids: ReadonlySet<number> }): number {
  let ticks = 0;
  for (const entry of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    if ('pids' in match && !match.pids.has(Number(entry))) continue;
    let stat: string;
    try {
      stat = fs.readFileSync(`/proc/${entry}/stat`, 'utf8');
    } catch {
      continue; // exited meanwhile
    }
    // Fields after the parenthesised command name: state ppid pgrp … utime(12) stime(13).
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    if ('pgid' in match && Number(fields[2]) !== match.pgid) continue;
    ticks += Number(fields[11]) + Number(fields[12]);
  }
  return ticks / TICKS_PER_SECOND;
}

/** Busy and total jiffies of the whole machine, from /proc/stat. */
export function machineCpu(): { busy: number; total: number } {
  const line = fs.readFileSync('/proc/stat', 'utf8').split('\n')[0] ?? '';
  // user nice system idle iowait irq softirq steal (guest time is already part of user)
  const values = line.trim().split(/\s+/).slice(1, 9).map(Number);
  const total = values.reduce((a, b) => a + b, 0);
  const idle = (values[3] ?? 0) + (values[4] ?? 0);
  return { busy: total - idle, total };
}

export type CpuReport = {
  lines: string[];
  /** CPU ms per post of the server's process group and of the bench database's backends. */
  serverMs: number;
  postgresMs: number;
  /** Share of the machine busy over the load, and CPU seconds of other work meanwhile. */
  busyPercent: number;
  otherSeconds: number;
};

/**
 * Where the CPU went during the measured load: the server (its process group: `next start` or
 * the baseline server), the Postgres backends serving the bench database, this process, and
 * everything else on the machine (other users of these cores make the figures noisy; this line
 * shows how much).
 */
export function startCpuMeter(
  server: { pid: number; label: string },
  backendPidsBefore: ReadonlySet<number>,
) {
  const before = {
    machine: machineCpu(),
    client: process.cpuUsage(),
    server: cpuSeconds({ pgid: server.pid }),
    pg: cpuSeconds({ pids: backendPidsBefore }),
  };
  return {
    /**
     * Backends opened during the load count from zero, so pass the set as it is at the end.
     * `unit` names what `posts` counts in the printed lines (webhook updates, API requests).
     */
    report(
      seconds: number,
      posts: number,
      backendPidsAfter: ReadonlySet<number>,
      unit = 'update',
    ): CpuReport {
      const machine = machineCpu();
      const busy = machine.busy - before.machine.busy;
      const total = machine.total - before.machine.total;
      const serverCpu = cpuSeconds({ pgid: server.pid }) - before.server;
      const pg = cpuSeconds({ pids: backendPidsAfter }) - before.pg;
      const usage = process.cpuUsage(before.client);
      const client = (usage.user + usage.system) / 1e6;
      const other = busy / TICKS_PER_SECOND - serverCpu - pg - client;
      const busyPercent = (100 * busy) / Math.max(total, 1);
      const perPost = (cpu: number) =>
        `${cpu.toFixed(1)} s = ${((1000 * cpu) / posts).toFixed(2)} ms/${unit}`;
      return {
        lines: [
          `cpu over ${seconds.toFixed(1)} s: machine ${busyPercent.toFixed(0)}% busy ` +
            `of ${os.cpus().length} cores (load avg ${os.loadavg()[0]?.toFixed(1) ?? '?'})`,
          `  ${server.label} ${perPost(serverCpu)}`,
          `  postgres (${backendPidsAfter.size} backends) ${perPost(pg)}`,
          `  bench client ${perPost(client)}`,
          `  everything else ${other.toFixed(1)} s`,
        ],
        serverMs: (1000 * serverCpu) / posts,
        postgresMs: (1000 * pg) / posts,
        busyPercent,
        otherSeconds: other,
      };
    },
  };
}
