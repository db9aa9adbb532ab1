/**
 * Back-pressure, the outbound budget, the input gate and the wake timer
 * without sockets: fake queues, exact levels.
 */
import assert from "node:assert/strict";
import { assertEquals } from "../../helpers/assert.ts";
import { DEFAULT_LIMITS, LineFramer } from "../../../protocol/mod.ts";
import { Backpressure } from "../../../server/connection/backpressure.ts";
import {
  type BudgetMember,
  Flow,
  highWaterOf,
} from "../../../server/connection/flow.ts";
import { InputGate } from "../../../server/connection/input_gate.ts";
import { WakeTimer } from "../../../server/connection/wake_timer.ts";

const limits = {
  ...DEFAULT_LIMITS,
  outboundHighWater: 1000,
  maxOutboundBytes: 10_000,
  maxHoldMs: 50,
};

/** A receiver's queue whose level and progress the test sets. */
class FakeQueue {
  pendingBytes = 0;
  lastProgress = performance.now();
}

function node(flow: Flow) {
  const queue = new FakeQueue();
  let unblocked = 0;
  const pressure = new Backpressure(flow, queue, { wake: () => unblocked++ });
  return { queue, pressure, unblocked: () => unblocked };
}

Deno.test("backpressure: a frame over the high-water mark holds the sender handling a line; the low mark releases it", () => {
  const flow = new Flow(limits, () => []);
  const sender = node(flow);
  const receiver = node(flow);
  receiver.queue.pendingBytes = 1001;
  receiver.pressure.queued();
  assert.equal(sender.pressure.blocked, false, "no line being handled");
  flow.sender = sender.pressure;
  receiver.pressure.queued();
  receiver.pressure.queued();
  flow.sender = null;
  assert.equal(sender.pressure.blocked, true);
  assertEquals(flow.stats.holds, 1, "held once, however many frames");
  receiver.queue.pendingBytes = 300;
  receiver.pressure.wrote();
  assert.equal(sender.pressure.blocked, true, "above the low mark (250)");
  receiver.queue.pendingBytes = 250;
  receiver.pressure.wrote();
  assert.equal(sender.pressure.blocked, false);
  assertEquals(sender.unblocked(), 1);
  sender.pressure.dispose();
  receiver.pressure.dispose();
});

Deno.test("backpressure: a sender held by two receivers goes on when both are down", () => {
  const flow = new Flow(limits, () => []);
  const sender = node(flow);
  const [r1, r2] = [node(flow), node(flow)];
  flow.sender = sender.pressure;
  for (const r of [r1, r2]) {
    r.queue.pendingBytes = 2000;
    r.pressure.queued();
  }
  flow.sender = null;
  r1.queue.pendingBytes = 0;
  r1.pressure.wrote();
  assert.equal(sender.pressure.blocked, true);
  r2.queue.pendingBytes = 0;
  r2.pressure.wrote();
  assert.equal(sender.pressure.blocked, false);
  for (const n of [sender, r1, r2]) n.pressure.dispose();
});

Deno.test("backpressure: a receiver without progress for the hold time is judged stalled and lets its senders go; progress makes it count again", async () => {
  const flow = new Flow(limits, () => []);
  const sender = node(flow);
  const stalled = node(flow);
  const slow = node(flow);
  flow.sender = sender.pressure;
  stalled.queue.pendingBytes = 5000;
  stalled.queue.lastProgress = performance.now();
  stalled.pressure.queued();
  flow.sender = null;
  const released = performance.now();
  while (sender.pressure.blocked) {
    await new Promise((resolve) => setTimeout(resolve, 5));
    assert.ok(performance.now() - released < 2_000, "released in time");
  }
  assert.ok(performance.now() - released >= limits.maxHoldMs - 1);
  assert.equal(stalled.pressure.stalled, true);
  assertEquals(flow.stats.stalls, 1);
  // Stalled: it holds nobody, however full.
  flow.sender = sender.pressure;
  stalled.pressure.queued();
  assert.equal(sender.pressure.blocked, false);
  // A receiver that keeps writing (slowly) keeps holding.
  slow.queue.pendingBytes = 5000;
  slow.pressure.queued();
  flow.sender = null;
  const keepWriting = setInterval(() => {
    slow.queue.lastProgress = performance.now();
  }, 5);
  try {
    await new Promise((resolve) => setTimeout(resolve, limits.maxHoldMs * 3));
    assert.equal(sender.pressure.blocked, true, "a slow reader is not stalled");
  } finally {
    clearInterval(keepWriting);
  }
  // Progress clears the stall.
  stalled.pressure.wrote();
  assert.equal(stalled.pressure.stalled, false);
  for (const n of [sender, stalled, slow]) n.pressure.dispose();
});

