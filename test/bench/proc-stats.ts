/**
 * CPU time and peak memory of the bench's processes, read from /proc (Linux). On a machine
 * shared with other work, wall-clock throughput swings with the load; the CPU seconds a phase
 * cost the server and PostgreSQL do not, so the bench reports both.
 */
import fs from 'node:fs';
import path from 'node:path';

const TICKS_PER_SECOND = 100;

/** utime, stime, cutime, cstime of a process in seconds; null when it is gone or /proc is absent. */
function cpuOf(pid: number): { self: number; children: number } | null {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    // Fields after the command name (which may contain spaces) start at state, field 3.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const n = (i: number) => Number(fields[i - 3]) / TICKS_PER_SECOND;
    return { self: n(14) + n(15), children: n(16) + n(17) };
  } catch {
    return null;
  }
}

function childrenOf(pid: number): number[] {
  try {
    return fs
      .readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8')
      .trim()
      .split(/\s+/)
      .filter(Boolean)
      .map(Number);
  } catch {
    return [];
  }
}

/** CPU seconds a process has used so far (its own threads only). */
export function processCpuSeconds(pid: number): number {
  return cpuOf(pid)?.self ?? NaN;
}

/** Peak resident set size of a live process so far, in MiB (VmHWM). */
export function peakRssMiB(pid: number): number {
  try {
    const m = /VmHWM:\s+(\d+) kB/.exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Math.round(Number(m[1]) / 1024) : NaN;
  } catch {
    return NaN;
  }
}

/**
 * CPU seconds a PostgreSQL cluster has used so far: the postmaster, its live backends, and the
 * backends that have exited (counted in the postmaster's children times once reaped).
 */
export function clusterCpuSeconds(postmasterPid: number): number {
  const main = cpuOf(postmasterPid);
  if (!main) return NaN;
  let total = main.self + main.children;
  for (const child of childrenOf(postmasterPid)) total += cpuOf(child)?.self ?? 0;
  return total;
}

/** The postmaster of the cluster whose data directory this is (first line of postmaster.pid). */
export function postmasterPidOf(dataDirectory: string): number {
  try {
    return Number(
      fs.readFileSync(path.join(dataDirectory, 'postmaster.pid'), 'utf8').split('\n')[0],
    );
  } catch {
    return NaN;
  }
}
