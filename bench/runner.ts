/**
 * Runs one load test: starts (or targets) a server, spreads simulated
 * clients over worker threads, warms up, measures a window, drains, and
 * returns the figures.
 *
 * @example
 * ```ts
 * import { runBench } from "./runner.ts";
 * const result = await runBench({
 *   clients: 4, roomSize: 2, workers: 1, warmupMs: 100, durationMs: 300,
 *   config: { mode: 1, rate: 0, window: 4, payloadBytes: 100, pattern: "room" },
 * });
 * console.log(result.deliveriesPerSecond);
 * ```
 * @module
 */
import { Histogram } from "./histogram.ts";
import { BenchError } from "./bench_error.ts";
import { WorkerHandle } from "./worker_handle.ts";

export { BenchError } from "./bench_error.ts";
import type { ClientSpec, LoadConfig } from "./load_protocol.ts";
import { cpuPercent, type ProcStats, readProcStats } from "./proc_stats.ts";
import { startLocalServer } from "./local_server.ts";

/** What to run. */
export interface BenchOptions {
  /**
   * `host:port` of a running server, or several separated by commas (the
   * nodes of one deployment: clients are spread over them); a local server
   * is started when absent.
   */
  target?: string;
  /**
   * With several targets: `span` puts the members of each room on
   * different nodes (client i on node i mod n), `whole` keeps each room on
   * one node (room r on node r mod n). `span` by default.
   */
  spread?: "span" | "whole";
  /** The server's UDP port, when it differs from its TCP port. */
  udpPort?: number;
  /** Extra `serve` flags for the local server. */
  serverArgs?: string[];
  clients: number;
  roomSize: number;
  workers: number;
  warmupMs: number;
  durationMs: number;
  /** Longest wait for in-flight messages after sending stops. */
  drainMs?: number;
  config: LoadConfig;
  /** Called about twice a second while running. */
  onProgress?: (
    progress: {
      elapsedMs: number;
      sentPerSecond: number;
      deliveredPerSecond: number;
    },
  ) => void;
}

/** What a run measured. */
export interface BenchResult {
  clients: number;
  roomSize: number;
  pattern: LoadConfig["pattern"];
  mode: number;
  ratePerClient: number;
  payloadBytes: number;
  durationMs: number;
  sentPerSecond: number;
  deliveriesPerSecond: number;
  /** Deliveries expected for every message sent but never received, after the drain. */
  lost: number;
  disconnects: number;
  latencyMicros: {
    p50: number;
    p90: number;
    p99: number;
    p999: number;
    max: number;
    samples: number;
  };
  /** CPU % of one core used by this load generator (all its workers) during the window. */
  generatorCpuPercent: number;
  /** For a local server: CPU % of one core during the window, RSS at its end. */
  server:
    | { cpuPercent: number; rssBytes: number; rssPerClientBytes: number }
    | null;
}

function assign(
  options: BenchOptions,
  nodes: readonly [string, number][],
): ClientSpec[][] {
  const perWorker: ClientSpec[][] = Array.from(
    { length: options.workers },
    () => [],
  );
  const run = Math.random().toString(36).slice(2, 8);
  for (let index = 0; index < options.clients; index++) {
    const roomIndex = Math.floor(index / options.roomSize);
    const room = `bench-${run}-${roomIndex}`;
    const [host, port] = nodes[
      (options.spread === "whole" ? roomIndex : index) % nodes.length
    ]!;
    perWorker[index % options.workers]!.push({
      index,
      name: `b${run}-${index}`,
      room,
      ...(nodes.length > 1 ? { host, port, udpPort: port } : {}),
    });
  }
  return perWorker;
}

function recipientsPerMessage(options: BenchOptions): number {
  const { pattern, mode } = options.config;
  if (pattern === "pingpong") return 1;
  return mode === 0 || mode === 2 ? options.roomSize - 1 : options.roomSize;
}

