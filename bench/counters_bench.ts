/**
 * Micro-benchmark of the counters' hot-path calls, per call: `deno bench
 * bench/counters_bench.ts`. What each delivery (`countOut` of a message),
 * each line (`countIn`, the probe's `begin`/`end`) and a rare line (an
 * error) cost, against an empty loop.
 */
import {
  countIn,
  countOut,
  ServerMetrics,
  Traffic,
} from "../server/metrics/mod.ts";

const m = new ServerMetrics();
const t = new Traffic();
const utf8 = new TextEncoder();
const message = utf8.encode(`3:17:${"x".repeat(100)}\n`);
const error = utf8.encode("9:2:wrong-password:room den needs its password\n");
const line = utf8.encode(`3:0:${"x".repeat(100)}`);
const N = 1000;

Deno.bench({
  name: "empty loop, 1000 turns",
  group: "counters",
  baseline: true,
  fn() {
    for (let i = 0; i < N; i++);
  },
});
Deno.bench({
  name: "countOut of a message ×1000 (one per delivery)",
  group: "counters",
  fn() {
    for (let i = 0; i < N; i++) countOut(m, t, message);
  },
});
Deno.bench({
  name: "countIn of a 3:0 line ×1000 (one per line)",
  group: "counters",
  fn() {
    for (let i = 0; i < N; i++) countIn(m, t, line);
  },
});
Deno.bench({
  name: "probe begin + end ×1000 (one per line)",
  group: "counters",
  fn() {
    for (let i = 0; i < N; i++) {
      m.probe.begin(i);
      m.probe.end();
    }
  },
});
Deno.bench({
  name: "countOut of an error line ×1000 (rare: reads the code)",
  group: "counters",
  fn() {
    for (let i = 0; i < N; i++) countOut(m, t, error);
  },
});
