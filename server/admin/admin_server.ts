/**
 * The admin HTTP endpoint: `/healthz` (open), and behind the bearer token
 * `/readyz`, `/metrics`, `/status`, `/history` and the actions; the
 * dashboard's static files at `/`. Bound to 127.0.0.1 unless told
 * otherwise; see docs/operations.md, "Admin endpoint".
 *
 * @example
 * ```ts
 * import { RelayServer } from "../relay_server.ts";
 * import { AdminServer } from "./admin_server.ts";
 * import { AdminToken } from "./admin_token.ts";
 * await using relay = await RelayServer.start({ port: 0, udp: false });
 * await using admin = await AdminServer.start({
 *   server: relay,
 *   token: AdminToken.fromText("an-example-token-of-some-length", "example"),
 * });
 * const health = await fetch(`${admin.url}/healthz`);
 * console.assert(health.status === 200 && (await health.text()) === "ok\n");
 * ```
 * @module
 */
import { createLogger, type Logger } from "../logger.ts";
import { EventLoopMonitor } from "../metrics/mod.ts";
import type { RelayServer } from "../relay_server.ts";
import { VERSION } from "../version.ts";
import { actionRoutes, runAction } from "./action_routes.ts";
import { AdminActions } from "./admin_actions.ts";
import type { AdminToken } from "./admin_token.ts";
import {
  DASHBOARD_CSP,
  loadDashboard,
  type StaticFile,
} from "./dashboard_files.ts";
import {
  BodyError,
  COMMON_HEADERS,
  failure,
  json,
  readJsonObject,
  text,
} from "./http_replies.ts";
import { PROMETHEUS_CONTENT_TYPE } from "./prometheus_text.ts";
import { RateHistory } from "./rate_history.ts";
import { type ReadinessCheck, runReadiness } from "./readiness.ts";
import { metricsText } from "./server_metrics_page.ts";
import {
  STATUS_LIST_DEFAULT,
  STATUS_LIST_MAX,
  statusReport,
} from "./status_report.ts";
import { readTotals } from "./totals.ts";

/** Options of {@linkcode AdminServer.start}; `server` and `token` are required. */
export interface AdminServerOptions {
  /** The relay server to show and act on. */
  readonly server: RelayServer;
  /** What requests must present as `Authorization: Bearer <token>`. */
  readonly token: AdminToken;
  /** `127.0.0.1` by default. */
  readonly hostname?: string;
  /** 0 (the default) picks a free port. */
  readonly port?: number;
  /** Checked by `/readyz`; more may be pushed to {@linkcode AdminServer.readiness}. */
  readonly readiness?: readonly ReadinessCheck[];
  /** Nowhere by default. */
  readonly logger?: Logger;
  /**
   * Names this server in `/status` and `/metrics`; the host name by
   * default. A function is asked on each request (a node id may change).
   */
  readonly node?: string | (() => string);
  /** Stops the process gracefully; a drain that asks for it calls it when done. */
  readonly stop?: () => void;
  /** How often the rate history samples (ms); 1000 by default. */
  readonly historyIntervalMs?: number;
  /** How long one readiness check may take (ms); 2000 by default. */
  readonly readinessTimeoutMs?: number;
}

/** Refused requests are logged at most this often, with a count. */
const REFUSAL_LOG_MS = 10_000;

/** A running admin endpoint. */
export class AdminServer implements AsyncDisposable {
  /** The operator's actions on the relay server. */
  readonly actions: AdminActions;
  /** Checked by `/readyz`, in order; add a check here (e.g. Redis). */
  readonly readiness: ReadinessCheck[];
  /** Requests refused for a missing or wrong token. */
  unauthorized = 0;
  readonly #options: AdminServerOptions;
  readonly #logger: Logger;
  readonly #node: () => string;
  readonly #files: Map<string, StaticFile>;
  readonly #history: RateHistory;
  readonly #eventLoop: EventLoopMonitor;
  #http: Deno.HttpServer<Deno.NetAddr> | null = null;
  #closing: Promise<void> | null = null;
  #refusalsLogged = { at: -Infinity, unlogged: 0 };

