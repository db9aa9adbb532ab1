/** Rooms over real sockets: the exact join, leave, switch and disconnect sequences. */
import assert from "node:assert/strict";
import { assertEquals } from "../../helpers/assert.ts";
import { startServer } from "../../helpers/server.ts";

Deno.test("rooms: join sequences for the first, second and third member", async () => {
  await using t = await startServer();
  const a = await t.user("ada");
  await a.send("2:lobby");
  assertEquals(await a.take(2), [`2:${a.id}:lobby`, `4:${a.id}`]);
  const b = await t.user("bob");
  await b.send("2:lobby");
  assertEquals(await b.take(3), [
    `2:${b.id}:lobby`,
    `2:${a.id}:lobby`,
    `4:${a.id}`,
  ]);
  assertEquals(await a.next(), `2:${b.id}:lobby`);
  const c = await t.user("cy");
  await c.send("2:lobby");
  assertEquals(await c.take(4), [
    `2:${c.id}:lobby`,
    `2:${a.id}:lobby`,
    `2:${b.id}:lobby`,
    `4:${a.id}`,
  ]);
  assertEquals(await a.next(), `2:${c.id}:lobby`);
  assertEquals(await b.next(), `2:${c.id}:lobby`);
  assertEquals(await a.sync(), []);
  assertEquals(await b.sync(), []);
});

Deno.test("rooms: leaving with 2:-1; the master's leave hands over to the oldest", async () => {
  await using t = await startServer();
  const a = await t.member("ada", "r");
  const b = await t.member("bob", "r");
  const c = await t.member("cy", "r");
  await a.sync();
  await b.sync();
  await a.send("2:-1");
  assertEquals(await a.next(), `2:${a.id}:`);
  assertEquals(await b.take(2), [`2:${a.id}:`, `4:${b.id}`]);
  assertEquals(await c.take(2), [`2:${a.id}:`, `4:${b.id}`]);
  await c.send("2:-1");
  assertEquals(await c.next(), `2:${c.id}:`);
  assertEquals(await b.next(), `2:${c.id}:`);
  assertEquals(await b.sync(), [], "no master change when a non-master leaves");
  await a.send("2:-1");
  assert.match(await a.next(), /^9:2:not-in-room:/);
});

Deno.test("rooms: switching rooms leaves the old one first", async () => {
  await using t = await startServer();
  const a = await t.member("ada", "one");
  const b = await t.member("bob", "one");
  const c = await t.member("cy", "two");
  await a.sync();
  await a.send("2:two");
  assertEquals(await a.take(4), [
    `2:${a.id}:`,
    `2:${a.id}:two`,
    `2:${c.id}:two`,
    `4:${c.id}`,
  ]);
  assertEquals(await b.take(2), [`2:${a.id}:`, `4:${b.id}`]);
  assertEquals(await c.next(), `2:${a.id}:two`);
  await a.send("2:two");
  assert.match(await a.next(), /^9:2:already-in-room:/);
});

Deno.test("rooms: a disconnect is a leave for the others", async () => {
  await using t = await startServer();
  const a = await t.member("ada", "r");
  const b = await t.member("bob", "r");
  await a.close();
  assertEquals(await b.take(2), [`2:${a.id}:`, `4:${b.id}`]);
  await b.send("1:");
  assertEquals(await b.next(), "1:r-1");
});

Deno.test("rooms: the room list counts members; empty rooms disappear", async () => {
  await using t = await startServer();
  const a = await t.user("ada");
  await a.send("1:");
  assertEquals(await a.next(), "1:");
  await t.member("bob", "alpha");
  await t.member("cy", "alpha");
  const d = await t.member("di", "beta");
  await a.send("1:");
  assertEquals(await a.next(), "1:alpha-2,beta-1");
  await d.send("2:-1");
  await d.next();
  await a.send("1");
  assertEquals(await a.next(), "1:alpha-2");
});

Deno.test("rooms: a room created with a password is private and needs it", async () => {
  await using t = await startServer();
  const a = await t.user("ada");
  await a.send("2:den:s3cret");
  assertEquals(await a.take(2), [`2:${a.id}:den`, `4:${a.id}`]);
  const b = await t.member("bob", "hall");
  await b.send("1:", "1:wrong", "1:s3cret");
  assertEquals(await b.take(3), ["1:hall-1", "1:hall-1", "1:den-1,hall-1"]);
  await b.send("2:den");
  assert.match(await b.next(), /^9:2:wrong-password:/);
  await b.send("2:den:nope");
  assert.match(await b.next(), /^9:2:wrong-password:/);
  assertEquals(await b.sync(), [], "a refused join leaves you where you were");
  await b.send("3:1:still here");
  assertEquals(await b.next(), `3:${b.id}:still here`);
  await b.send("2:den:s3cret");
  assertEquals(await b.take(4), [
    `2:${b.id}:`,
    `2:${b.id}:den`,
    `2:${a.id}:den`,
    `4:${a.id}`,
  ]);
});

Deno.test("rooms: the room limit refuses a new room with the error line", async () => {
  await using t = await startServer({ limits: { maxRooms: 1 } });
  await t.member("ada", "one");
  const b = await t.user("bob");
  await b.send("2:two");
  assert.match(await b.next(), /^9:2:too-many-rooms:/);
  await b.send("2:one");
  assert.match(await b.next(), /^2:\d+:one$/);
});
