/** Send modes 3:0–3:4 and groups 4:/5: over real sockets. */
import assert from "node:assert/strict";
import { assertEquals } from "../helpers/assert.ts";
import { startServer } from "../helpers/server.ts";

async function trio() {
  const t = await startServer();
  const a = await t.member("ada", "r");
  const b = await t.member("bob", "r");
  const c = await t.member("cy", "r");
  const outsider = await t.member("di", "elsewhere");
  for (const x of [a, b]) await x.sync();
  return { t, a, b, c, outsider };
}

Deno.test("relay: 3:0 and 3:2 reach the others, 3:1 and 3:3 everyone", async () => {
  const { t, a, b, c, outsider } = await trio();
  await using _ = t;
  await a.send("3:0:zero", "3:1:one", "3:2:two", "3:3:three");
  const seen = [
    `3:${a.id}:zero`,
    `3:${a.id}:one`,
    `3:${a.id}:two`,
    `3:${a.id}:three`,
  ];
  assertEquals(await b.take(4), seen);
  assertEquals(await c.take(4), seen);
  assertEquals(await a.take(2), [`3:${a.id}:one`, `3:${a.id}:three`]);
  assertEquals(await a.sync(), []);
  assertEquals(await outsider.sync(), []);
});

Deno.test("relay: payloads with colons and non-UTF-8 bytes arrive byte for byte", async () => {
  const { t, a, b } = await trio();
  await using _ = t;
  const payload = Uint8Array.from([
    0x61,
    0x3a,
    0x3a,
    0xff,
    0x00,
    0xc3,
    0x28,
    0x0d,
    0x62,
  ]);
  const line = Uint8Array.from([
    ...new TextEncoder().encode("3:0:"),
    ...payload,
    0x0a,
  ]);
  await a.write(line);
  const got = await b.nextBytes();
  assertEquals([...got], [
    ...new TextEncoder().encode(`3:${a.id}:`),
    ...payload,
  ]);
});

Deno.test("relay: 3:4 reaches listed users wherever they are, me too if listed", async () => {
  const { t, a, b, c, outsider } = await trio();
  await using _ = t;
  const lone = await t.user("eve");
  await a.send(
    `3:4:${outsider.id}:${lone.id}:${a.id}:${outsider.id}:party:time`,
  );
  assertEquals(await outsider.next(), `3:${a.id}:party:time`);
  assertEquals(await lone.next(), `3:${a.id}:party:time`);
  assertEquals(await a.next(), `3:${a.id}:party:time`);
  assertEquals(
    await outsider.sync(),
    [],
    "a duplicated id gets the message once",
  );
  assertEquals(await b.sync(), []);
  assertEquals(await c.sync(), []);
  await lone.send(`3:4:${b.id}:${c.id}:7`);
  assertEquals(
    await b.next(),
    `3:${lone.id}:7`,
    "the last field is always the message",
  );
  assertEquals(await c.next(), `3:${lone.id}:7`);
});

Deno.test("relay: 3:4 names the ids that have no session", async () => {
  const { t, a, b } = await trio();
  await using _ = t;
  await a.send(`3:4:${b.id}:99999:88888:hi`);
  assertEquals(await b.next(), `3:${a.id}:hi`);
  assertEquals(await a.next(), "9:3:unknown-recipients:no session 99999,88888");
});

Deno.test("relay: room modes outside a room are refused; 3:4 still works", async () => {
  await using t = await startServer();
  const a = await t.user("ada");
  const b = await t.user("bob");
  await a.send("3:0:x", "3:1:x", "3:2:x", "3:3:x");
  for (let i = 0; i < 4; i++) assert.match(await a.next(), /^9:3:not-in-room:/);
  await a.send(`3:4:${b.id}:psst`);
  assertEquals(await b.next(), `3:${a.id}:psst`);
});

Deno.test("groups: define, send, replace, empty; members anywhere", async () => {
  const { t, a, b, c, outsider } = await trio();
  await using _ = t;
  await a.send(`5:team:${b.id}:${outsider.id}`, "4:team:go:go");
  assertEquals(await b.next(), `3:${a.id}:go:go`);
  assertEquals(await outsider.next(), `3:${a.id}:go:go`);
  assertEquals(await c.sync(), []);
  await a.send(`5:team:${c.id}`, "4:team:v2");
  assertEquals(await c.next(), `3:${a.id}:v2`);
  assertEquals(await b.sync(), []);
  await a.send("5:team:", "4:team:gone");
  assert.match(await a.next(), /^9:4:unknown-group:/);
  assertEquals(await c.sync(), []);
});

Deno.test("groups: each client's groups are its own", async () => {
  const { t, a, b, c } = await trio();
  await using _ = t;
  await a.send(`5:g:${c.id}`);
  await b.send("4:g:x");
  assert.match(await b.next(), /^9:4:unknown-group:/);
  await b.send(`5:g:${a.id}`, "4:g:from b");
  assertEquals(await a.next(), `3:${b.id}:from b`);
  assertEquals(await c.sync(), []);
});

Deno.test("groups: members who left the server are skipped quietly", async () => {
  const { t, a, b, c } = await trio();
  await using _ = t;
  await a.send(`5:g:${b.id}:${c.id}`);
  await b.close();
  assertEquals(await a.next(), `2:${b.id}:`);
  await a.send("4:g:still");
  assertEquals(await c.next(), `2:${b.id}:`);
  assertEquals(await c.next(), `3:${a.id}:still`);
  assertEquals(await a.sync(), []);
});

Deno.test("groups: the per-client group limit", async () => {
  await using t = await startServer({ limits: { maxGroupsPerClient: 2 } });
  const a = await t.user("ada");
  await a.send("5:g1:1", "5:g2:1", "5:g3:1", "5:g1:2");
  assert.match(await a.next(), /^9:5:too-many-groups:/);
  assertEquals(
    await a.sync(),
    [],
    "replacing an existing group is still allowed",
  );
});
