/**
 * `serve` runs the relay in a worker isolate whose young generation is
 * sized for what a relay keeps: many small, long-lived objects per
 * connection and little garbage per message.
 *
 * V8 sizes the young generation of the main isolate for a browser tab:
 * during a burst of logins it grows the semi-spaces to 16 MB or 32 MB (how
 * far depends on the burst's timing), and keeps them. That alone swung the
 * memory of 5,000 idle connections between 8 and 12 KB each with plain
 * `deno run`. A program cannot change its own isolate's heap limits once it
 * runs, but it can give a worker its own (`resourceLimits`), so the main
 * thread only starts the relay's worker and exits with its exit code.
 * Signals, standard output and the exit code behave as before: the worker
 * listens for SIGINT and SIGTERM itself and ends with `Deno.exit`.
 *
 * docs/design.md ("Memory per idle client") has the measurements.
 *
 * @example
 * ```ts
 * import { RELAY_YOUNG_GENERATION_MB } from "./relay_worker.ts";
 * console.assert(RELAY_YOUNG_GENERATION_MB > 0);
 * ```
 * @module
 */
import { isMainThread, Worker } from "node:worker_threads";
import { errorText } from "./cli_error.ts";

/**
 * The relay isolate's young generation, in MiB: semi-spaces of about 4 MB,
 * as `--v8-flags=--max-semi-space-size=4` would set (which `deno task
 * serve` used to pass).
 */
export const RELAY_YOUNG_GENERATION_MB = 12;

/** What the relay's worker is given. */
export interface RelayWorkerData {
  /** The command line, as the main thread got it (`serve` first). */
  readonly args: readonly string[];
}

/** True in the relay's worker; false in the process's main thread. */
export function inRelayWorker(): boolean {
  return !isMainThread;
}

/**
 * Runs the command line `args` (a `serve` command) in the relay's worker,
 * and exits the process with the worker's exit code. Never returns.
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
    // An error the relay's own last resort did not catch ends the worker;
    // it is said here, once, and the process fails.
    worker.on("error", (error: unknown) => {
      console.error(
        errorText(
          `the relay stopped on an error: ${
            error instanceof Error ? error.stack ?? error.message : error
          }`,
          "this is a bug; please report it with the lines above",
        ),
      );
      Deno.exit(1);
    });
    worker.on("exit", (code: number) => Deno.exit(code));
  });
}
