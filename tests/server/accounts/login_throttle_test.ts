/** The login slow-down policy on a fake clock: no real time passes. */
import assert from "node:assert/strict";
import fc from "fast-check";
import { assertEquals } from "../../helpers/assert.ts";
import {
  DEFAULT_LOGIN_THROTTLE,
  LoginThrottle,
} from "../../../server/accounts/login_throttle.ts";

/** Fails one attempt at `now` and returns how long it had to wait. */
function fail(t: LoginThrottle, user: string, addr: string, now: number) {
  const ticket = t.begin(user, addr, now);
  assert.ok(ticket !== null, `attempt for ${user} at ${now} refused`);
  t.end(ticket, false, now + ticket.waitMs);
  return ticket.waitMs;
}

Deno.test("throttle: five free failures, then 250 ms doubling up to 4 s", () => {
  const t = new LoginThrottle();
  let now = 0;
  const waits: number[] = [];
  for (let i = 0; i < 12; i++) {
    const wait = fail(t, "ada", "10.0.0.1", now);
    waits.push(wait);
    now += wait;
  }
  assertEquals(waits, [0, 0, 0, 0, 0, 250, 500, 1000, 2000, 4000, 4000, 4000]);
});

Deno.test("throttle: failures are forgiven with time; never a permanent lockout", () => {
  const t = new LoginThrottle();
  let now = 0;
  for (let i = 0; i < 100; i++) now += fail(t, "ada", "10.0.0.1", now);
  // The attacker stops. The real user's attempt waits at most the cap ...
  const capped = t.begin("ada", "10.0.0.2", now + 4_000)!;
  assert.ok(capped.waitMs <= DEFAULT_LOGIN_THROTTLE.maxDelayMs);
  t.end(capped, true, now + 4_000 + capped.waitMs);
  // ... and a success clears the username's score at once.
  assertEquals(t.begin("ada", "10.0.0.2", now + 10_000)?.waitMs, 0);
});

Deno.test("throttle: after a flood stops, waits fall back to zero in bounded time", () => {
  const t = new LoginThrottle();
  let now = 0;
  for (let i = 0; i < 100; i++) now += fail(t, "ada", "10.0.0.1", now);
  // The score is capped at free + steps (5 + 5), so 6 forgiveness periods
  // bring it under the free allowance.
  const later = now + 6 * DEFAULT_LOGIN_THROTTLE.forgiveMs;
  assertEquals(t.begin("ada", "10.0.0.3", later)?.waitMs, 0);
});

Deno.test("throttle: decay is gradual: one failure forgiven per 30 s", () => {
  const t = new LoginThrottle();
  let now = 0;
  for (let i = 0; i < 7; i++) now += fail(t, "ada", "a", now); // score 7
  assertEquals(t.begin("ada", "b", now)?.waitMs, 1_000); // 7 + 0 in flight
  const t2 = new LoginThrottle();
  now = 0;
  for (let i = 0; i < 7; i++) now += fail(t2, "ada", "a", now);
  assertEquals(t2.begin("ada", "b", now + 30_000)?.waitMs, 500); // score 6
  const t3 = new LoginThrottle();
  now = 0;
  for (let i = 0; i < 7; i++) now += fail(t3, "ada", "a", now);
  assertEquals(t3.begin("ada", "b", now + 60_000)?.waitMs, 250); // score 5
});

Deno.test("throttle: parallel attempts are spaced, and past 10 s refused unchecked", () => {
  const t = new LoginThrottle();
  for (let i = 0; i < 5; i++) fail(t, "ada", `10.0.0.${i}`, 0);
  // Many connections try at the same instant: each waits for the one before.
  const tickets = [];
  for (let i = 0; i < 8; i++) tickets.push(t.begin("ada", `10.1.0.${i}`, 0));
  const waits = tickets.map((x) => x?.waitMs ?? null);
  assertEquals(waits.slice(0, 3), [250, 750, 1750]);
  assert.ok(waits.includes(null), `some are refused: ${waits}`);
  const admitted = waits.filter((w): w is number => w !== null);
  assert.ok(admitted.every((w) => w <= DEFAULT_LOGIN_THROTTLE.maxWaitMs));
  for (let i = 1; i < admitted.length; i++) {
    assert.ok(admitted[i]! > admitted[i - 1]!, "spaced, in order");
  }
});

