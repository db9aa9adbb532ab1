/**
 * The error of a bench run that cannot be carried out (bad settings, a worker
 * that failed, a server that would not start).
 *
 * @example
 * ```ts
 * import { BenchError } from "./bench_error.ts";
 * console.assert(new BenchError("x").code === "bench-failed");
 * ```
 * @module
 */

/** Raised when a run cannot be carried out. */
export class BenchError extends Error {
  readonly code = "bench-failed";
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = "BenchError";
  }
}
