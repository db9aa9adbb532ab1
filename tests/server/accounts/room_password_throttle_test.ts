/** The room-password slow-down policy on a fake clock. */
import assert from "node:assert/strict";
import { assertEquals } from "../../helpers/assert.ts";
import {
  DEFAULT_ROOM_PASSWORD_THROTTLE,
  RoomPasswordThrottle,
} from "../../../server/accounts/room_password_throttle.ts";

Deno.test("room throttle: the session's and the room's waits add up; five free each", () => {
  const t = new RoomPasswordThrottle();
  let now = 0;
  const waits: number[] = [];
  for (let i = 0; i < 9; i++) {
    const ticket = t.beginJoin(1, "10.0.0.1", "vault", now)!;
    waits.push(ticket.waitMs);
    now += ticket.waitMs;
    t.end(ticket, "failure", now);
  }
  assertEquals(waits, [0, 0, 0, 0, 0, 500, 1000, 2000, 4000]);
});

Deno.test("room throttle: another session guessing the same room waits for the room; a success clears the room only", () => {
  const t = new RoomPasswordThrottle();
  let now = 0;
  for (let i = 0; i < 6; i++) {
    const ticket = t.beginJoin(1, "10.0.0.1", "vault", now)!;
    now += ticket.waitMs;
    t.end(ticket, "failure", now);
  }
  const other = t.beginJoin(2, "10.0.0.2", "vault", now)!;
  assertEquals(other.waitMs, 500, "the room's delay, not session 1's");
  t.end(other, "success", now + other.waitMs);
  now += other.waitMs;
  assertEquals(t.beginJoin(3, "10.0.0.3", "vault", now)?.waitMs, 0);
  assertEquals(
    t.beginJoin(1, "10.0.0.1", "den", now)?.waitMs,
    500,
    "session 1 still waits for its own six failures",
  );
});

Deno.test("room throttle: listings share one key; a revealing listing resets nothing; never a permanent lockout", () => {
  const t = new RoomPasswordThrottle();
  let now = 0;
  for (let i = 0; i < 5; i++) {
    const ticket = t.beginListing(i, `10.0.0.${i}`, now)!;
    assertEquals(ticket.waitMs, 0);
    t.end(ticket, "failure", now);
  }
  const sixth = t.beginListing(9, "10.0.0.9", now)!;
  assertEquals(sixth.waitMs, 250, "the listing key is shared");
  t.end(sixth, "success", now + 250);
  assert.ok(t.beginListing(10, "10.0.0.10", now + 250)!.waitMs > 0);
  // An attack that stops is forgotten.
  for (let i = 0; i < 200; i++) {
    const ticket = t.beginJoin(1, "10.0.0.1", "vault", now);
    if (ticket !== null) {
      now += ticket.waitMs;
      t.end(ticket, "failure", now);
    } else now += 100;
  }
  const later = now + 12 * DEFAULT_ROOM_PASSWORD_THROTTLE.forgiveMs;
  assertEquals(t.beginJoin(1, "10.0.0.1", "vault", later)?.waitMs, 0);
});
