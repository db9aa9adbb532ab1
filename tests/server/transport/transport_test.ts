/** The same relay behaviour over each TCP implementation. */
import assert from "node:assert/strict";
import { assertEquals } from "../../helpers/assert.ts";
import { NO_RATE_LIMIT, startServer } from "../../helpers/server.ts";
import {
  DenoTcpTransport,
  EpollTcpTransport,
  NodeTcpTransport,
  type Transport,
} from "../../../server/mod.ts";

const transports: [string, () => Transport][] = [
  ["node:net", () => new NodeTcpTransport()],
  ["Deno.listen", () => new DenoTcpTransport()],
  ["epoll", () => new EpollTcpTransport()],
];

for (const [name, make] of transports) {
  Deno.test(`transport ${name}: join, relay in bulk, leave, disconnect`, async () => {
    await using t = await startServer({
      transport: make(),
      limits: NO_RATE_LIMIT,
    });
    const a = await t.member("ada", "r");
    const b = await t.member("bob", "r");
    await a.sync();
    const lines = Array.from(
      { length: 5000 },
      (_, i) => `3:0:${i}:${"x".repeat(i % 200)}`,
    );
    await a.send(...lines);
    const got = await b.take(lines.length);
    assertEquals(got, lines.map((l) => `3:${a.id}:${l.slice(4)}`));
    await b.send("2:-1");
    assertEquals(await b.next(), `2:${b.id}:`);
    assertEquals(await a.next(), `2:${b.id}:`);
    await b.send("2:r");
    assertEquals(await b.take(3), [`2:${b.id}:r`, `2:${a.id}:r`, `4:${a.id}`]);
    await a.close();
    assertEquals(await b.take(2), [`2:${a.id}:`, `4:${b.id}`]);
    await b.send("1:");
    assertEquals(await b.next(), "1:r-1");
  });

  Deno.test(`transport ${name}: a connection over the limit gets one error line and is closed`, async () => {
    await using t = await startServer({
      transport: make(),
      limits: { maxConnections: 1 },
    });
    await t.user("ada");
    const refused = await t.client();
    assert.match(await refused.next(), /^9:\?:server-full:/);
    await refused.closed();
    assertEquals(t.server.connectionCount, 1);
  });

  Deno.test(`transport ${name}: close() ends every session and connection`, async () => {
    const t = await startServer({ transport: make() });
    const a = await t.member("ada", "r");
    await t.server.close();
    assertEquals(await a.take(3), [
      "9:0:shutting-down:the server is shutting down",
      "0:-1",
      `2:${a.id}:`,
    ]);
    await a.closed();
    assertEquals([t.server.connectionCount, t.server.sessionCount], [0, 0]);
    await t[Symbol.asyncDispose]();
  });
}
