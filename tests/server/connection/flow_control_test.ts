/**
 * Flow control over real sockets, with the default limits unless a test says
 * otherwise: large writes and bursts reach every reader, whole and in order,
 * and nobody who reads is cut; connections that never log in are closed.
 */
import assert from "node:assert/strict";
import { DEFAULT_LIMITS } from "../../../protocol/mod.ts";
import { assertEquals } from "../../helpers/assert.ts";
import { LogCapture } from "../../helpers/log_capture.ts";
import type { LineClient } from "../../helpers/line_client.ts";
import { startServer } from "../../helpers/server.ts";

/** A line of `bytes` bytes before its `\n`: `head`, then `p<n>:`, then x's. */
function bigLine(head: string, n: number, bytes: number): string {
  const start = `${head}p${n}:`;
  return start + "x".repeat(bytes - start.length);
}

/** Long lines as their first 20 characters and their length, for readable diffs. */
const digest = (lines: string[]) =>
  lines.map((l) => `${l.slice(0, 20)}… (${l.length})`);

/** The `3:<from>:` lines `client` receives until it has `count` of them. */
async function relayed(
  client: LineClient,
  from: number,
  count: number,
  ms = 30_000,
): Promise<string[]> {
  const got: string[] = [];
  while (got.length < count) {
    const line = await client.next(ms);
    if (line.startsWith(`3:${from}:`)) got.push(line);
    else if (!/^[24]:/.test(line)) assert.fail(`unexpected line ${line}`);
  }
  return got;
}

const LINE = DEFAULT_LIMITS.maxLineBytes - 536; // 65,000 bytes

Deno.test("flow control: 17 lines of 65 KB in one write to a room of 10 readers: nobody is cut, everyone gets all 17 in order", async () => {
  const log = new LogCapture();
  await using t = await startServer({ logger: log });
  const readers: (LineClient & { id: number })[] = [];
  for (let i = 0; i < 10; i++) readers.push(await t.member(`r${i}`, "room"));
  const sender = await t.member("sender", "room");
  for (const reader of readers) await reader.sync();
  const lines = Array.from(
    { length: 17 },
    (_, i) => bigLine("3:0:", i, LINE),
  );
  await sender.send(...lines);
  const expected = lines.map((l) => `3:${sender.id}:${l.slice(4)}`);
  for (const reader of readers) {
    assertEquals(
      digest(await relayed(reader, sender.id, 17)),
      digest(expected),
    );
  }
  assertEquals(log.count("conn.cut"), 0);
  assertEquals(t.server.sessionCount, 11);
});

Deno.test("flow control: 17 lines of 65 KB in one write with 3:4 to 10 users: nobody is cut, everyone gets all 17 in order", async () => {
  const log = new LogCapture();
  await using t = await startServer({ logger: log });
  const readers: (LineClient & { id: number })[] = [];
  for (let i = 0; i < 10; i++) readers.push(await t.user(`u${i}`));
  const sender = await t.user("sender");
  const to = readers.map((r) => r.id).join(":");
  const lines = Array.from(
    { length: 17 },
    (_, i) => bigLine(`3:4:${to}:`, i, LINE),
  );
  await sender.send(...lines);
  const expected = lines.map((l) =>
    `3:${sender.id}:${l.slice(`3:4:${to}:`.length)}`
  );
  for (const reader of readers) {
    assertEquals(
      digest(await relayed(reader, sender.id, 17)),
      digest(expected),
    );
  }
  assertEquals(await sender.sync(), [], "no error line to the sender");
  assertEquals(log.count("conn.cut"), 0);
});

Deno.test("flow control: 3,000 lines in one write reach every member in order, at the rate, and the sender stays connected", async () => {
  const log = new LogCapture();
  await using t = await startServer({ logger: log });
  const members: (LineClient & { id: number })[] = [];
  for (let i = 0; i < 5; i++) members.push(await t.member(`m${i}`, "room"));
  const sender = await t.member("sender", "room");
  for (const member of members) await member.sync();
  const lines = Array.from({ length: 3_000 }, (_, i) => `3:0:scene-${i}`);
  const started = performance.now();
  await sender.send(...lines);
  const expected = lines.map((_, i) => `3:${sender.id}:scene-${i}`);
  for (const member of members) {
    assertEquals(await relayed(member, sender.id, 3_000), expected);
  }
  const seconds = (performance.now() - started) / 1000;
  const { maxMessagesPerSecond: rate, messageBurst: burst } = DEFAULT_LIMITS;
  assert.ok(
    seconds >= ((3_000 - burst) / rate) * 0.9,
    `delayed to the rate: ${seconds} s`,
  );
  assertEquals(await sender.sync(), [], "nothing refused");
  assertEquals(t.server.sessionCount, 6, "the sender is still connected");
  assertEquals(log.count("conn.cut"), 0);
});

