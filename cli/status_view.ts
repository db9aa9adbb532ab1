/**
 * What `switchboard status` prints, from the admin endpoint's `/status`:
 * the full view (header, totals, rates, a table of rooms), and the one-line
 * form `--watch` prints when its output is not a terminal. Pure.
 *
 * @example
 * ```ts ignore
 * import { statusLine, statusView } from "./status_view.ts";
 * console.log(statusView(report, rates, { width: 100, height: 30 }).join("\n"));
 * ```
 * @module
 */
import type { StatusReport } from "../server/mod.ts";
import { table } from "./admin_action.ts";

/** Per-second rates of the counters that have them. */
export interface Rates {
  readonly linesIn: number;
  readonly linesOut: number;
  readonly bytesIn: number;
  readonly bytesOut: number;
  readonly datagramsIn: number;
  readonly datagramsOut: number;
}

const RATE_KEYS = [
  "linesIn",
  "linesOut",
  "bytesIn",
  "bytesOut",
  "datagramsIn",
  "datagramsOut",
] as const;

/**
 * Rates between two reports of the same server (by their `now`), or the
 * server's own sampled rates when there is no earlier report.
 */
export function ratesBetween(
  before: StatusReport | null,
  after: StatusReport,
): Rates {
  const out: Record<string, number> = {};
  const seconds = before === null
    ? 0
    : (Date.parse(after.now) - Date.parse(before.now)) / 1000;
  for (const key of RATE_KEYS) {
    out[key] = before === null || seconds <= 0
      ? after.rates[key] ?? 0
      : Math.max(
        0,
        ((after.totals[key] as number) - (before.totals[key] as number)) /
          seconds,
      );
  }
  return out as unknown as Rates;
}

/** `1234567` -> `1.2M`. */
export function count(n: number): string {
  if (n >= 1e9) return `${(n / 1e9).toFixed(1)}G`;
  if (n >= 1e6) return `${(n / 1e6).toFixed(1)}M`;
  if (n >= 1e4) return `${(n / 1e3).toFixed(1)}k`;
  return String(Math.round(n));
}

/** `1536` -> `1.5 KiB`. */
export function bytes(n: number): string {
  if (n >= 2 ** 30) return `${(n / 2 ** 30).toFixed(1)} GiB`;
  if (n >= 2 ** 20) return `${(n / 2 ** 20).toFixed(1)} MiB`;
  if (n >= 2 ** 10) return `${(n / 2 ** 10).toFixed(1)} KiB`;
  return `${Math.round(n)} B`;
}

/** `3725` -> `1h 02m`. */
export function uptime(seconds: number): string {
  const s = Math.floor(seconds);
  const two = (n: number) => String(n).padStart(2, "0");
  const d = Math.floor(s / 86_400);
  const h = Math.floor((s % 86_400) / 3600);
  const m = Math.floor((s % 3600) / 60);
  if (d > 0) return `${d}d ${two(h)}h`;
  if (h > 0) return `${h}h ${two(m)}m`;
  return `${m}m ${two(s % 60)}s`;
}

function state(report: StatusReport): string {
  if (report.draining !== null) {
    return report.draining.result === null ? "DRAINING" : "drained";
  }
  return report.accepting ? "accepting" : "stopping";
}

/**
 * The full view, as lines: fits `width` columns, and with `height` the
 * rooms table is cut to fit (saying how many more there are).
 */
export function statusView(
  report: StatusReport,
  rates: Rates,
  size: { width: number; height?: number },
): string[] {
  const t = report.totals;
  const lines = [
    `switchboard ${report.node}  v${report.version}  up ${
      uptime(report.uptimeSeconds)
    }  tcp ${report.listen.tcp}${
      report.listen.udp === null ? "" : `  udp ${report.listen.udp}`
    }  ${state(report)}`,
    `connections ${t.connections}  sessions ${t.sessions}  rooms ${t.rooms}  members ${t.members}  udp channels ${t.udpChannels}  queued ${
      bytes(t.outboundQueuedBytes)
    }`,
    `lines/s in ${count(rates.linesIn)} out ${
      count(rates.linesOut)
    }  bytes/s in ${bytes(rates.bytesIn)} out ${
      bytes(rates.bytesOut)
    }  datagrams/s in ${count(rates.datagramsIn)} out ${
      count(rates.datagramsOut)
    }`,
    `refusals ${count(t.refusals)}  slow-consumer cuts ${
      count(t.slowConsumerCuts ?? 0)
    }  rate-limit delays ${count(t.rateLimitDelays ?? 0)}  logins ok ${
      count(t.loginsOk)
    } failed ${count(t.loginsFailed)} throttled ${count(t.loginsThrottled)}`,
    `event loop ${
      report.eventLoopDelay === null
        ? "-"
        : `mean ${report.eventLoopDelay.meanMs.toFixed(1)} ms max ${
          report.eventLoopDelay.maxMs.toFixed(1)
        } ms`
    }  relay latency mean ${report.relayLatency.meanMs.toFixed(2)} ms (${
      count(report.relayLatency.count)
    } timed)`,
  ];
  if (report.draining !== null && report.draining.result === null) {
    const left = Math.max(
      0,
      Math.ceil((report.draining.deadline - Date.parse(report.now)) / 1000),
    );
    lines.push(`draining: sessions still here in ${left} s are ended`);
  }
  lines.push("");
  if (report.rooms.length === 0) {
    lines.push("no rooms");
  } else {
    // Header, separator-free rows, and a line for what did not fit.
    const room = (i: number) => report.rooms[i]!;
    const fit = size.height === undefined
      ? report.rooms.length
      : Math.max(1, size.height - lines.length - 2);
    const shown = Math.min(fit, report.rooms.length);
    const rows = Array.from({ length: shown }, (_, i) => {
      const r = room(i);
      return [
        r.name,
        String(r.memberCount),
        r.master === null ? "" : String(r.master),
        r.members.map((m) => m.user === null ? `${m.id}` : `${m.id} ${m.user}`)
          .join(", "),
      ];
    });
    lines.push(
      ...table(["ROOM", "MEMBERS", "MASTER", "WHO"], rows).split("\n"),
    );
    const more = t.rooms - shown;
    if (more > 0) lines.push(`… ${more} more rooms`);
  }
  return lines.map((line) => clip(line, size.width));
}

/**
 * One line per interval for `--watch` when the output is not a terminal:
 * `key=value` pairs after an ISO time, easy to grep and plot.
 */
export function statusLine(report: StatusReport, rates: Rates): string {
  const t = report.totals;
  const r = (n: number) => String(Math.round(n));
  return [
    report.now,
    `state=${state(report)}`,
    `connections=${t.connections}`,
    `sessions=${t.sessions}`,
    `rooms=${t.rooms}`,
    `members=${t.members}`,
    `lines_in_s=${r(rates.linesIn)}`,
    `lines_out_s=${r(rates.linesOut)}`,
    `bytes_in_s=${r(rates.bytesIn)}`,
    `bytes_out_s=${r(rates.bytesOut)}`,
    `datagrams_in_s=${r(rates.datagramsIn)}`,
    `datagrams_out_s=${r(rates.datagramsOut)}`,
    `refusals=${t.refusals}`,
    `cuts=${t.slowConsumerCuts ?? 0}`,
    `queued_bytes=${t.outboundQueuedBytes}`,
  ].join(" ");
}

function clip(line: string, width: number): string {
  return line.length <= width
    ? line
    : line.slice(0, Math.max(1, width - 1)) + "…";
}
