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

/**
 * Where the CPU went during the measured load: the Next server (its process group), the
 * Postgres backends serving the bench database, this process, and everything else on the
 * machine (other users of these cores make the figures noisy; this line shows how much).
 */
export function startCpuMeter(serverPid: number, backendPidsBefore: ReadonlySet<number>) {
  const before = {
    machine: machineCpu(),
    client: process.cpuUsage(),
    server: cpuSeconds({ pgid: serverPid }),
    pg: cpuSeconds({ pids: backendPidsBefore }),
  };
  return {
    /** Backends opened during the load count from zero, so pass the set as it is at the end. */
    report(seconds: number, updates: number, backendPidsAfter: ReadonlySet<number>): string[] {
      const machine = machineCpu();
      const busy = machine.busy - before.machine.busy;
      const total = machine.total - before.machine.total;
      const server = cpuSeconds({ pgid: serverPid }) - before.server;
      const pg = cpuSeconds({ pids: backendPidsAfter }) - before.pg;
      const usage = process.cpuUsage(before.client);
      const client = (usage.user + usage.system) / 1e6;
      const perUpdate = (cpu: number) =>
        `${cpu.toFixed(1)} s = ${((1000 * cpu) / updates).toFixed(2)} ms/update`;
      return [
        `cpu over ${seconds.toFixed(1)} s: machine ${((100 * busy) / Math.max(total, 1)).toFixed(0)}% busy ` +
          `of ${os.cpus().length} cores (load avg ${os.loadavg()[0]?.toFixed(1) ?? '?'})`,
        `  next server ${perUpdate(server)}`,
        `  postgres (${backendPidsAfter.size} backends) ${perUpdate(pg)}`,
        `  bench client ${perUpdate(client)}`,
        `  everything else ${(busy / TICKS_PER_SECOND - server - pg - client).toFixed(1)} s`,
      ];
    },
  };
}
