/** Token bucket, flood guard and admission without sockets: a fake clock, exact counts. */
import assert from "node:assert/strict";
import fc from "fast-check";
import { assertEquals } from "../../helpers/assert.ts";
import { TokenBucket } from "../../../server/limits/token_bucket.ts";
import {
  FloodGuard,
  REFUSAL_WINDOW_MS,
  Verdict,
} from "../../../server/limits/flood_guard.ts";
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

Deno.test("flood guard: refuses above the rate, disconnects past the refusals of a window", () => {
  const guard = new FloodGuard({ rate: 1, burst: 2, maxRefusals: 3 }, 0);
  const verdicts = Array.from({ length: 6 }, () => guard.check(0));
  assertEquals(verdicts, [
    Verdict.Accept,
    Verdict.Accept,
    Verdict.Refuse,
    Verdict.Refuse,
    Verdict.Refuse,
    Verdict.Disconnect,
  ]);
});

Deno.test("flood guard: refusals spread over windows never disconnect", () => {
  const guard = new FloodGuard({ rate: 1, burst: 1, maxRefusals: 3 }, 0);
  for (let window = 0; window < 10; window++) {
    const t = window * REFUSAL_WINDOW_MS;
    assert.equal(guard.check(t), Verdict.Accept);
    for (let i = 0; i < 3; i++) assert.equal(guard.check(t), Verdict.Refuse);
    assert.equal(guard.firstRefusalInWindow, false);
  }
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