Deno.test("throttle: a success clears the username's score but not the address's", () => {
  const t = new LoginThrottle({ address: { freeFailures: 8 } });
  let now = 0;
  for (let i = 0; i < 6; i++) now += fail(t, "ada", "10.0.0.1", now);
  const ok = t.begin("ada", "10.0.0.1", now)!;
  t.end(ok, true, now + ok.waitMs);
  now += ok.waitMs;
  assertEquals(t.begin("ada", "10.0.0.9", now)?.waitMs, 0, "ada is clear");
  // The address has 6 failures: two more guesses at others and it waits.
  now += fail(t, "bob", "10.0.0.1", now);
  now += fail(t, "cy", "10.0.0.1", now);
  assert.ok(t.begin("di", "10.0.0.1", now)!.waitMs > 0);
});

Deno.test("throttle: one address guessing many usernames is slowed after 32", () => {
  const t = new LoginThrottle();
  let now = 0;
  const waits: number[] = [];
  for (let i = 0; i < 34; i++) {
    const wait = fail(t, `user${i}`, "10.9.9.9", now);
    waits.push(wait);
    now += wait;
  }
  assertEquals(waits.slice(0, 32), Array(32).fill(0));
  assertEquals(waits.slice(32), [250, 500]);
  assertEquals(t.begin("user99", "10.9.9.8", now)?.waitMs, 0, "others are not");
});

Deno.test("throttle: memory stays bounded; idle keys are forgotten", () => {
  const t = new LoginThrottle({ maxTrackedKeys: 50 });
  for (let i = 0; i < 500; i++) fail(t, `u${i}`, `a${i}`, i);
  assert.ok(t.trackedKeys <= 52, `tracked ${t.trackedKeys}`);
  const idle = new LoginThrottle();
  for (let i = 0; i < 100; i++) {
    const ticket = idle.begin(`u${i}`, "10.0.0.1", i)!;
    idle.end(ticket, true, i);
  }
  assert.ok(
    idle.trackedKeys <= 3,
    `successes leave little: ${idle.trackedKeys}`,
  );
});

Deno.test("throttle: property: waits never pass the cap, and quiet time clears them", () => {
  const attempt = fc.record({
    user: fc.constantFrom("ada", "bob", "cy"),
    addr: fc.constantFrom("10.0.0.1", "10.0.0.2"),
    ok: fc.boolean(),
    gap: fc.integer({ min: 0, max: 20_000 }),
    settle: fc.boolean(),
  });
  fc.assert(
    fc.property(fc.array(attempt, { maxLength: 200 }), (attempts) => {
      const t = new LoginThrottle();
      const open: {
        ticket: NonNullable<ReturnType<LoginThrottle["begin"]>>;
        ok: boolean;
      }[] = [];
      let now = 0;
      for (const a of attempts) {
        now += a.gap;
        const ticket = t.begin(a.user, a.addr, now);
        if (ticket !== null) {
          assert.ok(ticket.waitMs >= 0);
          assert.ok(ticket.waitMs <= DEFAULT_LOGIN_THROTTLE.maxWaitMs);
          open.push({ ticket, ok: a.ok });
        }
        if (a.settle) {
          for (const o of open.splice(0)) t.end(o.ticket, o.ok, now);
        }
      }
      for (const o of open.splice(0)) t.end(o.ticket, o.ok, now);
      const quiet = now + 11 * DEFAULT_LOGIN_THROTTLE.forgiveMs;
      for (const user of ["ada", "bob", "cy"]) {
        assertEquals(t.begin(user, "10.0.0.1", quiet)?.waitMs, 0);
        t.end(t.begin(user, "10.0.0.1", quiet)!, true, quiet);
      }
    }),
  );
});

Deno.test("throttle: a check goes first from an address without failures, or for a user who logged in from it lately", () => {
  const t = new LoginThrottle({ successMemoryMs: 60_000 });
  assertEquals(t.begin("ada", "10.0.0.1", 0)?.priority, true, "clean");
  const ok = t.begin("ada", "10.0.0.2", 0)!;
  t.end(ok, true, 0);
  for (let i = 0; i < 3; i++) fail(t, `x${i}`, "10.0.0.2", 0);
  assertEquals(t.begin("bob", "10.0.0.2", 0)?.priority, false, "a spray's");
  const burst = new LoginThrottle();
  const first = burst.begin("u1", "10.0.0.9", 0)!;
  assertEquals(
    [first.priority, burst.begin("u2", "10.0.0.9", 0)?.priority],
    [true, false],
    "a burst from one address: only the first goes first, before any failure",
  );
  assertEquals(
    t.begin("ada", "10.0.0.2", 1_000)?.priority,
    true,
    "ada logged in from there",
  );
  assertEquals(
    t.begin("ada", "10.0.0.2", 61_000)?.priority,
    false,
    "after successMemoryMs that is forgotten (the address still has failures)",
  );
});
