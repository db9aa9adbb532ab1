/** Sessions over real sockets: login, the login gate, superseding. */
import assert from "node:assert/strict";
import { assertEquals } from "../helpers/assert.ts";
import { startServer } from "../helpers/server.ts";

Deno.test("login: each session gets its own id", async () => {
  await using t = await startServer();
  const ids = new Set<number>();
  for (const name of ["ada", "bob", "cy", "di"]) {
    ids.add((await t.user(name)).id);
  }
  assertEquals(ids.size, 4);
});

Deno.test("login: every command before login gets 0:-1, and the connection lives", async () => {
  await using t = await startServer();
  const c = await t.client();
  await c.send(
    "1:",
    "2:lobby",
    "2:-1",
    "3:0:x",
    "3:1:x",
    "3:2:x",
    "3:3:x",
    "3:4:1:x",
    "4:g:x",
    "5:g:1",
  );
  assertEquals(await c.take(10), Array(10).fill("0:-1"));
  assert.match(await c.login("ada").then(String), /^\d+$/);
});

Deno.test("login: a malformed line before login gets the error line, not 0:-1", async () => {
  await using t = await startServer();
  const c = await t.client();
  await c.send("hello", "0:bad,name:pw");
  assert.match(await c.next(), /^9:\?:unknown-command:/);
  assert.match(await c.next(), /^9:0:invalid-name:/);
});

Deno.test("login: a second login for the same user ends the old session", async () => {
  await using t = await startServer();
  const old = await t.member("ada", "lobby");
  const other = await t.member("bob", "lobby");
  await old.sync();
  const fresh = await t.user("ada");
  assert.notEqual(fresh.id, old.id);
  assertEquals(await old.take(3), [
    "9:0:superseded:you logged in on another connection",
    "0:-1",
    `2:${old.id}:`,
  ]);
  await old.closed();
  assertEquals(await other.next(), `2:${old.id}:`);
  assertEquals(await other.next(), `4:${other.id}`, "bob is master now");
  // the old id is gone: messages to it are refused
  await other.send(`3:4:${old.id}:hi`);
  assert.match(await other.next(), /^9:3:unknown-recipients:/);
  await other.send(`3:4:${fresh.id}:hi`);
  assertEquals(await fresh.next(), `3:${other.id}:hi`);
});

Deno.test("login: a second login on the same connection ends its current session first", async () => {
  await using t = await startServer();
  const c = await t.member("ada", "lobby");
  const other = await t.member("bob", "lobby");
  await c.sync();
  await c.send("0:carol:pw");
  assertEquals(await c.next(), `2:${c.id}:`, "the old session leaves its room");
  assert.match(await c.next(), /^0:\d+:[0-9a-f]{32}$/);
  assertEquals(await other.take(2), [`2:${c.id}:`, `4:${other.id}`]);
  assertEquals(await c.sync(), [], "and the connection carries on");
});

Deno.test("login: lines sent right behind a login wait for it", async () => {
  await using t = await startServer();
  const c = await t.client();
  await c.send("0:ada:pw", "2:lobby", "3:1:first");
  const [welcome, joined, master, message] = await c.take(4);
  const id = /^0:(\d+):[0-9a-f]{32}$/.exec(welcome!)![1];
  assertEquals([joined, master, message], [
    `2:${id}:lobby`,
    `4:${id}`,
    `3:${id}:first`,
  ]);
});
