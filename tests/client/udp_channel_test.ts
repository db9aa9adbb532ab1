/** The client's UDP channel against a real server on port 0. */
import assert from "node:assert/strict";
import { assertEquals } from "../helpers/assert.ts";
import { startServer, type TestServer } from "../helpers/server.ts";
import { collect } from "../helpers/incoming.ts";
import {
  type Incoming,
  InvalidArgumentError,
  NotLoggedInError,
  payloadText,
  RelayClient,
  UdpUnavailableError,
} from "../../client/mod.ts";
import { EpollDatagramTransport } from "../../net/posix/epoll_datagram.ts";

async function member(t: TestServer, name: string, room = "r", udp = false) {
  const client = await RelayClient.connect({ port: t.port });
  await client.login(name, "pw");
  await client.join(room);
  if (udp) await client.openUdp();
  return client;
}

/** "text via channel" for the next `count` messages. */
function heard(client: RelayClient, count: number) {
  return collect(
    client.messages(),
    count,
    ({ message, via }: Incoming) =>
      message.kind === "message"
        ? `${message.from}:${payloadText(message.payload)} via ${via ?? "tcp"}`
        : undefined,
  );
}

Deno.test("udp: lossy sends go as datagrams; receivers with a channel get datagrams, others TCP lines", async () => {
  await using t = await startServer();
  await using ada = await member(t, "ada", "r", true);
  await using bob = await member(t, "bob");
  assert.ok(ada.udp);
  assertEquals(t.server.udpChannelCount, 1);
  const adaHears = heard(ada, 1);
  const bobHears = heard(bob, 1);
  await ada.sendToAll("pose 1", { channel: "udp" });
  assertEquals(await adaHears, [`${ada.sessionId}:pose 1 via udp`]);
  assertEquals(await bobHears, [`${ada.sessionId}:pose 1 via tcp`]);
  assert.ok(
    t.server.udpStats!.datagramsIn >= 2,
    "the handshake and the message",
  );
});

Deno.test("udp: 3:0, 3:4 and groups over the channel reach channel holders as datagrams", async () => {
  await using t = await startServer();
  await using ada = await member(t, "ada", "r", true);
  await using bob = await member(t, "bob", "r", true);
  await ada.defineGroup("team", [bob.sessionId!]);
  // UDP is not ordered with TCP: an answer on TCP shows the group is defined
  // before a datagram names it.
  await ada.listRooms();
  const bobHears = heard(bob, 3);
  await ada.sendToOthers("others", { channel: "udp" });
  await ada.sendTo([bob.sessionId!], "direct", { channel: "udp" });
  await ada.sendToGroup("team", "group", { channel: "udp" });
  assertEquals(
    (await bobHears).sort(),
    ["direct", "group", "others"].map((m) => `${ada.sessionId}:${m} via udp`),
  );
});

Deno.test("udp: ordered modes and oversized messages are refused before sending", async () => {
  await using t = await startServer();
  await using ada = await member(t, "ada", "r", true);
  for (
    const send of [
      () => ada.sendToAllOrdered("x", { channel: "udp" }),
      () => ada.sendToOthersOrdered("x", { channel: "udp" }),
    ]
  ) {
    const error = await send().catch((e) => e);
    assert.ok(error instanceof InvalidArgumentError, String(error));
  }
  const big = await ada.sendToAll("x".repeat(1300), { channel: "udp" }).catch((
    e,
  ) => e);
  assert.ok(big instanceof InvalidArgumentError);
  assertEquals(
    t.server.udpStats!.dropped["refused-mode"],
    0,
    "nothing was sent",
  );
});

Deno.test("udp: not before login, not before openUdp, not from a server without UDP", async () => {
  await using t = await startServer();
  await using lone = await RelayClient.connect({ port: t.port });
  assert.ok((await lone.openUdp().catch((e) => e)) instanceof NotLoggedInError);
  await lone.login("ada", "pw");
  await lone.join("r");
  const closed = await lone.sendToAll("x", { channel: "udp" }).catch((e) => e);
  assert.ok(closed instanceof UdpUnavailableError);
  assertEquals(closed.code, "udp-unavailable");
  await using tcpOnly = await startServer({ udp: false });
  await using c = await RelayClient.connect({ port: tcpOnly.port });
  await c.login("bob", "pw");
  const none = await c.openUdp().catch((e) => e);
  assert.ok(none instanceof UdpUnavailableError);
  assert.match(none.message, /no UDP secret/);
});

Deno.test("udp: an unanswered handshake fails in time with a clear error", async () => {
  await using t = await startServer();
  // A client pointed at a UDP port where nobody answers.
  const silent = Deno.listenDatagram({
    hostname: "127.0.0.1",
    port: 0,
    transport: "udp",
  });
  try {
    await using c = await RelayClient.connect({
      port: t.port,
      udpPort: (silent.addr as Deno.NetAddr).port,
    });
    await c.login("ada", "pw");
    const error = await c.openUdp({ handshakeTimeoutMs: 600 }).catch((e) => e);
    assert.ok(error instanceof UdpUnavailableError);
    assert.match(error.message, /no answer to the handshake/);
    assertEquals(c.udp, false);
  } finally {
    silent.close();
  }
});

Deno.test("udp: a new login ends the channel with the session", async () => {
  await using t = await startServer();
  await using ada = await member(t, "ada", "r", true);
  await ada.login("ada2", "pw");
  assertEquals(ada.udp, false);
  await ada.join("r");
  const error = await ada.sendToAll("x", { channel: "udp" }).catch((e) => e);
  assert.ok(error instanceof UdpUnavailableError);
  await ada.openUdp();
  const hears = heard(ada, 1);
  await ada.sendToAll("again", { channel: "udp" });
  assertEquals(await hears, [`${ada.sessionId}:again via udp`]);
});

Deno.test("udp: a burst arrives packed and each message is its own event, byte for byte", async () => {
  // The epoll transport on both ends: the sender's burst leaves in one
  // sendmmsg, so the server reads it in one batch and packs it for bob.
  await using t = await startServer({
    udp: { transport: new EpollDatagramTransport() },
  });
  await using ada = await member(t, "ada");
  await ada.openUdp({ transport: new EpollDatagramTransport() });
  await using bob = await member(t, "bob", "r", true);
  await ada.listRooms();
  const texts = Array.from(
    { length: 100 },
    (_, i) => `pose ${i} ${"é".repeat(i % 40)}:${"x".repeat(i)}`,
  );
  const bobHears = collect(
    bob.messages(),
    texts.length,
    ({ message, via, raw }: Incoming) =>
      message.kind === "message"
        ? [payloadText(message.payload), via, raw.length] as const
        : undefined,
  );
  await Promise.all(
    texts.map((text) => ada.sendToOthers(text, { channel: "udp" })),
  );
  const got = await bobHears;
  assertEquals(got.map(([text]) => text), texts, "each one, in order");
  assert.ok(got.every(([, via]) => via === "udp"));
  const header = `3:${ada.sessionId}:`.length;
  assertEquals(
    got.map(([, , bytes]) => bytes),
    texts.map((text) => header + new TextEncoder().encode(text).length),
    "one message per event, no \\n",
  );
  const stats = t.server.udpStats!;
  assertEquals(stats.messagesOut, texts.length);
  assert.ok(stats.messagesPacked > 0, "they came packed");
});
