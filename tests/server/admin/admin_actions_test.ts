/**
 * The admin actions over HTTP, judged by what each affected client
 * receives on the wire (and what everyone else does not).
 */
import assert from "node:assert/strict";
import { assertEquals } from "../../helpers/assert.ts";
import { startAdmin } from "../../helpers/admin.ts";
import { LineClient } from "../../helpers/line_client.ts";
import { LogCapture } from "../../helpers/log_capture.ts";
import { startServer } from "../../helpers/server.ts";
import { RelayClient } from "../../../client/mod.ts";

Deno.test("admin kick: the client is told why, logged out and closed; its room is told it left", async () => {
  await using t = await startServer();
  await using a = await startAdmin(t);
  const ada = await t.member("ada", "lobby");
  const bob = await t.member("bob", "lobby");
  await ada.take(1); // bob's join
  const response = await a.request("/kick", {
    session: ada.id,
    reason: "spamming the lobby",
  });
  assertEquals(response.status, 200);
  assertEquals(await response.json(), { session: ada.id, user: "ada" });
  assertEquals(await ada.take(3), [
    "9:0:kicked:spamming the lobby",
    "0:-1",
    `2:${ada.id}:`,
  ]);
  await ada.closed();
  // ada was the master: bob hears the leave, then takes over.
  assertEquals(await bob.take(2), [`2:${ada.id}:`, `4:${bob.id}`]);
  assertEquals(t.server.sessionCount, 1);
  // By username, with the default reason.
  const kicked = await a.request("/kick", { user: "bob" });
  assertEquals(await kicked.json(), { session: bob.id, user: "bob" });
  assertEquals(await bob.take(2), [
    "9:0:kicked:removed by the server's operator",
    "0:-1",
  ]);
  await bob.closed();
  assertEquals(t.server.ctx.metrics.kicks, 2);
});

Deno.test("admin close-room: every member is told, then leaves (newest first); other rooms hear nothing", async () => {
  await using t = await startServer();
  await using a = await startAdmin(t);
  const ada = await t.member("ada", "lobby");
  const bob = await t.member("bob", "lobby");
  const cy = await t.member("cy", "lobby");
  const dee = await t.member("dee", "den");
  await ada.take(2);
  await bob.take(1);
  const response = await a.request("/close-room", {
    room: "lobby",
    reason: "closing for the night",
  });
  assertEquals(await response.json(), { room: "lobby", members: 3 });
  const notice = "8:room:closing for the night";
  assertEquals(await ada.take(4), [
    notice,
    `2:${cy.id}:`,
    `2:${bob.id}:`,
    `2:${ada.id}:`,
  ]);
  assertEquals(await bob.take(3), [notice, `2:${cy.id}:`, `2:${bob.id}:`]);
  assertEquals(await cy.take(2), [notice, `2:${cy.id}:`]);
  // No master changes on the way, the room is gone, everyone stays logged in.
  for (const c of [ada, bob, cy]) assertEquals(await c.sync(), []);
  assertEquals(await dee.sync(), []);
  assertEquals(t.server.rooms.get("lobby"), undefined);
  assertEquals(t.server.sessionCount, 4);
  // They can go back in; the first becomes master.
  await bob.send("2:lobby");
  assertEquals(await bob.take(2), [`2:${bob.id}:lobby`, `4:${bob.id}`]);
  // Without a reason, no notice: only the leave.
  await a.request("/close-room", { room: "den" }).then((r) => r.json());
  assertEquals(await dee.take(1), [`2:${dee.id}:`]);
  assertEquals(await dee.sync(), []);
});

