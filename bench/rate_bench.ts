/**
 * The per-line cost of the line-rate check on the hot path: one token taken
 * per line, and one look at the bucket to decide whether to read on.
 *
 * ```sh
 * deno bench bench/rate_bench.ts
 * ```
 * @module
 */
import { DEFAULT_LIMITS } from "../protocol/mod.ts";
import { createLogger } from "../server/logger.ts";
import { RateLimits } from "../server/limits/rate_limits.ts";

const rate = new RateLimits(
  { ...DEFAULT_LIMITS, maxMessagesPerSecond: 1e9, messageBurst: 1e9 },
  createLogger({ level: "silent" }),
  { serial: 1, remote: "127.0.0.1:5000" },
  0,
);
let now = 0;

Deno.bench(
  "line rate: take a token and look for the next (the common case)",
  () => {
    rate.line(now);
    rate.lineWaitMs(now++);
  },
);

Deno.bench(
  "baseline: performance.now() (read once per chunk, not per line)",
  () => {
    performance.now();
  },
);
