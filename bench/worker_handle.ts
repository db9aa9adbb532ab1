/**
 * The coordinator's side of one load-generating worker: posts commands,
 * awaits the worker's answers by type, keeps its latest counters.
 *
 * @example
 * ```ts
 * import { WorkerHandle } from "./worker_handle.ts";
 * const handle = new WorkerHandle();
 * handle.worker.terminate();
 * ```
 * @module
 */
import { BenchError } from "./bench_error.ts";
import type { Counters, FromWorker, ToWorker } from "./load_protocol.ts";

/** One worker thread of the load generator. */
export class WorkerHandle {
  readonly worker: Worker;
  latest: Counters = { sent: 0, delivered: 0, disconnects: 0 };
  #waiting = new Map<string, PromiseWithResolvers<FromWorker>>();
  #failure: Error | null = null;

  constructor() {
    this.worker = new Worker(new URL("./load_worker.ts", import.meta.url), {
      type: "module",
    });
    this.worker.onmessage = (event: MessageEvent<FromWorker>) => {
      const msg = event.data;
      if (msg.type === "error") {
        this.#failure = new BenchError(msg.message);
        for (const w of this.#waiting.values()) w.reject(this.#failure);
        return;
      }
      if (msg.type === "progress" || msg.type === "final") this.latest = msg;
      this.#waiting.get(msg.type)?.resolve(msg);
      this.#waiting.delete(msg.type);
    };
    this.worker.onerror = (event) => {
      event.preventDefault();
      this.#failure = new BenchError(`load worker failed: ${event.message}`);
      for (const w of this.#waiting.values()) w.reject(this.#failure);
    };
  }

  post(msg: ToWorker): void {
    this.worker.postMessage(msg);
  }

  next<T extends FromWorker["type"]>(
    type: T,
  ): Promise<Extract<FromWorker, { type: T }>> {
    if (this.#failure) return Promise.reject(this.#failure);
    const waiter = Promise.withResolvers<FromWorker>();
    this.#waiting.set(type, waiter);
    return waiter.promise as Promise<Extract<FromWorker, { type: T }>>;
  }
}
