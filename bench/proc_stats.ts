/**
 * CPU time and resident memory of a process, from Linux's /proc.
 *
 * @example
 * ```ts
 * import { readProcStats } from "./proc_stats.ts";
 * const stats = readProcStats(Deno.pid);
 * console.assert(stats === null || stats.rssBytes > 0);
 * ```
 * @module
 */

/** One reading of a process's counters. */
export interface ProcStats {
  /** User plus system CPU time, in seconds. */
  cpuSeconds: number;
  /** Resident set size, in bytes. */
  rssBytes: number;
  /** When it was read (ms, monotonic). */
  at: number;
}

const TICKS_PER_SECOND = 100;

/** Reads the counters of `pid`, or null where /proc is not available. */
export function readProcStats(pid: number): ProcStats | null {
  try {
    const stat = Deno.readTextFileSync(`/proc/${pid}/stat`);
    // Fields after the command name, which is in parentheses and may hold spaces.
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    const ticks = Number(fields[11]) + Number(fields[12]);
    const status = Deno.readTextFileSync(`/proc/${pid}/status`);
    const rssKb = Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0);
    return {
      cpuSeconds: ticks / TICKS_PER_SECOND,
      rssBytes: rssKb * 1024,
      at: performance.now(),
    };
  } catch {
    return null;
  }
}

/** CPU use between two readings, as a percentage of one core. */
export function cpuPercent(from: ProcStats, to: ProcStats): number {
  const seconds = (to.at - from.at) / 1000;
  return seconds > 0 ? (100 * (to.cpuSeconds - from.cpuSeconds)) / seconds : 0;
}
