/**
 * The admin endpoint: an HTTP server beside the relay with health and
 * readiness, Prometheus metrics, a status report, the operator's actions
 * (kick, close a room, notices, drain) and a dashboard. See
 * docs/operations.md, "Admin endpoint".
 *
 * @example
 * ```ts
 * import { RelayServer } from "../relay_server.ts";
 * import { AdminServer, AdminToken } from "./mod.ts";
 * await using relay = await RelayServer.start({ port: 0, udp: false });
 * await using admin = await AdminServer.start({
 *   server: relay,
 *   token: AdminToken.fromText("an-example-token-of-some-length", "example"),
 * });
 * console.assert(admin.url.startsWith("http://127.0.0.1:"));
 * ```
 * @module
 */
export {
  AdminActionError,
  AdminActions,
  type DrainOptions,
  type DrainResult,
  type DrainState,
  type KickTarget,
  MAX_NOTICE_BYTES,
} from "./admin_actions.ts";
export { AdminServer, type AdminServerOptions } from "./admin_server.ts";
export {
  ADMIN_TOKEN_ENV,
  AdminToken,
  AdminTokenError,
  MIN_TOKEN_LENGTH,
} from "./admin_token.ts";
export {
  type CheckResult,
  DEFAULT_CHECK_TIMEOUT_MS,
  type ReadinessCheck,
  type ReadinessResult,
  runReadiness,
  storeReadiness,
} from "./readiness.ts";
export {
  type HistogramFamily,
  type MetricFamily,
  PROMETHEUS_CONTENT_TYPE,
  renderPrometheus,
  type ScalarFamily,
} from "./prometheus_text.ts";
export { metricFamilies, metricsText } from "./server_metrics_page.ts";
export {
  type MemberReport,
  type RoomReport,
  type SessionReport,
  STATUS_LIST_DEFAULT,
  STATUS_LIST_MAX,
  type StatusReport,
  statusReport,
} from "./status_report.ts";
export { readTotals, type Totals } from "./totals.ts";
