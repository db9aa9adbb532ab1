/**
 * `serve` runs the relay in a worker isolate whose young generation is
 * sized for what a relay keeps: many small, long-lived objects per
 * connection and little garbage per message.
 *
 * V8 sizes the main isolate's young generation for a browser tab: during a
 * burst of logins it grows the semi-spaces to 16 or 32 MB (how far depends
 * on the burst's timing) and keeps them. That alone swung the memory of
 * 5,000 idle connections between 8 and 12 KB each with plain `deno run`. A
 * program cannot change its own isolate's heap once it runs, and V8 flags
 * are the user's to pass; but it can give a worker its own limits
 * (`resourceLimits`). So the main thread starts the relay's worker, which
 * parses the command line and runs `serve` as before, and exits with the
 * worker's exit code. Signals reach the worker's own SIGINT and SIGTERM
 * listeners; standard output and error are the process's.
 *
 * The main thread costs about 15 MB once (a second, idle isolate); the
 * worker saves 3–6 KB on each connection. docs/design.md ("Memory per idle
 * client") has the measurements.
 *
 * @example
 * ```ts
 * import { servesInWorker } from "./relay_worker.ts";
 * console.assert(servesInWorker(["serve", "--port", "0"]));
 * console.assert(!servesInWorker(["connect"]));
 * ```
 * @module
 */
import { isMainThread, resourceLimits, Worker } from "node:worker_threads";
import { errorField } from "../server/logger.ts";

/**
 * The relay isolate's young generation, in MiB. V8 splits it into two
 * semi-spaces and the space for large new objects.
 */
export const RELAY_YOUNG_GENERATION_MB = 12;

/** What the relay's worker is given. */
export interface RelayWorkerData {
  /** The command line, as the process got it (`serve` first). */
  readonly args: readonly string[];
}

/**
 * Whether this command line runs in the relay's worker: a `serve` command,
 * started from the process's main thread.
 */
export function servesInWorker(args: readonly string[]): boolean {
  return isMainThread && args[0] === "serve";
}

/** The heap limits of the relay's isolate, as `serve` logs them. */
export interface RelayHeapFields {
  [field: string]: number;
  young_generation_mb: number;
  old_generation_mb: number;
}

/**
 * The heap limits V8 gave this worker (`server.heap` at start, so that an
 * operator sees them), or null outside the relay's worker.
 */
export function relayHeapFields(): RelayHeapFields | null {
  if (isMainThread) return null;
  return {
    young_generation_mb: resourceLimits.maxYoungGenerationSizeMb ?? 0,
    old_generation_mb: resourceLimits.maxOldGenerationSizeMb ?? 0,
  };
}

/**
 * Runs the command line `args` in the relay's worker, and exits the process
 * with the worker's exit code. Never returns.
 */
export function serveInWorker(args: readonly string[]): Promise<never> {
  const workerData: RelayWorkerData = { args };
  const worker = new Worker(
    new URL("./relay_worker_main.ts", import.meta.url),
    {
      workerData,
      resourceLimits: { maxYoungGenerationSizeMb: RELAY_YOUNG_GENERATION_MB },
    },
  );
  return new Promise<never>(() => {
    // What the relay's last resort (server/last_resort.ts) did not catch,
    // such as a module that does not load, ends the worker: said once, and
    // the process fails.
    worker.on("error", (error: unknown) => {
      console.error(
        `switchboard: the relay stopped on an error: ${
          errorField(error, true)
        }`,
      );
      Deno.exit(1);
    });
    worker.on("exit", (code: number) => Deno.exit(code));
  });
}
