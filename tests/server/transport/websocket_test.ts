/**
 * What only the WebSocket port has: one line per message (a `\n` inside is
 * refused), the Origin check, the paths, and a mixed room of TCP, UDP and
 * WebSocket clients where each receives what the others send.
 */
import assert from "node:assert/strict";
import { assertEquals } from "../../helpers/assert.ts";
import { UdpClient } from "../../helpers/udp_client.ts";
import { startOver } from "../../helpers/transports.ts";
import { WsLineClient } from "../../helpers/ws_line_client.ts";

Deno.test("ws: a message with a \\n inside is refused with an error and not relayed; the next one is", async () => {
  await using t = await startOver("ws");
  const a = await t.member("ada", "r");
  const b = await t.member("bob", "r", "tcp");
  await a.sync();
  await a.send("3:0:one\n3:0:two", "3:0:three\n", "3:0:four");
  assertEquals(await a.take(2), [
    "9:?:malformed:a WebSocket message is one line: no \\n inside",
    "9:?:malformed:a WebSocket message is one line: no \\n inside",
  ]);
  assertEquals(await b.next(), `3:${a.id}:four`);
  assertEquals(await b.sync(), []);
});

Deno.test("ws: text and binary messages are both lines; the server sends binary", async () => {
  await using t = await startOver("ws");
  const a = await t.member("ada", "r");
  const b = await t.member("bob", "r");
  await a.sync();
  await a.write(new TextEncoder().encode("3:0:binary"));
  await a.send("3:0:text");
  assertEquals(await b.take(2), [`3:${a.id}:binary`, `3:${a.id}:text`]);
});

Deno.test("ws: Origin: none and the server's own are let in, another site's page is refused with 403", async () => {
  await using t = await startOver("ws");
  const port = t.server.httpPort;
  await using none = await WsLineClient.connect(port);
  assert.match(String(await none.login("prog")), /^\d+$/);
  await using same = await WsLineClient.connect(port, {
    origin: `http://127.0.0.1:${port}`,
  });
  assert.match(String(await same.login("page")), /^\d+$/);
  await assert.rejects(
    WsLineClient.connect(port, { origin: "https://evil.example" }),
    /403/,
  );
  await assert.rejects(WsLineClient.connect(port, { path: "/other" }), /404/);
  assertEquals(t.server.sessionCount, 2);
});

Deno.test("ws: --allowed-origins lets the listed site in", async () => {
  await using t = await startOver("ws", {
    http: { port: 0, allowedOrigins: "https://game.example" },
  });
  await using ok = await WsLineClient.connect(t.server.httpPort, {
    origin: "https://game.example",
  });
  assert.match(String(await ok.login("page")), /^\d+$/);
  await assert.rejects(
    WsLineClient.connect(t.server.httpPort, {
      origin: `http://127.0.0.1:${t.server.httpPort}`,
    }),
    /403/,
    "without 'same' in the list, the server's own page is not implied",
  );
});

Deno.test("ws: the HTTP port serves the demo page and its script", async () => {
  await using t = await startOver("ws");
  const base = `http://127.0.0.1:${t.server.httpPort}`;
  const page = await fetch(`${base}/`);
  assertEquals(page.status, 200);
  assert.match(await page.text(), /<canvas id="scene"/);
  const script = await fetch(`${base}/demo.js`);
  assertEquals(
    script.headers.get("content-type"),
    "text/javascript; charset=utf-8",
  );
  assert.ok((await script.text()).length > 10_000);
  const missing = await fetch(`${base}/nope`);
  assertEquals(missing.status, 404);
  await missing.body?.cancel();
  const plainGet = await fetch(`${base}/ws`);
  assertEquals(plainGet.status, 426);
  await plainGet.body?.cancel();
});

Deno.test("mixed room: TCP, TCP+UDP and WebSocket clients each receive what the others send", async () => {
  await using t = await startOver("ws");
  const tcp = await t.member("tcp", "r", "tcp");
  const udpUser = await t.member("udp", "r", "tcp");
  const ws = await t.member("ws", "r");
  for (const x of [tcp, udpUser]) await x.sync();
  await using udp = UdpClient.open(t.server.udpPort);
  assertEquals(
    await udp.handshake(udpUser.id, udpUser.secret),
    `0:${udpUser.id}:connected`,
  );
  // One datagram, as the UDP tests send: loopback does not drop it.
  await udp.send("3:0:from udp");
  await tcp.send("3:0:from tcp");
  await ws.send("3:1:from ws", "3:2:ordered from ws");
  const fromUdp = `3:${udpUser.id}:from udp`;
  const fromTcp = `3:${tcp.id}:from tcp`;
  const fromWs = [`3:${ws.id}:from ws`, `3:${ws.id}:ordered from ws`];
  const sorted = (lines: string[]) => [...lines].sort();
  assertEquals(
    sorted(await ws.take(3)),
    sorted([fromUdp, fromTcp, fromWs[0]!]),
  );
  assertEquals(sorted(await tcp.take(3)), sorted([fromUdp, ...fromWs]));
  // What the others sent over their streams reaches the UDP user's stream.
  assertEquals(sorted(await udpUser.take(3)), sorted([fromTcp, ...fromWs]));
});
