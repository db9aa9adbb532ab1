/** Connection, login and message-rate limits over real sockets. */
import assert from "node:assert/strict";
import { assertEquals } from "../../helpers/assert.ts";
import { LogCapture } from "../../helpers/log_capture.ts";
import { startServer } from "../../helpers/server.ts";

Deno.test("limits: connections over the per-address cap are refused at accept, with one error line, and logged", async () => {
  const log = new LogCapture();
  await using t = await startServer({
    limits: { maxConnectionsPerAddress: 2 },
    logger: log,
  });
  const a = await t.user("ada");
  const b = await t.user("bob");
  const refused = await t.client();
  assert.match(await refused.next(), /^9:\?:too-many-connections:/);
  await refused.closed();
  const record = await log.waitFor("conn.refused");
  assertEquals(record.level, "warn");
  assertEquals(record.fields.code, "too-many-connections");
  assertEquals(t.server.connectionCount, 2);
  await a.send("1:");
  assertEquals(await a.next(), "1:", "the admitted clients are served");
  await b.close();
  await log.until(() => log.count("conn.close") === 1, "bob's close");
  const c = await t.client();
  assert.match(
    await c.send("0:cy").then(() => c.next()),
    /^0:\d+(:[0-9a-f]{32})?$/,
  );
});

Deno.test("limits: connections over the total cap are refused with server-full", async () => {
  const log = new LogCapture();
  await using t = await startServer({
    limits: { maxConnections: 1 },
    logger: log,
  });
  await t.user("ada");
  const refused = await t.client();
  assert.match(await refused.next(), /^9:\?:server-full:/);
  await refused.closed();
  assertEquals((await log.waitFor("conn.refused")).fields.code, "server-full");
});

Deno.test("limits: login attempts over the per-minute cap get rate-limited and 0:-1; the session ends as with any login", async () => {
  const log = new LogCapture();
  await using t = await startServer({
    limits: { maxLoginsPerMinute: 3 },
    logger: log,
  });
  const watcher = await t.member("watcher", "r");
  const c = await t.client();
  await c.login("c1");
  await c.login("c2");
  const id = await c.login("c3");
  await c.send("2:r");
  await c.take(3);
  assertEquals(await watcher.next(), `2:${id}:r`);
  await c.send("0:c4:pw", "1:");
  assertEquals(await c.next(), `2:${id}:`, "the refused login still ends c3");
  assert.match(await c.next(), /^9:0:rate-limited:at most 3 login attempts/);
  assertEquals(await c.next(), "0:-1");
  assertEquals(await c.next(), "0:-1", "no session: 1: gets 0:-1");
  assertEquals(await watcher.next(), `2:${id}:`);
  await c.send("0:c5:pw");
  assert.match(await c.next(), /^9:0:rate-limited:/);
  assertEquals(await c.next(), "0:-1");
  assertEquals(log.count("limit.logins"), 1, "one log line per limit hit");
  assertEquals(t.server.sessionCount, 1);
  const other = await t.client();
  assert.match(
    await other.send("0:other").then(() => other.next()),
    /^0:\d+(:[0-9a-f]{32})?$/,
    "the cap is per connection",
  );
});

Deno.test("limits: a flood from one client is delayed, never refused: every line arrives, in order, at the rate, while others' messages flow", async () => {
  const log = new LogCapture();
  const limits = { maxMessagesPerSecond: 100, messageBurst: 50 };
  await using t = await startServer({ limits, logger: log });
  const listener = await t.member("listener", "r");
  const talker = await t.member("talker", "r");
  const flooder = await t.member("flooder", "r");
  await listener.sync();
  await talker.sync();
  const FLOOD = 300;
  const started = performance.now();
  // All of it in one write, far above the rate.
  await flooder.send(...Array.from({ length: FLOOD }, (_, i) => `3:0:f${i}`));
  await talker.send(...Array.from({ length: 20 }, (_, i) => `3:0:t${i}`));
  const fromTalker: string[] = [];
  const fromFlooder: string[] = [];
  let talkerDoneAt = -1;
  while (fromFlooder.length < FLOOD || fromTalker.length < 20) {
    const line = await listener.next(10_000);
    if (line.startsWith(`3:${talker.id}:`)) {
      fromTalker.push(line);
      if (fromTalker.length === 20) talkerDoneAt = fromFlooder.length;
    } else if (line.startsWith(`3:${flooder.id}:`)) fromFlooder.push(line);
    else assert.fail(`unexpected line ${line}`);
  }
  const elapsed = (performance.now() - started) / 1000;
  assertEquals(
    fromFlooder,
    Array.from({ length: FLOOD }, (_, i) => `3:${flooder.id}:f${i}`),
  );
  assertEquals(
    fromTalker,
    Array.from({ length: 20 }, (_, i) => `3:${talker.id}:t${i}`),
  );
  assert.ok(
    talkerDoneAt < FLOOD,
    "the talker's lines were not held up behind the flood",
  );
  const minSeconds = (FLOOD - limits.messageBurst) /
    limits.maxMessagesPerSecond;
  assert.ok(
    elapsed >= minSeconds * 0.9,
    `${FLOOD} lines took ${elapsed} s; the rate allows no less than ${minSeconds} s`,
  );
  // The flooder was refused nothing and is still connected and served.
  const toFlooder = await flooder.sync();
  assertEquals(toFlooder.filter((l) => !l.startsWith(`3:${talker.id}:`)), []);
  assertEquals(log.count("limit.rate"), 1, "one log line per window");
  assertEquals(t.server.sessionCount, 3);
});

Deno.test("limits: the message rate applies before login too: garbage is delayed and answered, not a reason to disconnect", async () => {
  await using t = await startServer({
    limits: { maxMessagesPerSecond: 20, messageBurst: 10 },
  });
  const c = await t.client();
  const started = performance.now();
  await c.write(new TextEncoder().encode("junk\n".repeat(30)));
  const answers = await c.take(30);
  const elapsed = (performance.now() - started) / 1000;
  assert.ok(answers.every((l) => l.startsWith("9:?:unknown-command")));
  assert.ok(
    elapsed >= 0.9,
    `30 lines at 20/s after a burst of 10: ${elapsed} s`,
  );
  assert.ok(!c.ended);
  assert.match(
    await c.send("0:ok").then(() => c.next()),
    /^0:\d+(:[0-9a-f]{32})?$/,
    "the same connection logs in afterwards",
  );
});

Deno.test("limits: hits of the room and group limits are logged, one line each", async () => {
  const log = new LogCapture();
  await using t = await startServer({
    limits: { maxRooms: 1, maxGroupsPerClient: 1 },
    logger: log,
  });
  await t.member("ada", "r");
  const b = await t.user("bob");
  await b.send("2:other", "5:g1:1", "5:g2:1");
  assert.match(await b.next(), /^9:2:too-many-rooms:/);
  assert.match(await b.next(), /^9:5:too-many-groups:/);
  assertEquals((await log.waitFor("limit.rooms")).fields.max, 1);
  assertEquals((await log.waitFor("limit.groups")).fields.session, b.id);
  assertEquals([log.count("limit.rooms"), log.count("limit.groups")], [1, 1]);
});