  private constructor(
    options: AdminServerOptions,
    files: Map<string, StaticFile>,
  ) {
    this.#options = options;
    this.#logger = options.logger ?? createLogger({ level: "silent" });
    const node = options.node ?? Deno.hostname();
    this.#node = typeof node === "string" ? () => node : node;
    this.#files = files;
    this.actions = new AdminActions(options.server);
    this.readiness = [...(options.readiness ?? [])];
    this.#eventLoop = new EventLoopMonitor();
    this.#history = new RateHistory(() => {
      const t = readTotals(options.server);
      return {
        linesIn: t.linesIn,
        linesOut: t.linesOut,
        bytesIn: t.bytesIn,
        bytesOut: t.bytesOut,
        datagramsIn: t.datagramsIn,
        datagramsOut: t.datagramsOut,
        datagramsDropped: t.datagramsDropped,
        refusals: t.refusals,
        cuts: t.slowConsumerCuts,
        connections: t.connections,
        sessions: t.sessions,
        rooms: t.rooms,
      };
    }, { intervalMs: options.historyIntervalMs });
  }

  /** Starts the endpoint; resolves once it listens. */
  static async start(options: AdminServerOptions): Promise<AdminServer> {
    const admin = new AdminServer(options, await loadDashboard());
    const listening = Promise.withResolvers<void>();
    try {
      admin.#http = Deno.serve({
        hostname: options.hostname ?? "127.0.0.1",
        port: options.port ?? 0,
        onListen: () => listening.resolve(),
        onError: (error) => {
          admin.#logger.error("admin.error", { error: String(error) });
          return failure(500, "internal", "internal error");
        },
      }, (request, info) => admin.#handle(request, info));
    } catch (error) {
      admin.#eventLoop.stop();
      throw error;
    }
    await listening.promise;
    admin.#history.start();
    const loopback = /^(127\.|::1$|localhost$)/.test(admin.hostname);
    admin.#logger[loopback ? "info" : "warn"]("admin.listen", {
      url: admin.url,
      loopback,
    });
    return admin;
  }

  /** The address it listens on. */
  get hostname(): string {
    return this.#http?.addr.hostname ?? "";
  }

  /** The port it listens on. */
  get port(): number {
    return this.#http?.addr.port ?? 0;
  }

  /** `http://host:port`, as the ready line shows it. */
  get url(): string {
    const host = this.hostname.includes(":")
      ? `[${this.hostname}]`
      : this.hostname;
    return `http://${host}:${this.port}`;
  }

  async #handle(
    request: Request,
    info: Deno.ServeHandlerInfo<Deno.NetAddr>,
  ): Promise<Response> {
    const url = new URL(request.url);
    const path = url.pathname;
    const file = this.#files.get(path);
    if (file !== undefined && request.method === "GET") {
      return new Response(file.body as BodyInit, {
        headers: {
          ...COMMON_HEADERS,
          "content-type": file.type,
          "content-security-policy": DASHBOARD_CSP,
        },
      });
    }
    if (path === "/healthz") return this.#health();
    if (!this.#options.token.matches(request.headers.get("authorization"))) {
      this.#refused(info.remoteAddr, path);
      return failure(
        401,
        "unauthorized",
        "send Authorization: Bearer <token>",
        {
          "www-authenticate": 'Bearer realm="switchboard"',
        },
      );
    }
    const action = actionRoutes[path];
    if (action !== undefined) {
      if (request.method !== "POST") return notAllowed("POST");
      let body: Record<string, unknown>;
      try {
        body = await readJsonObject(request);
      } catch (error) {
        if (!(error instanceof BodyError)) throw error;
        return failure(error.status, "bad-body", error.message);
      }
      return await runAction(action, body, {
        actions: this.actions,
        stop: this.#options.stop,
      });
    }
    if (request.method !== "GET") return notAllowed("GET");
    switch (path) {
      case "/readyz":
        return await this.#ready();
      case "/metrics":
        return text(
          200,
          metricsText(this.#options.server, {
            version: VERSION,
            node: this.#node(),
            eventLoop: this.#eventLoop,
            unauthorized: this.unauthorized,
          }),
          PROMETHEUS_CONTENT_TYPE,
        );
      case "/status":
        return this.#status(url);
      case "/history":
        return json(200, {
          intervalMs: this.#history.intervalMs,
          samples: this.#history.samples(),
        });
      default:
        return failure(404, "not-found", `no ${path} here`);
    }
  }

  /** 200 `ok` while accepting connections; 503 `draining` or `stopping` otherwise. */
  #health(): Response {
    if (this.#options.server.accepting) return text(200, "ok\n");
    return text(
      503,
      this.actions.draining === null ? "stopping\n" : "draining\n",
    );
  }

  async #ready(): Promise<Response> {
    const result = await runReadiness(
      this.readiness,
      this.#options.readinessTimeoutMs,
    );
    const accepting = this.#options.server.accepting;
    const ready = result.ready && accepting;
    if (!ready) {
      this.#logger.warn("admin.not_ready", {
        accepting,
        failed: result.checks.filter((c) => !c.ok).map((c) => c.name).join(","),
      });
    }
    return json(ready ? 200 : 503, { ready, accepting, checks: result.checks });
  }

  #status(url: URL): Response {
    const count = (name: string): number | Response => {
      const raw = url.searchParams.get(name);
      if (raw === null) return STATUS_LIST_DEFAULT;
      const n = Number(raw);
      if (!/^\d+$/.test(raw) || n > STATUS_LIST_MAX) {
        return failure(
          400,
          "invalid",
          `${name} must be a whole number from 0 to ${STATUS_LIST_MAX}`,
        );
      }
      return n;
    };
    const maxRooms = count("rooms");
    if (maxRooms instanceof Response) return maxRooms;
    const maxSessions = count("sessions");
    if (maxSessions instanceof Response) return maxSessions;
    return json(
      200,
      statusReport(this.#options.server, {
        version: VERSION,
        node: this.#node(),
        draining: this.actions.draining,
        rates: this.#history.rates(),
        eventLoop: this.#eventLoop,
        maxRooms,
        maxSessions,
      }),
    );
  }

  #refused(remote: Deno.NetAddr, path: string): void {
    this.unauthorized++;
    const log = this.#refusalsLogged;
    const now = performance.now();
    if (now - log.at < REFUSAL_LOG_MS) {
      log.unlogged++;
      return;
    }
    // The token given, right or wrong, is never logged.
    this.#logger.warn("admin.unauthorized", {
      remote: `${remote.hostname}:${remote.port}`,
      path,
      since_last: log.unlogged,
    });
    log.at = now;
    log.unlogged = 0;
  }

  /** Stops listening (requests in progress are answered) and sampling. */
  close(): Promise<void> {
    this.#closing ??= (async () => {
      this.#history.stop();
      this.#eventLoop.stop();
      await this.#http?.shutdown();
    })();
    return this.#closing;
  }

  async [Symbol.asyncDispose](): Promise<void> {
    await this.close();
  }
}

function notAllowed(allow: string): Response {
  return failure(405, "method-not-allowed", `use ${allow}`, { allow });
}
