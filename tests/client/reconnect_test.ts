/**
 * RelayClient with `reconnect`, through a proxy the test cuts: a drop is
 * resumed (events, no leave, every line once, sends made while down
 * delivered); a drop longer than the window ends in a fresh login and
 * rejoin, said so; an unreachable server ends in `unreachable`; a session
 * the server ends is not rejoined; a connection that dies silently is found
 * by the heartbeat; UDP comes back with the new secret; close() ends the
 * session at once.
 */
import assert from "node:assert/strict";
import { assertEquals } from "../helpers/assert.ts";
import { EventLog } from "../helpers/client_events.ts";
import { CutProxy } from "../helpers/cut_proxy.ts";
import { LogCapture } from "../helpers/log_capture.ts";
import { startServer } from "../helpers/server.ts";
import { RelayClient, SessionEndedError } from "../../client/mod.ts";

const FAST = { minDelayMs: 10, maxDelayMs: 200 };

Deno.test("reconnect: a cut connection is resumed: disconnected, resumed; the others saw away and back, no leave; nothing lost either way", async () => {
  await using t = await startServer();
  await using proxy = CutProxy.start(t.port);
  await using a = await RelayClient.connect({
    port: proxy.port,
    reconnect: FAST,
  });
  const events = new EventLog(a);
  await a.login("ada");
  assert.ok(a.resumable);
  await a.join("r");
  const b = await t.member("bob", "r");
  const got: string[] = [];
  a.onMessage((m) => got.push(new TextDecoder().decode(m.raw)));
  await b.send("3:0:one");
  await b.sync();
  proxy.cutAll();
  await events.nth("disconnected", 1);
  assertEquals(a.connected, false);
  // Sent while down: queued, delivered on resume.
  const queued = a.sendToOthers("sent while down");
  assertEquals(await b.next(), `6:${a.sessionId}:away`);
  await b.send("3:0:two", "3:0:three");
  const resumed = await events.nth("resumed", 1);
  await queued;
  assertEquals(resumed.sessionId, a.sessionId);
  assert.ok(resumed.resent >= 1);
  assertEquals(await b.take(2), [
    `6:${a.sessionId}:back`,
    `3:${a.sessionId}:sent while down`,
  ]);
  await b.send("3:0:four");
  await b.sync();
  await a.sendToAll("sync");
  assertEquals(await b.next(), `3:${a.sessionId}:sync`);
  const fromBob = got.filter((l) => l.startsWith(`3:${b.id}:`));
  assertEquals(
    fromBob,
    ["one", "two", "three", "four"].map((w) => `3:${b.id}:${w}`),
  );
  assertEquals(b.history.filter((l) => l === `2:${a.sessionId}:`), []);
  assertEquals(events.types, ["disconnected", "resumed"]);
});

Deno.test("reconnect: a drop longer than the window ends the session as today; the client logs in afresh and rejoins, and says so", async () => {
  const log = new LogCapture();
  await using t = await startServer({
    logger: log,
    limits: { resumeWindowMs: 200 },
  });
  await using proxy = CutProxy.start(t.port);
  await using a = await RelayClient.connect({
    port: proxy.port,
    reconnect: FAST,
  });
  const events = new EventLog(a);
  const old = await a.login("ada");
  await a.join("r", "pw");
  const b = await t.user("bob");
  await b.send("2:r:pw");
  assertEquals((await b.take(3)).at(-1), `4:${old}`);
  proxy.refuse(true);
  proxy.cutAll();
  const down = await events.nth("disconnected", 1);
  assert.ok(down.resumable);
  const lost = a.sendToOthers("lost with its session");
  assertEquals(await b.take(3), [
    `6:${old}:away`,
    `2:${old}:`,
    `4:${b.id}`,
  ]);
  proxy.refuse(false);
  const ended = await events.nth("session-ended", 1);
  assertEquals([ended.sessionId, ended.code, ended.rejoining], [
    old,
    "resume-refused",
    true,
  ]);
  assert.match(ended.reason, /no session \d+ to resume/);
  const error = await lost.catch((e) => e);
  assert.ok(error instanceof SessionEndedError, String(error));
  const rejoined = await events.nth("rejoined", 1);
  assert.notEqual(rejoined.sessionId, old);
  assertEquals([rejoined.room, a.room, a.sessionId], [
    "r",
    "r",
    rejoined.sessionId,
  ]);
  assertEquals(await b.next(), `2:${rejoined.sessionId}:r`);
  assert.ok(a.resumable);
  await a.sendToOthers("back as someone new");
  assertEquals(await b.next(), `3:${rejoined.sessionId}:back as someone new`);
});

