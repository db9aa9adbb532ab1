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
import { program } from "./main.ts";
import type { RelayWorkerData } from "./relay_worker.ts";

const { args } = workerData as RelayWorkerData;
await program().parseAsync([...args], { from: "user" });