Deno.test("admin notice: to everyone logged in, or to one room; the client library delivers it typed", async () => {
  await using t = await startServer();
  await using a = await startAdmin(t);
  const ada = await t.member("ada", "lobby");
  const bob = await t.member("bob", "den");
  const anonymous = await t.client();
  await using lib = await RelayClient.connect({ port: t.port });
  await lib.login("cy", "pw");
  await lib.join("lobby");
  await ada.take(1);
  const seen: unknown[] = [];
  const reading = (async () => {
    for await (const { message } of lib) {
      if (message.kind === "notice") seen.push(message);
      if (seen.length === 2) return;
    }
  })();

  const all = await a.request("/notice", {
    text: "restart at 10:00: save your work",
  });
  assertEquals(await all.json(), { receivers: 3 });
  const everyone = "8:server:restart at 10:00: save your work";
  assertEquals(await ada.take(1), [everyone]);
  assertEquals(await bob.take(1), [everyone]);
  // Not logged in: not told (its next answer is the one to its own line).
  assertEquals(await anonymous.sync(), []);

  // A request in flight is not confused by a notice arriving meanwhile.
  const [rooms, room] = await Promise.all([
    lib.listRooms(),
    a.request("/notice", { text: "final round", room: "lobby" }).then((r) =>
      r.json()
    ),
  ]);
  assertEquals(room, { receivers: 2 });
  assertEquals(rooms.map((r) => r.name).sort(), ["den", "lobby"]);
  assertEquals(await ada.take(1), ["8:room:final round"]);
  assertEquals(await bob.sync(), []);
  await reading;
  assertEquals(seen, [
    {
      kind: "notice",
      scope: "server",
      text: "restart at 10:00: save your work",
    },
    { kind: "notice", scope: "room", text: "final round" },
  ]);
  assertEquals(t.server.ctx.metrics.notices, 5);
});

Deno.test("admin drain: stops accepting, tells everyone, waits; those still there at the deadline are ended; then stop is called", async () => {
  const log = new LogCapture();
  await using t = await startServer({ logger: log });
  let stops = 0;
  await using a = await startAdmin(t, { stop: () => void stops++ });
  const ada = await t.member("ada", "lobby");
  const bob = await t.member("bob", "lobby");
  await ada.take(1);
  const started = performance.now();
  const response = await a.request("/drain", {
    timeoutSeconds: 2,
    notice: "restarting now: please leave",
  });
  assertEquals(response.status, 202);
  const answer = await response.json();
  assertEquals(answer.exit, true);
  assertEquals(answer.draining.notice, "restarting now: please leave");
  assertEquals(await ada.take(1), ["8:server:restarting now: please leave"]);
  assertEquals(await bob.take(1), ["8:server:restarting now: please leave"]);
  // No one new gets in; health and readiness say so.
  await assert.rejects(LineClient.connect(t.port));
  const health = await fetch(`${a.url}/healthz`);
  assertEquals([health.status, await health.text()], [503, "draining\n"]);
  assertEquals(
    await a.request("/readyz").then(async (
      r,
    ) => [r.status, (await r.json()).accepting]),
    [503, false],
  );
  const again = await a.request("/drain", { timeoutSeconds: 1 });
  assertEquals([again.status, (await again.json()).error.code], [
    409,
    "conflict",
  ]);

  // ada leaves on her own; bob stays and is ended at the deadline.
  await ada.close();
  assertEquals(await bob.take(2), [`2:${ada.id}:`, `4:${bob.id}`]);
  assertEquals(await bob.take(3, 10_000), [
    "9:0:shutting-down:the server has closed",
    "0:-1",
    `2:${bob.id}:`,
  ]);
  await bob.closed();
  assert.ok(performance.now() - started >= 1_900, "not before the deadline");
  await log.waitFor("admin.drained");
  const status = await a.json<
    { draining: { result: { left: number; ended: number } } }
  >("/status");
  assertEquals([status.draining.result.left, status.draining.result.ended], [
    1,
    1,
  ]);
  assertEquals(stops, 1);
});

Deno.test("admin drain: when everyone leaves early it ends early, without ending anyone", async () => {
  await using t = await startServer();
  await using a = await startAdmin(t);
  const ada = await t.member("ada", "lobby");
  const drained = a.admin.actions.drain({ timeoutMs: 60_000 });
  assertEquals(await ada.take(1), [
    "8:server:the server is closing; please leave within 60 s",
  ]);
  await ada.close();
  assertEquals(await drained.then((r) => [r.left, r.ended]), [1, 0]);
});
