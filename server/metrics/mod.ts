/**
 * What the server counts: traffic by kind, refusals by code, logins, the
 * relay latency and the event-loop delay. Plain numbers in the server
 * context; the admin endpoint (server/admin/) reads and renders them.
 *
 * @example
 * ```ts
 * import { ServerMetrics } from "./mod.ts";
 * const metrics = new ServerMetrics();
 * metrics.loginsOk++;
 * console.assert(metrics.relayLatency.count === 0);
 * ```
 * @module
 */
export { Histogram } from "./histogram.ts";
export {
  EVENT_LOOP_DELAY_BOUNDS,
  EventLoopMonitor,
} from "./event_loop_monitor.ts";
export { RelayProbe } from "./relay_probe.ts";
export {
  countIn,
  countOut,
  IN_KIND_NAMES,
  InKind,
  inKind,
  OUT_KIND_NAMES,
  OUT_OTHER,
  RELAY_LATENCY_BOUNDS,
  ServerMetrics,
  Traffic,
} from "./server_metrics.ts";
