/** The counters' parts without sockets: histogram, relay probe, line kinds, refusal codes, event-loop monitor. */
import assert from "node:assert/strict";
import { assertEquals } from "../../helpers/assert.ts";
import {
  countIn,
  countOut,
  EventLoopMonitor,
  Histogram,
  IN_KIND_NAMES,
  inKind,
  RelayProbe,
  ServerMetrics,
  Traffic,
} from "../../../server/metrics/mod.ts";

const bytes = (s: string) => new TextEncoder().encode(s);

Deno.test("histogram: a value equal to a bound is in that bucket (le); bounds must ascend", () => {
  const h = new Histogram([1, 2]);
  for (const v of [0, 1, 1.5, 2, 3]) h.observe(v);
  assertEquals(h.cumulative(), [2, 4, 5]);
  assertEquals([h.count, h.sum], [5, 7.5]);
  assert.throws(() => new Histogram([2, 1]), RangeError);
  assert.throws(() => new Histogram([1, Infinity]), RangeError);
});

Deno.test("relay probe: one line at a time, observed at its last recipient's write", () => {
  const h = new Histogram([0.001, 0.01, 0.1]);
  const probe = new RelayProbe(h);
  probe.begin(1000);
  assert.ok(probe.collecting);
  probe.enlist();
  probe.enlist();
  probe.end();
  assert.ok(!probe.collecting);
  // Another line while this one is in flight is not timed.
  probe.begin(1001);
  assert.ok(!probe.collecting);
  probe.end();
  probe.written(1003);
  assertEquals(h.count, 0);
  probe.written(1005);
  assertEquals([h.count, h.sum], [1, 0.005]);
  // A recipient dropped: the others' last write counts.
  probe.begin(2000);
  probe.enlist();
  probe.enlist();
  probe.end();
  probe.written(2002);
  probe.dropped();
  assertEquals([h.count, Math.round(h.sum * 1e6)], [2, 7000]);
  // All dropped: nothing observed, and the probe is free again.
  probe.begin(3000);
  probe.enlist();
  probe.end();
  probe.dropped();
  assertEquals(h.count, 2);
  // A line that queued nothing frees it at once.
  probe.begin(4000);
  probe.end();
  probe.begin(4001);
  assert.ok(probe.collecting);
});

Deno.test("line kinds: by the leading command, as docs/operations.md lists them", () => {
  const cases: [string, string][] = [
    ["0:ada:pw", "login"],
    ["0", "login"],
    ["1:", "list-rooms"],
    ["1", "list-rooms"],
    ["2:lobby", "join"],
    ["2:-1", "leave"],
    ["2:-12", "join"],
    ["3:0:x", "send"],
    ["3:3:x", "send"],
    ["3:4:1:x", "send-users"],
    ["4:g:x", "send-group"],
    ["5:g:1", "define-group"],
    ["6:x", "other"],
    ["hello", "other"],
    ["01:x", "other"],
    ["9:0:x", "other"],
  ];
  for (const [line, kind] of cases) {
    assertEquals(IN_KIND_NAMES[inKind(bytes(line))], kind, line);
  }
  const m = new ServerMetrics();
  const t = new Traffic();
  countIn(m, t, bytes(""));
  assertEquals([
    m.linesIn[IN_KIND_NAMES.indexOf("other")],
    m.bytesIn[IN_KIND_NAMES.indexOf("other")],
  ], [1, 1]);
});

Deno.test("error lines are counted by their code", () => {
  const m = new ServerMetrics();
  const t = new Traffic();
  for (
    const line of [
      "9:2:wrong-password:room x",
      "9:?:malformed:bad",
      "9:0:kicked:bye",
      "9:2:wrong-password:y",
      "9:x\n",
    ]
  ) {
    countOut(m, t, bytes(line.endsWith("\n") ? line : line + "\n"));
  }
  assertEquals(Object.fromEntries(m.refusals), {
    "wrong-password": 2,
    malformed: 1,
    kicked: 1,
    unknown: 1,
  });
  assertEquals([t.linesOut, m.linesOut[9]], [5, 5]);
});

Deno.test("event-loop monitor: a blocked loop shows as delay", async () => {
  const monitor = new EventLoopMonitor({ intervalMs: 10 });
  try {
    const until = performance.now() + 120;
    while (performance.now() < until) {
      // block the loop
    }
    // The first tick after the block measures it.
    while (monitor.delay.count === 0) {
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
    assert.ok(monitor.recent().maxMs >= 100, `max ${monitor.recent().maxMs}`);
  } finally {
    monitor.stop();
  }
});
