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
  const lines = rows.map(({ name, result: r }) => [
    name,
    `${r.clients}`,
    formatCount(r.sentPerSecond),
    formatCount(r.deliveriesPerSecond),
    `${r.lost}${r.disconnects ? ` (${r.disconnects} cut)` : ""}`,
    micros(r.latencyMicros.p50),
    micros(r.latencyMicros.p99),
    micros(r.latencyMicros.p999),
    micros(r.latencyMicros.max),
    r.server ? `${r.server.cpuPercent.toFixed(0)}%` : "-",
    `${r.generatorCpuPercent.toFixed(0)}%`,
    r.server ? `${(r.server.rssBytes / 2 ** 20).toFixed(0)} MiB` : "-",
    r.server ? `${(r.server.rssPerClientBytes / 1024).toFixed(1)} KiB` : "-",
  ]);
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
