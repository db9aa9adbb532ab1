/**
 * The keyed UDP handshake `0:<id>:<n>:<mac>`: it proves the session's secret
 * without sending it, a recorded one cannot be replayed from elsewhere, and
 * a session on TLS/WSS accepts only this form (its secret never crosses the
 * network in clear). The client library always uses it.
 */
import assert from "node:assert/strict";
import { assertEquals } from "../../helpers/assert.ts";
import { hasOpenssl } from "../../helpers/certs.ts";
import { LogCapture } from "../../helpers/log_capture.ts";
import { startOver } from "../../helpers/transports.ts";
import { UdpClient } from "../../helpers/udp_client.ts";
import { udpMac } from "../../../net/udp_proof.ts";
import { UdpChannel } from "../../../client/mod.ts";

const keyed = (id: number, secret: string, n: number, pack = false) =>
  `0:${id}:${n}:${udpMac(secret, id, n, pack)}${pack ? ":pack" : ""}`;

Deno.test("udp keyed: accepted; a replay from another address is refused, a repeat from the channel's own answered", async () => {
  const logger = new LogCapture();
  await using t = await startOver("tcp", { logger });
  const ada = await t.user("ada");
  await using mine = UdpClient.open(t.server.udpPort);
  await using thief = UdpClient.open(t.server.udpPort);
  const hello = keyed(ada.id, ada.secret!, 5);
  await mine.send(hello);
  assertEquals(await mine.next(), `0:${ada.id}:connected`);
  await thief.send(hello);
  await logger.until(
    () =>
      logger.of("udp.drop").some((r) => r.fields.reason === "bad-handshake"),
    "the replay dropped",
  );
  await mine.send(hello);
  assertEquals(await mine.next(), `0:${ada.id}:connected`, "a repeat");
  // An older counter and a wrong key are refused (dropped, no answer) ...
  const drops = logger.count("udp.drop");
  await mine.send(keyed(ada.id, ada.secret!, 4));
  await mine.send(keyed(ada.id, "0".repeat(32), 9));
  await logger.until(() => logger.count("udp.drop") === drops + 2, "2 drops");
  // ... a larger one from anywhere is the session's (a NAT rebinding).
  await thief.send(keyed(ada.id, ada.secret!, 6));
  assertEquals(
    await thief.next(),
    `0:${ada.id}:connected`,
    "a new counter moves the channel",
  );
});

Deno.test({
  name:
    `udp keyed: a TLS session refuses its secret in clear and takes the keyed form${
      hasOpenssl() ? "" : " (ignored: no openssl)"
    }`,
  ignore: !hasOpenssl(),
  fn: async () => {
    const logger = new LogCapture();
    await using t = await startOver("tls", { logger });
    const ada = await t.user("ada");
    await using udp = UdpClient.open(t.server.udpPort);
    await udp.send(`0:${ada.id}:${ada.secret}`);
    await logger.until(
      () =>
        logger.of("udp.drop").some((r) => r.fields.reason === "bad-handshake"),
      "the clear secret refused",
    );
    await udp.send(keyed(ada.id, ada.secret!, 1));
    assertEquals(await udp.next(), `0:${ada.id}:connected`);
    // A plain TCP session still takes the clear form (older clients).
    const bob = await t.user("bob", "tcp");
    await using plain = UdpClient.open(t.server.udpPort);
    assertEquals(
      await plain.handshake(bob.id, bob.secret),
      `0:${bob.id}:connected`,
    );
  },
});

Deno.test("udp keyed: the client library's handshake never carries the secret, and asks for packing", async () => {
  // A socket standing in for the server records the handshakes it gets.
  const fake = Deno.listenDatagram({
    transport: "udp",
    hostname: "127.0.0.1",
    port: 0,
  });
  const secret = "0123456789abcdef0123456789abcdef";
  const opening = UdpChannel.open({
    host: "127.0.0.1",
    port: (fake.addr as Deno.NetAddr).port,
    sessionId: 7,
    secret,
    onDatagram() {},
    handshakeTimeoutMs: 600,
  });
  const seen: string[] = [];
  for (let i = 0; i < 2; i++) {
    const [data] = await fake.receive();
    seen.push(new TextDecoder().decode(data));
  }
  await assert.rejects(opening);
  fake.close();
  for (const hello of seen) {
    assert.match(hello, /^0:7:\d+:[0-9a-f]{32}:pack$/);
    assert.ok(!hello.includes(secret));
  }
  const counters = seen.map((h) => Number(h.split(":")[2]));
  assert.ok(counters[1]! > counters[0]!, "each repeat has a new counter");
  assertEquals(seen[0], keyed(7, secret, counters[0]!, true));
});
