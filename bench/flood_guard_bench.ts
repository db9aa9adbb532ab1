/**
 * The per-line cost of the message-rate check on the hot path.
 *
 * ```sh
 * deno bench bench/flood_guard_bench.ts
 * ```
 * @module
 */
import { FloodGuard } from "../server/limits/flood_guard.ts";

const accepting = new FloodGuard(
  { rate: 1e9, burst: 1e9, maxRefusals: 200 },
  0,
);
const refusing = new FloodGuard({ rate: 1, burst: 1, maxRefusals: 1e9 }, 0);
let now = 0;

Deno.bench("flood guard: check, accepted (the common case)", () => {
  accepting.check(now++);
});

Deno.bench("flood guard: check, refused", () => {
  refusing.check(0);
});

Deno.bench(
  "baseline: performance.now() (read once per chunk, not per line)",
  () => {
    performance.now();
  },
);
