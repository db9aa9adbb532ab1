/**
 * `/metrics`: every metric of one server as Prometheus families, read at
 * scrape time from the counters the server keeps. docs/operations.md lists
 * the same names with what each means.
 *
 * @example
 * ```ts
 * import { RelayServer } from "../relay_server.ts";
 * import { metricsText } from "./server_metrics_page.ts";
 * await using server = await RelayServer.start({ port: 0, udp: false });
 * console.assert(metricsText(server, { version: "0.1.0", node: "a" }).includes("switchboard_sessions 0"));
 * ```
 * @module
 */
import { ErrorCode } from "../../protocol/mod.ts";
import type { RelayServer } from "../relay_server.ts";
import {
  type EventLoopMonitor,
  type Histogram,
  IN_KIND_NAMES,
  OUT_KIND_NAMES,
  OUT_OTHER,
} from "../metrics/mod.ts";
import { DropReason } from "../udp/udp_stats.ts";
import {
  type HistogramFamily,
  type MetricFamily,
  renderPrometheus,
  type ScalarFamily,
} from "./prometheus_text.ts";
import { readTotals } from "./totals.ts";

/** What `/metrics` shows besides the server's own counters. */
export interface MetricsExtras {
  readonly version: string;
  readonly node: string;
  /** The event-loop delay, when it is being measured. */
  readonly eventLoop?: EventLoopMonitor;
  /** Admin requests refused for a missing or wrong token. */
  readonly unauthorized?: number;
}

/** The exposition text of `server`'s metrics now. */
export function metricsText(
  server: RelayServer,
  extras: MetricsExtras,
): string {
  return renderPrometheus(metricFamilies(server, extras));
}

