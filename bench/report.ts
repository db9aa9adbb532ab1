/**
 * Formats bench results as a table for people.
 *
 * @example
 * ```ts
 * import { formatCount } from "./report.ts";
 * console.assert(formatCount(1_530_000) === "1.53M");
 * ```
 * @module
 */
import type { BenchResult } from "./runner.ts";

/** 1530000 -> "1.53M", 42000 -> "42.0k". */
export function formatCount(n: number): string {
  if (n >= 1e6) return `${(n / 1e6).toFixed(2)}M`;
  if (n >= 1e3) return `${(n / 1e3).toFixed(1)}k`;
  return n.toFixed(0);
}

/** A figure that was not measured (an idle run's rates, a remote server's CPU). */
export const NONE = "–";

function micros(us: number): string {
  return us >= 10_000 ? `${(us / 1000).toFixed(1)} ms` : `${Math.round(us)} µs`;
}

/** One row per result, with a header, columns aligned. */
export function formatTable(
  rows: { name: string; result: BenchResult }[],
): string {
  const header = [
    "scenario",
    "clients",
    "sent/s",
    "deliveries/s",
    "lost",
    "p50",
    "p99",
    "p99.9",
    "max",
    "server CPU",
    "gen CPU",
    "server RSS",
    "RSS/client",
  ];
  const lines = rows.map(({ name, result: r }) => {
    // An idle run sends nothing: its message and latency figures are not
    // zero but not measured, as the README's table shows them.
    const idle = r.pattern === "idle";
    const sent = (text: string) => idle ? NONE : text;
    const latency = (us: number) =>
      idle || r.latencyMicros.samples === 0 ? NONE : micros(us);
    return [
      name,
      `${r.clients}`,
      sent(formatCount(r.sentPerSecond)),
      sent(formatCount(r.deliveriesPerSecond)),
      sent(`${r.lost}${r.disconnects ? ` (${r.disconnects} cut)` : ""}`),
      latency(r.latencyMicros.p50),
      latency(r.latencyMicros.p99),
      latency(r.latencyMicros.p999),
      latency(r.latencyMicros.max),
      r.server && !idle ? `${r.server.cpuPercent.toFixed(0)}%` : NONE,
      idle ? NONE : `${r.generatorCpuPercent.toFixed(0)}%`,
      r.server ? `${(r.server.rssBytes / 2 ** 20).toFixed(0)} MiB` : NONE,
      r.server ? `${(r.server.rssPerClientBytes / 1024).toFixed(1)} KiB` : NONE,
    ];
  });
  return alignTable(header, lines);
}

/** `header` and `rows` as text columns, padded to the widest cell, with a rule. */
export function alignTable(header: string[], rows: string[][]): string {
  const widths = header.map((h, i) =>
    Math.max(h.length, ...rows.map((l) => l[i]!.length))
  );
  const format = (cells: string[]) =>
    cells.map((c, i) => c.padEnd(widths[i]!)).join("  ").trimEnd();
  return [
    format(header),
    format(widths.map((w) => "-".repeat(w))),
    ...rows.map(format),
  ].join("\n");
}
