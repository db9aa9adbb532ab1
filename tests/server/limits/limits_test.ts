/** Connection, login and message-rate limits over real sockets. */
import assert from "node:assert/strict";
import { assertEquals } from "../../helpers/assert.ts";
import { LogCapture } from "../../helpers/log_capture.ts";
import { LineClient } from "../../helpers/line_client.ts";
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

Deno.test("limits: a flood from one client is limited and then disconnected while others' messages still flow", async () => {
  const log = new LogCapture();
  const limits = {
    maxMessagesPerSecond: 50,
    messageBurst: 50,
    maxRateRefusals: 100,
  };
  await using t = await startServer({ limits, logger: log });
  const listener = await t.member("listener", "r");
  const talker = await t.member("talker", "r");
  const flooder = await t.member("flooder", "r");
  await listener.sync();
  await talker.sync();
  const started = performance.now();
  const flood = flooder.send(
    ...Array.from({ length: 1000 }, (_, i) => `3:0:f${i}`),
  ).catch(() => {/* the server may close before all is written */});
  await talker.send(...Array.from({ length: 20 }, (_, i) => `3:0:t${i}`));
  await flood;
  // The flooder hears its refusals, the reason it is closed, its leave.
  const answers: string[] = [];
  for (let line = await flooder.next(); line !== `2:${flooder.id}:`;) {
    answers.push(line);
    line = await flooder.next();
  }
  const elapsed = (performance.now() - started) / 1000;
  await flooder.closed();
  const retry = answers.filter((l) => /^9:3:rate-limited:over 50 /.test(l));
  assertEquals(retry.length, limits.maxRateRefusals);
  assertEquals(answers.at(-1), "9:3:rate-limited:flooding; closing");
  // The listener hears every talker line in order, a limited prefix of the
  // flood, and the flooder's leave.
  const fromTalker: string[] = [];
  const fromFlooder: string[] = [];
  for (let line = await listener.next(); line !== `2:${flooder.id}:`;) {
    if (line.startsWith(`3:${talker.id}:`)) fromTalker.push(line);
    else if (line.startsWith(`3:${flooder.id}:`)) fromFlooder.push(line);
    line = await listener.next();
  }
  while (fromTalker.length < 20) {
    const line = await listener.next();
    if (line.startsWith(`3:${talker.id}:`)) fromTalker.push(line);
  }
  assertEquals(
    fromTalker,
    Array.from({ length: 20 }, (_, i) => `3:${talker.id}:t${i}`),
  );
  assert.ok(
    fromFlooder.length <= limits.messageBurst +
        limits.maxMessagesPerSecond * elapsed + 1,
    `${fromFlooder.length} flood lines relayed in ${elapsed} s`,
  );
  assertEquals(
    fromFlooder,
    fromFlooder.map((_, i) => `3:${flooder.id}:f${i}`),
    "the accepted part of the flood is a prefix, in order",
  );
  assertEquals(log.count("limit.rate"), 1, "one log line per window");
  assertEquals(log.count("limit.flood"), 1);
  assertEquals(t.server.sessionCount, 2);
});

Deno.test("limits: the message rate applies before login too: a garbage flood is disconnected", async () => {
  await using t = await startServer({
    limits: { maxMessagesPerSecond: 10, messageBurst: 10, maxRateRefusals: 5 },
  });
  const c = await t.client();
  await c.write(new TextEncoder().encode("junk\n".repeat(100)));
  const lines: string[] = [];
  await c.closed().catch(() => {});
  assert.ok(c.ended);
  lines.push(...c.history);
  assertEquals(
    lines.filter((l) => l.startsWith("9:?:unknown-command")).length,
    10,
  );
  assertEquals(lines.filter((l) => l.startsWith("9:?:rate-limited")).length, 6);
  assertEquals(lines.at(-1), "9:?:rate-limited:flooding; closing");
  const fresh = await LineClient.connect(t.port);
  await using _ = fresh;
  assert.match(
    await fresh.send("0:ok").then(() => fresh.next()),
    /^0:\d+(:[0-9a-f]{32})?$/,
    "others are still served",
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