const wait = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Runs one load test and returns what it measured. */
export async function runBench(options: BenchOptions): Promise<BenchResult> {
  let { config } = options;
  if (
    config.pattern === "room" && config.rate === 0 && config.mode !== 1 &&
    config.mode !== 3
  ) {
    throw new BenchError(
      "as-fast-as-possible runs need --mode 1 or 3 (senders pace on their own copies)",
    );
  }
  if (config.transport === "udp" && config.mode > 1) {
    throw new BenchError(
      "the ordered modes (2, 3) are refused over UDP: use --mode 0 or 1",
    );
  }
  if (config.pattern === "pingpong") {
    // Each side sends only to the other (3:0); the pinger times the round trip.
    config = { ...config, mode: 0 };
    options = { ...options, roomSize: 2, config };
  }
  if (options.clients % options.roomSize !== 0) {
    throw new BenchError(
      `--clients (${options.clients}) must be a multiple of the room size (${options.roomSize})`,
    );
  }
  const local = options.target
    ? null
    : await startLocalServer(options.serverArgs ?? []);
  const nodes: [string, number][] = options.target
    ? options.target.split(",").map(splitTarget)
    : [["127.0.0.1", local!.port]];
  const [host, port] = nodes[0]!;
  const handles = Array.from(
    { length: options.workers },
    () => new WorkerHandle(),
  );
  try {
    const before = local ? readProcStats(local.pid) : null;
    const specs = assign(options, nodes);
    await Promise.all(handles.map((h, i) => {
      const ready = h.next("ready");
      h.post({
        type: "setup",
        host,
        port,
        udpPort: options.udpPort ?? port,
        clients: specs[i]!,
        config,
      });
      return ready;
    }));
    const entered = local ? readProcStats(local.pid) : null;

    const total = () => {
      const sum = { sent: 0, delivered: 0, disconnects: 0 };
      for (const h of handles) {
        sum.sent += h.latest.sent;
        sum.delivered += h.latest.delivered;
        sum.disconnects += h.latest.disconnects;
      }
      return sum;
    };
    const started = performance.now();
    let last = { at: started, ...total() };
    const progress = setInterval(() => {
      const now = { at: performance.now(), ...total() };
      const seconds = (now.at - last.at) / 1000;
      options.onProgress?.({
        elapsedMs: now.at - started,
        sentPerSecond: (now.sent - last.sent) / seconds,
        deliveredPerSecond: (now.delivered - last.delivered) / seconds,
      });
      last = now;
    }, 500);

    for (const h of handles) h.post({ type: "go" });
    await wait(options.warmupMs);
    const windowStart: ProcStats | null = local
      ? readProcStats(local.pid)
      : null;
    const selfStart = readProcStats(Deno.pid);
    for (const h of handles) h.post({ type: "measure" });
    await wait(options.durationMs);
    const windows = await Promise.all(handles.map((h) => {
      const w = h.next("window");
      h.post({ type: "end-measure" });
      return w;
    }));
    const windowEnd: ProcStats | null = local ? readProcStats(local.pid) : null;
    const selfEnd = readProcStats(Deno.pid);
    for (const h of handles) h.post({ type: "stop" });

    // Drain: wait until every expected delivery arrived, or nothing moves.
    const perMessage = recipientsPerMessage(options);
    const drainUntil = performance.now() + (options.drainMs ?? 3_000);
    let previous = -1;
    while (performance.now() < drainUntil) {
      await wait(250);
      const now = total();
      const expected = options.config.pattern === "pingpong"
        ? now.sent
        : now.sent * perMessage;
      if (now.delivered >= expected || now.delivered === previous) break;
      previous = now.delivered;
    }
    clearInterval(progress);
    const finals = await Promise.all(handles.map((h) => {
      const f = h.next("final");
      h.post({ type: "final" });
      return f;
    }));

    const histogram = new Histogram();
    for (const w of windows) {
      const part = new Histogram(w.histogram);
      part.max = w.max;
      histogram.merge(part);
    }
    const seconds = options.durationMs / 1000;
    const sentInWindow = windows.reduce((n, w) => n + w.sent, 0);
    const deliveredInWindow = windows.reduce((n, w) => n + w.delivered, 0);
    const sentTotal = finals.reduce((n, f) => n + f.sent, 0);
    const deliveredTotal = finals.reduce((n, f) => n + f.delivered, 0);
    const expectedTotal = config.pattern === "pingpong"
      ? sentTotal
      : sentTotal * perMessage;
    return {
      clients: options.clients,
      roomSize: options.roomSize,
      pattern: config.pattern,
      mode: config.mode,
      ratePerClient: config.rate,
      payloadBytes: config.payloadBytes,
      durationMs: options.durationMs,
      sentPerSecond: sentInWindow / seconds,
      deliveriesPerSecond: deliveredInWindow / seconds,
      lost: Math.max(0, expectedTotal - deliveredTotal),
      disconnects: finals.reduce((n, f) => n + f.disconnects, 0),
      generatorCpuPercent: selfStart && selfEnd
        ? cpuPercent(selfStart, selfEnd)
        : 0,
      latencyMicros: {
        p50: histogram.percentile(50),
        p90: histogram.percentile(90),
        p99: histogram.percentile(99),
        p999: histogram.percentile(99.9),
        max: histogram.max,
        samples: histogram.total,
      },
      server: windowStart && windowEnd && before && entered
        ? {
          cpuPercent: cpuPercent(windowStart, windowEnd),
          rssBytes: windowEnd.rssBytes,
          rssPerClientBytes: (entered.rssBytes - before.rssBytes) /
            options.clients,
        }
        : null,
    };
  } finally {
    for (const h of handles) h.worker.terminate();
    await local?.stop();
  }
}

function splitTarget(target: string): [string, number] {
  const colon = target.lastIndexOf(":");
  const port = Number(target.slice(colon + 1));
  if (colon < 1 || !Number.isInteger(port) || port <= 0 || port > 65535) {
    throw new BenchError(`--target must be host:port, got ${target}`);
  }
  return [target.slice(0, colon), port];
}
