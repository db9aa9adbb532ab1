/** Token bucket, line rate and admission without sockets: a fake clock, exact counts. */
import assert from "node:assert/strict";
import fc from "fast-check";
import { assertEquals } from "../../helpers/assert.ts";
import { TokenBucket } from "../../../server/limits/token_bucket.ts";
import {
  RATE_LOG_INTERVAL_MS,
  RateLimits,
} from "../../../server/limits/rate_limits.ts";
import { LogCapture } from "../../helpers/log_capture.ts";
import { Admission } from "../../../server/limits/admission.ts";
import { DEFAULT_LIMITS, resolveLimits } from "../../../protocol/mod.ts";

Deno.test("token bucket: a full burst, then the rate", () => {
  const bucket = new TokenBucket(10, 5, 0);
  const first = Array.from({ length: 7 }, () => bucket.take(0));
  assertEquals(first, [true, true, true, true, true, false, false]);
  assert.equal(bucket.waitMs, 100, "one token per 100 ms at 10/s");
  assert.equal(bucket.take(99), false);
  assert.equal(bucket.take(100), true);
  assert.equal(bucket.take(100), false);
  // A long pause refills to the burst, never beyond it.
  const later = Array.from({ length: 6 }, () => bucket.take(60_000));
  assertEquals(later, [true, true, true, true, true, false]);
});

Deno.test("token bucket: over any schedule, accepted <= burst + rate * elapsed", () => {
  fc.assert(
    fc.property(
      fc.integer({ min: 1, max: 1000 }),
      fc.integer({ min: 1, max: 100 }),
      fc.array(fc.integer({ min: 0, max: 50 }), { maxLength: 500 }),
      (rate, burst, gaps) => {
        const bucket = new TokenBucket(rate, burst, 0);
        let now = 0;
        let accepted = 0;
        for (const gap of gaps) {
          now += gap;
          if (bucket.take(now)) accepted++;
        }
        return accepted <= burst + Math.floor((rate * now) / 1000) + 1e-9;
      },
    ),
    { seed: 6 },
  );
});

Deno.test("token bucket: has() looks without taking; waitFor() says when n tokens are there", () => {
  const bucket = new TokenBucket(100, 5, 0); // 1 token per 10 ms
  for (let i = 0; i < 5; i++) assert.ok(bucket.take(0));
  assert.equal(bucket.has(0), false);
  assert.equal(bucket.has(0), false, "looking takes nothing");
  assertEquals(bucket.waitFor(1, 0), 10);
  assertEquals(bucket.waitFor(3, 0), 30);
  assertEquals(bucket.waitFor(99, 0), 50, "never more than the burst");
  assert.ok(bucket.has(10));
  assertEquals(bucket.waitFor(1, 10), 0);
});

Deno.test("rate limits: a line is read only with a token; the wait batches about 10 ms of tokens", () => {
  const limits = {
    ...DEFAULT_LIMITS,
    maxMessagesPerSecond: 1000,
    messageBurst: 20,
  };
  const log = new LogCapture();
  const rate = new RateLimits(
    limits,
    log,
    { serial: 1, remote: "127.0.0.1:5000" },
    0,
  );
  for (let i = 0; i < 20; i++) {
    assertEquals(rate.lineWaitMs(0), 0);
    rate.line(0);
  }
  assertEquals(rate.lineWaitMs(0), 10, "10 lines' worth at 1000/s");
  assertEquals(rate.lineWaitMs(0.5), 10, "(10 - 0.5) tokens at 1 per ms");
  assertEquals(rate.lineWaitMs(10), 0);
  assertEquals(rate.delays, 2);
  assertEquals(log.count("limit.rate"), 1, "logged once per window");
  const line = log.records.find((r) => r.event === "limit.rate")!;
  assertEquals([line.fields.conn, line.fields.remote], [1, "127.0.0.1:5000"]);
  for (let i = 0; i < 10; i++) rate.line(10);
  assert.ok(rate.lineWaitMs(10) > 0);
  assertEquals(log.count("limit.rate"), 1, "still the same window");
  assert.ok(rate.lineWaitMs(10 + RATE_LOG_INTERVAL_MS) === 0);
  for (let i = 0; i < 20; i++) rate.line(10 + RATE_LOG_INTERVAL_MS);
  assert.ok(rate.lineWaitMs(10 + RATE_LOG_INTERVAL_MS) > 0);
  assertEquals(log.count("limit.rate"), 2, "a new window, a new log line");
});

Deno.test("admission: total and per-address caps; release frees a place", () => {
  const admission = new Admission({
    maxConnections: 3,
    maxConnectionsPerAddress: 2,
  });
  assertEquals(admission.admit("a"), null);
  assertEquals(admission.admit("a"), null);
  assertEquals(admission.admit("a")?.code, "too-many-connections");
  assertEquals(admission.admit("b"), null);
  assertEquals(admission.admit("c")?.code, "server-full");
  assertEquals([admission.total, admission.from("a")], [3, 2]);
  admission.release("a");
  assertEquals(admission.admit("c"), null);
  admission.release("nobody");
  assertEquals(
    admission.total,
    3,
    "releasing an unknown address changes nothing",
  );
});

Deno.test("limits: every limit has a positive default; bad overrides are refused", () => {
  for (const [name, value] of Object.entries(DEFAULT_LIMITS)) {
    assert.ok(Number.isSafeInteger(value) && value > 0, name);
  }
  assert.throws(() => resolveLimits({ maxConnections: 0 }), RangeError);
  assert.throws(() => resolveLimits({ messageBurst: 1.5 }), RangeError);
  assertEquals(resolveLimits({ maxRooms: 3 }).maxRooms, 3);
});