Deno.test("reconnect: a server that cannot be reached for giveUpAfterMs ends the session (unreachable) and closes the client", async () => {
  await using t = await startServer();
  await using proxy = CutProxy.start(t.port);
  const a = await RelayClient.connect({
    port: proxy.port,
    reconnect: { ...FAST, giveUpAfterMs: 300 },
  });
  const events = new EventLog(a);
  await a.login("ada");
  proxy.refuse(true);
  proxy.cutAll();
  const ended = await events.nth("session-ended", 1);
  assertEquals([ended.code, ended.rejoining], ["unreachable", false]);
  const info = await a.closed;
  assertEquals(info.byClient, false);
  assert.ok(a.isClosed);
});

Deno.test("reconnect: a session the server ends (kicked) is not rejoined; the client says why and closes", async () => {
  await using t = await startServer();
  await using a = await RelayClient.connect({ port: t.port, reconnect: FAST });
  const events = new EventLog(a);
  const id = await a.login("ada");
  const session = t.server.ctx.sessions.get(id)!;
  t.server.ctx.sessions.endWithReason(
    session,
    "kicked",
    "by an admin",
    "kicked",
  );
  const ended = await events.nth("session-ended", 1);
  assertEquals([ended.sessionId, ended.code, ended.reason, ended.rejoining], [
    id,
    "kicked",
    "by an admin",
    false,
  ]);
  await a.closed;
  assertEquals(events.types, ["session-ended"]);
});

Deno.test("reconnect: a connection that dies silently is found by the heartbeat and the session resumed", async () => {
  await using t = await startServer();
  await using proxy = CutProxy.start(t.port);
  await using a = await RelayClient.connect({
    port: proxy.port,
    reconnect: { ...FAST, heartbeatMs: 50, deadAfterMs: 300 },
  });
  const events = new EventLog(a);
  await a.login("ada");
  await a.join("r");
  const b = await t.member("bob", "r");
  proxy.freezeAll();
  await b.send("3:0:into the void");
  await events.nth("disconnected", 1);
  await events.nth("resumed", 1);
  await a.sendToAll("here");
  // The server never saw the old connection drop: no away, no back.
  assertEquals(await b.next(), `3:${a.sessionId}:here`);
  assertEquals(b.history.filter((l) => l.startsWith("6:")), []);
});

Deno.test("reconnect: the UDP channel is opened again after a resume, with the new secret", async () => {
  await using t = await startServer();
  await using proxy = CutProxy.start(t.port);
  await using a = await RelayClient.connect({
    port: proxy.port,
    udpPort: t.server.udpPort,
    reconnect: FAST,
  });
  const events = new EventLog(a);
  await a.login("ada");
  await a.join("r");
  await a.openUdp();
  assertEquals(t.server.udpChannelCount, 1);
  const b = await t.member("bob", "r");
  proxy.cutAll();
  await events.nth("resumed", 1);
  assert.ok(a.udp, "the UDP channel was not opened again");
  await a.sendToOthers("pose", { channel: "udp" });
  assertEquals(await b.take(3), [
    `6:${a.sessionId}:away`,
    `6:${a.sessionId}:back`,
    `3:${a.sessionId}:pose`,
  ]);
});

Deno.test("reconnect: close() ends a resumable session at once (the room sees it leave, nothing is held)", async () => {
  await using t = await startServer();
  const a = await RelayClient.connect({ port: t.port, reconnect: FAST });
  await a.login("ada");
  await a.join("r");
  const b = await t.member("bob", "r");
  await a.close();
  assertEquals(await b.take(2), [`2:${a.sessionId ?? 1}:`, `4:${b.id}`]);
  assertEquals(t.server.heldSessionCount, 0);
});
