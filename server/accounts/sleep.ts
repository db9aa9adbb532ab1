/**
 * A wait that ends early when `signal` aborts (the server is closing), so
 * that throttled attempts hold no timer past the server's life.
 *
 * @example
 * ```ts
 * import { sleep } from "./sleep.ts";
 * const stop = new AbortController();
 * const waiting = sleep(60_000, stop.signal);
 * stop.abort();
 * await waiting; // at once
 * ```
 * @module
 */

/** Resolves after `ms`, or as soon as `signal` aborts. */
export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  if (signal?.aborted) return Promise.resolve();
  return new Promise((resolve) => {
    const done = () => {
      clearTimeout(timer);
      signal?.removeEventListener("abort", done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    signal?.addEventListener("abort", done, { once: true });
  });
}