Deno.test("flow control: two clients each write 1,000 3:3 lines at once; every member sees all 2,000 in one shared order", async () => {
  await using t = await startServer();
  const a = await t.member("a", "room");
  const b = await t.member("b", "room");
  const watchers: (LineClient & { id: number })[] = [];
  for (let i = 0; i < 3; i++) watchers.push(await t.member(`w${i}`, "room"));
  for (const member of [a, b, ...watchers]) await member.sync();
  const batch = (who: string) =>
    Array.from({ length: 1_000 }, (_, i) => `3:3:${who}${i}`);
  await Promise.all([a.send(...batch("a")), b.send(...batch("b"))]);
  const orders: string[][] = [];
  for (const member of [a, b, ...watchers]) {
    const got: string[] = [];
    while (got.length < 2_000) {
      const line = await member.next(30_000);
      if (/^3:\d+:[ab]\d+$/.test(line)) got.push(line);
    }
    orders.push(got);
  }
  for (const order of orders.slice(1)) assertEquals(order, orders[0]);
  for (const [who, id] of [["a", a.id], ["b", b.id]] as const) {
    assertEquals(
      orders[0]!.filter((l) => l.startsWith(`3:${id}:`)),
      batch(who).map((l) => `3:${id}:${l.slice(4)}`),
      `${who}'s lines in the order sent`,
    );
  }
});

Deno.test("flow control: a connection that never logs in is closed after the login timeout, whatever else it sends", async () => {
  const log = new LogCapture();
  const timeout = 2_000;
  await using t = await startServer({
    logger: log,
    limits: { loginTimeoutMs: timeout },
  });
  // Logged in before the others even connect, so that a loaded machine
  // cannot make its login late.
  const member = await t.member("member", "room");
  const opened = performance.now();
  const idle = await t.client();
  const chatty = await t.client();
  const refused = await t.client();
  // Lines that are not logins do not keep a connection open.
  const chatter = setInterval(() => {
    chatty.send("1:", "2:room", "junk").catch(() => {});
  }, 100);
  try {
    await refused.send("0:bad:name:with:colons");
    for (const client of [idle, chatty, refused]) {
      let line = await client.next();
      while (!line.startsWith("9:?:login-timeout:")) {
        line = await client.next(10_000);
      }
      await client.closed();
    }
  } finally {
    clearInterval(chatter);
  }
  const elapsed = performance.now() - opened;
  assert.ok(elapsed >= timeout, `closed after ${elapsed} ms`);
  assertEquals(log.count("conn.login_timeout"), 3);
  assertEquals(await member.sync(), [], "a logged-in client stays");
});

Deno.test("flow control: a logged-in connection outlives the login timeout; the timeout starts again when its session ends", async () => {
  // Long enough that a loaded machine cannot make c's own login late.
  const timeout = 3_000;
  await using t = await startServer({
    limits: { loginTimeoutMs: timeout, maxLoginsPerMinute: 1 },
  });
  const c = await t.client();
  const probe = await t.client();
  await c.login("ada");
  // The probe, opened with c, never logs in: once it is closed, c has been
  // logged in for longer than the timeout.
  assert.match(await probe.next(10_000), /^9:\?:login-timeout:/);
  await probe.closed();
  assertEquals(await c.sync(), [], "still served");
  // A login over the per-minute rate is refused, and ends ada's session.
  await c.send("0:bob:pw");
  assert.match(await c.next(), /^9:0:rate-limited:/);
  assertEquals(await c.next(), "0:-1");
  const ended = performance.now();
  assert.match(await c.next(10_000), /^9:\?:login-timeout:/);
  const after = performance.now() - ended;
  assert.ok(
    after >= timeout * 0.9,
    `closed ${after} ms after the session ended`,
  );
  await c.closed();
});