/** Every family of `server`'s metrics now. */
export function metricFamilies(
  server: RelayServer,
  extras: MetricsExtras,
): MetricFamily[] {
  const ctx = server.ctx;
  const m = ctx.metrics;
  const t = readTotals(server);
  const udp = server.udpStats;
  const memory = Deno.memoryUsage();
  const gauge = (name: string, help: string, value: number): ScalarFamily => ({
    name: `switchboard_${name}`,
    help,
    type: "gauge",
    samples: [{ value }],
  });
  const counter = (
    name: string,
    help: string,
    value: number,
  ): ScalarFamily => ({
    name: `switchboard_${name}_total`,
    help,
    type: "counter",
    samples: [{ value }],
  });
  const byLabel = (
    name: string,
    help: string,
    label: string,
    values: Iterable<[string, number]>,
  ): ScalarFamily => ({
    name: `switchboard_${name}_total`,
    help,
    type: "counter",
    samples: [...values].map(([key, value]) => ({
      labels: { [label]: key },
      value,
    })),
  });
  const refusals = new Map<string, number>(
    Object.values(ErrorCode).map((code) => [code, 0]),
  );
  for (const [code, n] of m.refusals) refusals.set(code, n);
  const throttled = ctx.auth.throttled;
  const flow = server.flow.stats;
  const messages = m.messagesOut(server.connections);
  const families: MetricFamily[] = [
    {
      name: "switchboard_info",
      help: "Always 1; the labels say which build and node this is.",
      type: "gauge",
      samples: [{
        labels: { version: extras.version, node: extras.node },
        value: 1,
      }],
    },
    gauge(
      "start_time_seconds",
      "When the server started, in seconds since the Unix epoch.",
      server.startedAt / 1000,
    ),
    gauge(
      "accepting",
      "1 while the server accepts connections; 0 while draining or stopping.",
      server.accepting ? 1 : 0,
    ),
    gauge("connections", "Open connections, logged in or not.", t.connections),
    gauge("sessions", "Logged-in sessions.", t.sessions),
    gauge(
      "sessions_held",
      "Sessions held for their clients to resume (counted in sessions too).",
      t.sessionsHeld,
    ),
    gauge(
      "rooms",
      "Rooms that exist (declared rooms even when empty).",
      t.rooms,
    ),
    gauge("room_members", "Members of all rooms together.", t.members),
    gauge("udp_channels", "Sessions with an open UDP channel.", t.udpChannels),
    gauge(
      "outbound_queued_bytes",
      "Bytes queued for clients and not yet written, all connections together.",
      t.outboundQueuedBytes,
    ),
    gauge(
      "heap_used_bytes",
      "JavaScript heap in use.",
      memory.heapUsed,
    ),
    {
      name: "process_resident_memory_bytes",
      help: "Resident memory of the server process.",
      type: "gauge",
      samples: [{ value: memory.rss }],
    },
    counter(
      "connections_accepted",
      "Connections accepted (those refused at accept are in switchboard_refusals_total).",
      t.connectionsAccepted,
    ),
    byLabel(
      "lines_in",
      "Client lines received, by command.",
      "kind",
      IN_KIND_NAMES.map((kind, i) => [kind, m.linesIn[i]!]),
    ),
    byLabel(
      "bytes_in",
      "Bytes of client lines received (each with its newline), by command.",
      "kind",
      IN_KIND_NAMES.map((kind, i) => [kind, m.bytesIn[i]!]),
    ),
    byLabel(
      "lines_out",
      "Server lines queued for clients over TCP, by type (one per receiver).",
      "kind",
      outKinds(m.linesOut, messages.lines),
    ),
    byLabel(
      "bytes_out",
      "Bytes of server lines queued for clients over TCP, by type.",
      "kind",
      outKinds(m.bytesOut, messages.bytes),
    ),
    counter(
      "udp_datagrams_in",
      "UDP datagrams received, accepted or not.",
      udp?.datagramsIn ?? 0,
    ),
    counter(
      "udp_datagrams_out",
      "UDP datagrams sent: relayed messages and handshake answers.",
      udp?.datagramsOut ?? 0,
    ),
    counter(
      "udp_messages_out",
      "Relayed messages sent over UDP channels, one per receiver, packed or not.",
      udp?.messagesOut ?? 0,
    ),
    counter(
      "udp_messages_packed",
      "Relayed messages that shared a datagram with an earlier one: datagrams saved by packing.",
      udp?.messagesPacked ?? 0,
    ),
    byLabel(
      "udp_datagrams_dropped",
      "UDP datagrams (or lossy deliveries) dropped, by reason.",
      "reason",
      Object.values(DropReason).map((reason) => [
        reason,
        udp?.dropped[reason] ?? 0,
      ]),
    ),
    counter(
      "udp_tcp_fallbacks",
      "UDP-origin messages delivered over TCP to receivers without a channel.",
      udp?.tcpFallbacks ?? 0,
    ),
    counter(
      "rate_limit_delays",
      "Times a connection stopped reading because its line rate was used up (its lines wait; none is refused).",
      t.rateLimitDelays,
    ),
    counter(
      "flow_holds",
      "Times a sender stopped reading because a receiver of its lines was over the high-water mark.",
      t.flowHolds,
    ),
    counter(
      "flow_stalls",
      "Times a receiver made no progress for the hold time and stopped holding its senders back.",
      flow.stalls,
    ),
    byLabel(
      "slow_consumer_cuts",
      "Clients cut off for not reading: stalled (no progress for --stall-timeout), outbound-cap (--max-outbound-bytes), outbound-budget (--max-total-outbound-bytes).",
      "reason",
      [
        ["stalled", flow.stalledCuts],
        ["outbound-cap", flow.capCuts],
        ["outbound-budget", flow.budgetCuts],
      ],
    ),
    byLabel(
      "refusals",
      "Error lines (9:) sent, by code, including refusals at accept and sessions ended by the server.",
      "code",
      refusals,
    ),
    byLabel("logins", "Login attempts, by result.", "result", [
      ["ok", t.loginsOk],
      ["failed", t.loginsFailed],
      ["throttled", t.loginsThrottled],
    ]),
    counter(
      "login_delays",
      "Logins made to wait before their check (repeated failures).",
      throttled?.delayed ?? 0,
    ),
    counter("kicks", "Sessions ended by an administrator.", t.kicks),
    counter("rooms_closed", "Rooms closed by an administrator.", t.roomsClosed),
    counter(
      "notices",
      "Server notices (8:) sent, one per receiver.",
      t.notices,
    ),
    histogram(
      "relay_latency_seconds",
      "Time from a line's arrival to the write of its last recipient's bytes (one line in flight at a time is timed).",
      m.relayLatency,
    ),
  ];
  if (extras.unauthorized !== undefined) {
    families.push(counter(
      "admin_unauthorized",
      "Admin endpoint requests refused for a missing or wrong token.",
      extras.unauthorized,
    ));
  }
  if (extras.eventLoop !== undefined) {
    families.push(histogram(
      "event_loop_delay_seconds",
      "How late a 100 ms timer fires: the event loop's delay.",
      extras.eventLoop.delay,
    ));
  }
  return families;
}

/** By kind; messages are counted by the connections (`messages`). */
function outKinds(values: Float64Array, messages: number): [string, number][] {
  const out: [string, number][] = [];
  OUT_KIND_NAMES.forEach((kind, digit) => {
    if (kind !== null) {
      out.push([kind, kind === "message" ? messages : values[digit]!]);
    }
  });
  out.push(["other", values[OUT_OTHER]!]);
  return out;
}

function histogram(
  name: string,
  help: string,
  h: Histogram,
): HistogramFamily {
  return {
    name: `switchboard_${name}`,
    help,
    type: "histogram",
    bounds: h.bounds,
    series: [{ cumulative: h.cumulative(), sum: h.sum, count: h.count }],
  };
}
