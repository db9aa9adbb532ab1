/**
 * The relay worker's entry (see relay_worker.ts): parses the command line
 * the main thread passed, and runs it here.
 *
 * @example
 * ```ts
 * // Started by serveInWorker, never imported.
 * ```
 * @module
 */
import { workerData } from "node:worker_threads";
import { errorField } from "../server/logger.ts";
import { program } from "./program.ts";
import type { RelayWorkerData } from "./relay_worker.ts";

const { args } = workerData as RelayWorkerData;
try {
  await program().parseAsync([...args], { from: "user" });
} catch (error) {
  // A fault while the relay starts: said, and the process fails (the last
  // resort, installed by then, would only log it and let the worker end).
  console.error(
    `switchboard: the relay failed to start: ${errorField(error, true)}`,
  );
  Deno.exit(1);
}
