/**
 * A load-generating worker: drives its share of simulated clients over TCP
 * and counts what they send and receive. Runs in a Worker so the generator
 * can use its own core.
 *
 * @example
 * ```ts
 * const worker = new Worker(new URL("./load_worker.ts", import.meta.url), { type: "module" });
 * worker.terminate();
 * ```
 * @module
 */
import { Histogram } from "./histogram.ts";
import { SimClient, type SimWorker } from "./sim_client.ts";
import type {
  Counters,
  FromWorker,
  LoadConfig,
  ToWorker,
} from "./load_protocol.ts";

const scope = globalThis as unknown as {
  onmessage: ((event: MessageEvent<ToWorker>) => void) | null;
  postMessage(message: FromWorker): void;
};

const TICK_MS = 5;

/** The state of one worker. */
class LoadWorker implements SimWorker {
  readonly clients: SimClient[] = [];
  readonly counters: Counters = { sent: 0, delivered: 0, disconnects: 0 };
  histogram = new Histogram();
  /** Counters when the measured window began. */
  baseline: Counters = { sent: 0, delivered: 0, disconnects: 0 };
  measuring = false;
  sending = false;
  closing = false;
  ticker: ReturnType<typeof setInterval> | undefined;
  progress: ReturnType<typeof setInterval> | undefined;

  constructor(readonly config: LoadConfig) {}

  start(): void {
    this.sending = true;
    const started = performance.now();
    for (const c of this.clients) c.start(started);
    const udpWindow = this.config.transport === "udp" && this.config.rate === 0;
    if (this.config.pattern === "room" && (this.config.rate > 0 || udpWindow)) {
      this.ticker = setInterval(() => {
        const now = performance.now();
        for (const c of this.clients) c.tick(now);
      }, TICK_MS);
    }
    this.progress = setInterval(
      () => scope.postMessage({ type: "progress", ...this.counters }),
      250,
    );
  }

  stop(): void {
    this.sending = false;
    clearInterval(this.ticker);
  }
}

let worker: LoadWorker | null = null;

scope.onmessage = async (event) => {
  const msg = event.data;
  try {
    switch (msg.type) {
      case "setup": {
        worker = new LoadWorker(msg.config);
        for (const spec of msg.clients) {
          worker.clients.push(
            new SimClient(
              worker,
              spec,
              spec.host ?? msg.host,
              spec.port ?? msg.port,
              spec.udpPort ?? msg.udpPort,
            ),
          );
        }
        // Enter in batches: a thousand simultaneous logins is a test of its own.
        for (let i = 0; i < worker.clients.length; i += 200) {
          await Promise.all(
            worker.clients.slice(i, i + 200).map((c) => c.enter()),
          );
        }
        scope.postMessage({ type: "ready" });
        break;
      }
      case "go":
        worker!.start();
        break;
      case "measure":
        worker!.histogram = new Histogram();
        worker!.baseline = { ...worker!.counters };
        worker!.measuring = true;
        break;
      case "end-measure": {
        const w = worker!;
        w.measuring = false;
        scope.postMessage({
          type: "window",
          sent: w.counters.sent - w.baseline.sent,
          delivered: w.counters.delivered - w.baseline.delivered,
          disconnects: w.counters.disconnects - w.baseline.disconnects,
          histogram: w.histogram.counts,
          max: w.histogram.max,
        });
        break;
      }
      case "stop":
        worker!.stop();
        break;
      case "final": {
        const w = worker!;
        clearInterval(w.progress);
        w.closing = true;
        scope.postMessage({ type: "final", ...w.counters });
        for (const c of w.clients) c.close();
        break;
      }
    }
  } catch (error) {
    scope.postMessage({
      type: "error",
      message: error instanceof Error ? error.message : String(error),
    });
  }
};