Deno.test("backpressure: a receiver that goes away releases its senders; a sender that goes away is forgotten", () => {
  const flow = new Flow(limits, () => []);
  const [s1, s2] = [node(flow), node(flow)];
  const receiver = node(flow);
  receiver.queue.pendingBytes = 5000;
  for (const s of [s1, s2]) {
    flow.sender = s.pressure;
    receiver.pressure.queued();
  }
  flow.sender = null;
  s2.pressure.dispose();
  receiver.pressure.dispose();
  assert.equal(s1.pressure.blocked, false);
  assertEquals(s1.unblocked(), 1);
  assertEquals(s2.unblocked(), 0, "a disposed sender is not woken");
  s1.pressure.dispose();
});

Deno.test("flow: the high-water mark is at most half the hard cap", () => {
  assertEquals(highWaterOf(DEFAULT_LIMITS), 256 * 1024);
  assertEquals(
    highWaterOf({ ...DEFAULT_LIMITS, maxOutboundBytes: 100_000 }),
    50_000,
  );
});

Deno.test("flow: over the budget, stalled queues are cut first, largest first, down to 90% of it", () => {
  const members: (BudgetMember & { name: string; cut: boolean })[] = [];
  const flow = new Flow(
    { ...limits, maxTotalOutboundBytes: 10_000 },
    () => members,
  );
  const add = (name: string, bytes: number, stalledMs: number) => {
    const member = {
      name,
      cut: false,
      pendingBytes: bytes,
      stalledFor: () => stalledMs,
      cutForBudget() {
        this.cut = true;
        flow.total.bytes -= this.pendingBytes;
        this.pendingBytes = 0;
      },
    };
    members.push(member);
    flow.total.bytes += bytes;
  };
  add("reading-big", 5000, 0);
  add("stalled-small", 2000, 1000);
  add("stalled-big", 3000, 1000);
  add("reading-small", 1500, 0);
  assert.ok(flow.overBudget);
  flow.enforceBudget();
  assertEquals(
    members.filter((m) => m.cut).map((m) => m.name),
    ["stalled-big"],
    "the largest stalled queue, and that is enough",
  );
  assertEquals(flow.total.bytes, 8500);
  flow.total.bytes += 5000;
  flow.enforceBudget();
  assertEquals(
    members.filter((m) => m.cut).map((m) => m.name),
    ["reading-big", "stalled-small", "stalled-big"],
    "the stalled one first, then the largest of the rest",
  );
  assertEquals(flow.total.bytes, 6500);
  assertEquals(flow.stats.budgetCuts, 3);
});

Deno.test("input gate: stops after the line that says so, keeps the rest (a copy), pauses, and frames it on wake before resuming", async () => {
  const lines: string[] = [];
  let stop = false;
  let paused = false;
  let drained = 0;
  const framer = new LineFramer(100, (line) => {
    const text = new TextDecoder().decode(line);
    lines.push(text);
    if (text === "stop") stop = true;
    gate.lineDone();
  });
  const gate: InputGate = new InputGate(
    framer,
    { pause: () => paused = true, resume: () => paused = false },
    {
      mustStopReading: () => stop,
      framing: () => {},
      framingFailed: (error) => {
        throw error;
      },
      inputDrained: () => drained++,
    },
  );
  const chunk = new TextEncoder().encode("a\nstop\nc\nd");
  gate.data(chunk);
  assertEquals(lines, ["a", "stop"]);
  assert.ok(paused && gate.holding);
  chunk.fill(0); // the transport may reuse its buffer
  gate.data(new TextEncoder().encode("e\n")); // came before the pause took effect
  assertEquals(lines, ["a", "stop"], "nothing framed while stopped");
  stop = false;
  gate.wake();
  gate.wake(); // one wake-up however many calls
  await Promise.resolve();
  assertEquals(lines, ["a", "stop", "c", "de"]);
  assert.ok(!paused && !gate.holding);
  assertEquals(drained, 1);
  gate.close();
  gate.data(new TextEncoder().encode("f\n"));
  assertEquals(lines.length, 4, "a closed gate reads nothing");
});

Deno.test("wake timer: one timer wakes every callback once, none before its time", async () => {
  const timer = new WakeTimer();
  const woken: { delay: number; late: number }[] = [];
  const all = Promise.withResolvers<void>();
  const now = performance.now();
  for (const delay of [30, 10, 20, 10]) {
    timer.schedule(now + delay, () => {
      woken.push({ delay, late: performance.now() - (now + delay) });
      if (woken.length === 4) all.resolve();
    });
  }
  assertEquals(timer.size, 4);
  await all.promise;
  assertEquals(woken.map((w) => w.delay).sort(), [10, 10, 20, 30]);
  for (const { delay, late } of woken) {
    assert.ok(late >= -1, `woken ${-late} ms before its time (${delay} ms)`);
  }
  assertEquals(timer.size, 0);
  timer.schedule(performance.now() + 1, () => assert.fail("stopped"));
  timer.stop();
  assertEquals(timer.size, 0);
});
