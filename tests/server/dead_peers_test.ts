/** Dead and dying peers: half-close, reset, idle timeout, keepalive. */
import assert from "node:assert/strict";
import net from "node:net";
import { assertEquals } from "../helpers/assert.ts";
import { LogCapture } from "../helpers/log_capture.ts";
import { DEADLINE_MS } from "../helpers/inbox.ts";
import { NO_RATE_LIMIT, startServer } from "../helpers/server.ts";
import { RelayServer } from "../../server/mod.ts";

Deno.test("dead peers: a half-closed client leaves at once; its last lines and their answers are not lost", async () => {
  const log = new LogCapture();
  await using t = await startServer({ logger: log });
  const a = await t.member("ada", "r");
  const b = await t.member("bob", "r");
  await a.sync();
  await b.send("3:1:last words");
  await b.closeWrite();
  assertEquals(await b.take(2), [`3:${b.id}:last words`, `2:${b.id}:`]);
  await b.closed();
  assertEquals(await a.take(2), [`3:${b.id}:last words`, `2:${b.id}:`]);
  await log.waitFor("conn.half_closed");
  await log.until(() => log.count("conn.close") === 1, "bob's socket closed");
  assertEquals([t.server.sessionCount, t.server.connectionCount], [1, 1]);
});

Deno.test("dead peers: a script that logs in, joins, talks and half-closes is served in full", async () => {
  await using t = await startServer();
  const a = await t.member("ada", "r");
  const script = await t.client();
  await script.send("0:zed:pw", "2:r", "3:0:hello from a script");
  await script.closeWrite();
  const [welcome, ...rest] = await script.take(5);
  const id = Number(welcome!.split(":")[1]);
  assertEquals(rest, [`2:${id}:r`, `2:${a.id}:r`, `4:${a.id}`, `2:${id}:`]);
  await script.closed();
  assertEquals(await a.take(3), [
    `2:${id}:r`,
    `3:${id}:hello from a script`,
    `2:${id}:`,
  ]);
});

Deno.test("dead peers: a reset connection (SO_LINGER 0) is cleaned up at once", async () => {
  const log = new LogCapture();
  await using t = await startServer({ logger: log });
  const a = await t.member("ada", "r");
  const socket = net.connect(t.port, "127.0.0.1");
  socket.on("error", () => {/* we reset it ourselves */});
  const lines: string[] = [];
  let text = "";
  const joined = Promise.withResolvers<void>();
  socket.on("data", (chunk: Uint8Array) => {
    text += new TextDecoder().decode(chunk);
    const parts = text.split("\n");
    text = parts.pop()!;
    lines.push(...parts);
    if (lines.some((l) => l.startsWith("4:"))) joined.resolve();
  });
  socket.write("0:rex:pw\n2:r\n");
  const timer = setTimeout(
    () => joined.reject(new Error("no join")),
    DEADLINE_MS,
  );
  await joined.promise.finally(() => clearTimeout(timer));
  const id = Number(lines[0]!.split(":")[1]);
  assertEquals(await a.next(), `2:${id}:r`);
  socket.resetAndDestroy();
  assertEquals(await a.next(), `2:${id}:`);
  const closed = await log.waitFor("conn.close", (f) => f.error !== undefined);
  assert.match(String(closed.fields.error), /ECONNRESET|reset/i);
  assertEquals(t.server.sessionCount, 1);
});

Deno.test("dead peers: --idle-timeout closes a silent client; any line keeps a client alive", async () => {
  const log = new LogCapture();
  const idleMs = 300;
  await using t = await startServer({
    idleTimeoutMs: idleMs,
    logger: log,
    limits: NO_RATE_LIMIT,
  });
  const active = await t.member("active", "r");
  const silent = await t.member("silent", "r");
  // The active client keeps talking (each round trip is a line) until the
  // silent one is gone, then for two more idle periods.
  const heard: string[] = [];
  while (!heard.includes(`2:${silent.id}:`)) heard.push(...await active.sync());
  const after = performance.now();
  while (performance.now() - after < 2 * idleMs) await active.sync();
  assert.match(await silent.next(), /^9:\?:idle-timeout:/);
  assertEquals(await silent.next(), `2:${silent.id}:`);
  await silent.closed();
  const idle = await log.waitFor("conn.idle");
  assert.ok(Number(idle.fields.idle_ms) >= idleMs);
  assertEquals(log.count("conn.idle"), 1, "the active client was never idle");
  assertEquals(t.server.sessionCount, 1);
});

/** The kernel's timer on the server's end of a connection, from /proc/net/tcp. */
async function serverSideTimer(serverPort: number, clientPort: number) {
  const hex = (n: number) => n.toString(16).toUpperCase().padStart(4, "0");
  const table = await Deno.readTextFile("/proc/net/tcp");
  for (const row of table.trim().split("\n").slice(1)) {
    const [, local, remote, , , timer] = row.trim().split(/\s+/);
    if (
      local!.endsWith(`:${hex(serverPort)}`) &&
      remote!.endsWith(`:${hex(clientPort)}`)
    ) {
      return timer!;
    }
  }
  throw new Error(`no server socket for port ${clientPort} in /proc/net/tcp`);
}

Deno.test({
  name: "dead peers: every accepted socket has TCP keepalive on",
  ignore: Deno.build.os !== "linux",
  fn: async () => {
    await using t = await startServer();
    const c = await t.user("ada");
    // tr=02 is the keepalive timer, armed on an idle socket with SO_KEEPALIVE.
    const timer = await serverSideTimer(t.port, c.localPort);
    assert.match(timer, /^02:/, `timer ${timer}`);
  },
});

Deno.test("dead peers: an idle timeout that is not a whole number of ms is refused before listening", async () => {
  for (const idleTimeoutMs of [-1, 1.5, NaN]) {
    await assert.rejects(RelayServer.start({ idleTimeoutMs }), RangeError);
  }
});
