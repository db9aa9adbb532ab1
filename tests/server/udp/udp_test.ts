/**
 * The UDP channel with real datagrams on 127.0.0.1, against both datagram
 * APIs: handshakes (secure, legacy), relay in every mode, TCP fallback,
 * takeover attempts, NAT rebinding, drops, and the channel's end.
 *
 * Absence is shown by order, never by waiting: datagrams from one socket are
 * handled in order and datagrams to one socket arrive in order on loopback,
 * so a later marker that arrives first proves that nothing came before it.
 */
import assert from "node:assert/strict";
import { assertEquals } from "../../helpers/assert.ts";
import type { LineClient } from "../../helpers/line_client.ts";
import {
  startServer,
  type TestServer,
  type User,
} from "../../helpers/server.ts";
import { UdpClient } from "../../helpers/udp_client.ts";
import { DATAGRAM_APIS as APIS } from "../../helpers/datagram_apis.ts";
import {
  type DatagramTransport,
  DenoDatagramTransport,
  type RelayServerOptions,
  type UdpOptions,
} from "../../../server/mod.ts";

type Player = LineClient & User & { udp: UdpClient };

/** A test server plus its UDP sockets, all closed on dispose. */
class Fixture implements AsyncDisposable {
  readonly #sockets: UdpClient[] = [];
  constructor(readonly t: TestServer) {}

  static async start(
    transport: () => DatagramTransport,
    udp: Omit<UdpOptions, "transport"> = {},
    options: RelayServerOptions = {},
  ): Promise<Fixture> {
    return new Fixture(
      await startServer({
        ...options,
        udp: { ...udp, transport: transport() },
      }),
    );
  }

  get stats() {
    return this.t.server.udpStats!;
  }

  /** A new UDP socket aimed at the server, from `hostname` (loopback). */
  socket(hostname?: string): UdpClient {
    const socket = UdpClient.open(this.t.server.udpPort, hostname);
    this.#sockets.push(socket);
    return socket;
  }

  /** A member of `room` whose UDP channel is open (secure handshake). */
  async player(name: string, room: string): Promise<Player> {
    const tcp = await this.t.member(name, room);
    const udp = this.socket();
    assertEquals(
      await udp.handshake(tcp.id, tcp.secret),
      `0:${tcp.id}:connected`,
    );
    return Object.assign(tcp, { udp });
  }

  async [Symbol.asyncDispose](): Promise<void> {
    await Promise.all(this.#sockets.map((s) => s.close()));
    await this.t[Symbol.asyncDispose]();
  }
}

/** Reads lines until `expected` (each read has the usual deadline). */
async function lineFrom(client: LineClient, expected: string): Promise<void> {
  while (await client.next() !== expected);
}

/** ada, bob, cy with channels and di without, in room r; eve with a channel elsewhere. */
async function scene(f: Fixture) {
  const ada = await f.player("ada", "r");
  const bob = await f.player("bob", "r");
  const cy = await f.player("cy", "r");
  const di = await f.t.member("di", "r");
  const eve = await f.player("eve", "elsewhere");
  for (const x of [ada, bob, cy]) await x.sync();
  return { ada, bob, cy, di, eve };
}

for (const [api, transport] of APIS) {
  Deno.test(`udp[${api}]: the login reply carries a fresh 32-hex secret per session`, async () => {
    await using f = await Fixture.start(transport);
    const a = await f.t.user("ada");
    const b = await f.t.user("bob");
    assert.match(a.secret ?? "", /^[0-9a-f]{32}$/);
    assert.match(b.secret ?? "", /^[0-9a-f]{32}$/);
    assert.notEqual(a.secret, b.secret);
    assertEquals(f.t.server.udpPort, f.t.server.port, "same port number");
  });

  Deno.test(`udp[${api}]: secure handshake is answered 0:id:connected, again when repeated`, async () => {
    await using f = await Fixture.start(transport);
    const ada = await f.t.user("ada");
    const udp = f.socket();
    assertEquals(
      await udp.handshake(ada.id, ada.secret),
      `0:${ada.id}:connected`,
    );
    assertEquals(
      await udp.handshake(ada.id, ada.secret),
      `0:${ada.id}:connected`,
    );
    assertEquals(f.t.server.udpChannelCount, 1);
  });

  Deno.test(`udp[${api}]: relay 3:0, 3:1, 3:4 and 4:group as datagrams, TCP for receivers without a channel`, async () => {
    await using f = await Fixture.start(transport);
    const { ada, bob, cy, di, eve } = await scene(f);
    await ada.udp.send("3:0:zero");
    assertEquals(await bob.udp.next(), `3:${ada.id}:zero`);
    assertEquals(await cy.udp.next(), `3:${ada.id}:zero`);
    assertEquals(await di.next(), `3:${ada.id}:zero`, "di has no channel: TCP");
    await ada.udp.send("3:1:one:with:colons");
    assertEquals(
      await ada.udp.next(),
      `3:${ada.id}:one:with:colons`,
      "3:1 reaches the sender too, and 3:0 did not",
    );
    assertEquals(await bob.udp.next(), `3:${ada.id}:one:with:colons`);
    assertEquals(await cy.udp.next(), `3:${ada.id}:one:with:colons`);
    assertEquals(await di.next(), `3:${ada.id}:one:with:colons`);

    await ada.udp.send(`3:4:${eve.id}:${di.id}:${eve.id}:psst`);
    assertEquals(await eve.udp.next(), `3:${ada.id}:psst`);
    assertEquals(await di.next(), `3:${ada.id}:psst`);

    await ada.send(`5:team:${bob.id}:${di.id}`);
    await ada.sync();
    await ada.udp.send("4:team:go");
    assertEquals(await bob.udp.next(), `3:${ada.id}:go`);
    assertEquals(await di.next(), `3:${ada.id}:go`);

    // Markers: whatever eve, cy and di got before them would come first.
    await ada.udp.send(`3:4:${eve.id}:${cy.id}:${bob.id}:marker`);
    assertEquals(
      await eve.udp.next(),
      `3:${ada.id}:marker`,
      "eve got 3:4 once",
    );
    assertEquals(await cy.udp.next(), `3:${ada.id}:marker`, "cy not in team");
    assertEquals(await bob.udp.next(), `3:${ada.id}:marker`);
    assertEquals(await di.sync(), [], "di got each message once, over TCP");
    assertEquals(f.stats.tcpFallbacks, 4);
  });

  Deno.test(`udp[${api}]: payload bytes are relayed as they are; a newline only at the end`, async () => {
    await using f = await Fixture.start(transport);
    const { ada, bob, di } = await scene(f);
    const enc = new TextEncoder();
    const payload = [0x00, 0xff, 0x3a, 0x0d, 0xc3, 0x28, 0x62];
    await ada.udp.send(Uint8Array.from([...enc.encode("3:0:"), ...payload]));
    const expected = [...enc.encode(`3:${ada.id}:`), ...payload];
    assertEquals([...await bob.udp.nextBytes()], expected);
    assertEquals([...await di.nextBytes()], expected, "and over TCP");
    // Inside a message a \n could forge a line for TCP receivers: dropped.
    await ada.udp.send("3:0:x\n0:-1");
    // At the end it is ignored, so `nc -u` works.
    await ada.udp.send("3:0:typed\n");
    await ada.udp.send("3:0:typed too\r\n");
    assertEquals(await bob.udp.take(2), [
      `3:${ada.id}:typed`,
      `3:${ada.id}:typed too`,
    ]);
    assertEquals(await di.take(2), [
      `3:${ada.id}:typed`,
      `3:${ada.id}:typed too`,
    ]);
    assertEquals(f.stats.dropped.malformed, 1);
  });

  Deno.test(`udp[${api}]: messages sent over TCP still go over TCP`, async () => {
    await using f = await Fixture.start(transport);
    const { ada, bob } = await scene(f);
    await ada.send("3:0:by-tcp");
    assertEquals(await bob.next(), `3:${ada.id}:by-tcp`);
    await ada.udp.send("3:0:marker");
    assertEquals(await bob.udp.next(), `3:${ada.id}:marker`);
  });

  Deno.test(`udp[${api}]: ordered modes and other commands are refused over UDP, silently`, async () => {
    await using f = await Fixture.start(transport);
    const { ada, bob, di } = await scene(f);
    for (
      const refused of ["3:2:x", "3:3:x", "2:other", "2:-1", "1:", "5:g:1"]
    ) {
      await ada.udp.send(refused);
    }
    await ada.udp.send("3:1:marker");
    assertEquals(
      await ada.udp.next(),
      `3:${ada.id}:marker`,
      "no answer came first",
    );
    assertEquals(await bob.udp.next(), `3:${ada.id}:marker`);
    assertEquals(await di.next(), `3:${ada.id}:marker`);
    assertEquals(await ada.sync(), [], "no error line over TCP either");
    assertEquals(f.stats.dropped["refused-mode"], 6);
    assertEquals(f.t.server.roomCount, 2, "2:other did nothing");
  });

  Deno.test(`udp[${api}]: room sends outside a room and unknown groups are dropped`, async () => {
    await using f = await Fixture.start(transport);
    const ada = await f.t.user("ada");
    const udp = f.socket();
    await udp.handshake(ada.id, ada.secret);
    await udp.send("3:0:alone");
    await udp.send("4:nogroup:x");
    await udp.send(`3:4:${ada.id}:marker`);
    assertEquals(await udp.next(), `3:${ada.id}:marker`);
    assertEquals(f.stats.dropped.undeliverable, 2);
    assertEquals(await ada.sync(), []);
  });

  Deno.test(`udp[${api}]: a neighbour on the same IP cannot take over a channel without the secret`, async () => {
    await using f = await Fixture.start(transport);
    const { ada, bob } = await scene(f);
    const mallory = await f.t.member("mallory", "r");
    const evil = f.socket();
    await evil.send(`0:${ada.id}:${"0".repeat(32)}`);
    await evil.send(`0:${ada.id}:${ada.secret!.slice(0, 31)}`);
    await evil.send(`0:${ada.id}:${mallory.secret}`);
    await evil.send(`0:${ada.id}`);
    await evil.send(`0:${ada.id}:${ada.secret}x`);
    await evil.send("3:1:as-ada?");
    // mallory's own handshake from the same socket is her marker.
    assertEquals(
      await evil.handshake(mallory.id, mallory.secret),
      `0:${mallory.id}:connected`,
    );
    assertEquals(f.stats.dropped["bad-handshake"], 5);
    assertEquals(f.stats.dropped["unknown-sender"], 1);
    await bob.udp.send("3:0:to-ada");
    assertEquals(
      await ada.udp.next(),
      `3:${bob.id}:to-ada`,
      "ada's channel is still hers",
    );
    assertEquals(
      await evil.next(),
      `3:${bob.id}:to-ada`,
      "mallory gets only her own copy",
    );
    await evil.send("3:0:from-mallory");
    assertEquals(await ada.udp.next(), `3:${mallory.id}:from-mallory`);
  });

  Deno.test(`udp[${api}]: the bare legacy handshake is refused without --udp-legacy`, async () => {
    await using f = await Fixture.start(transport);
    const ada = await f.t.user("ada");
    const udp = f.socket();
    await udp.send(`0:${ada.id}`);
    assertEquals(
      await udp.handshake(ada.id, ada.secret),
      `0:${ada.id}:connected`,
      "the bare form got no answer",
    );
    assertEquals(f.stats.dropped["bad-handshake"], 1);
  });

  Deno.test(`udp[${api}]: with legacy on, the bare handshake works from the session's IP only`, async () => {
    await using f = await Fixture.start(transport, { legacy: true });
    const ada = await f.t.member("ada", "r");
    const bob = await f.player("bob", "r");
    const udp = f.socket();
    assertEquals(await udp.handshake(ada.id), `0:${ada.id}:connected`);
    await bob.udp.send("3:0:hi");
    assertEquals(await udp.next(), `3:${bob.id}:hi`);
    await udp.send("3:0:back");
    assertEquals(await bob.udp.next(), `3:${ada.id}:back`);
    // From another address, the bare form is refused; a wrong secret too.
    const elsewhere = f.socket("127.0.0.2");
    await elsewhere.send(`0:${bob.id}`);
    await elsewhere.send(`0:${bob.id}:${"f".repeat(32)}`);
    // The secure form does not depend on the address.
    assertEquals(
      await elsewhere.handshake(bob.id, bob.secret),
      `0:${bob.id}:connected`,
    );
    assertEquals(f.stats.dropped["bad-handshake"], 2);
  });

  Deno.test(`udp[${api}]: a handshake from a new port moves the channel (NAT rebinding)`, async () => {
    await using f = await Fixture.start(transport);
    const { ada, bob } = await scene(f);
    const rebound = f.socket();
    assertEquals(
      await rebound.handshake(ada.id, ada.secret),
      `0:${ada.id}:connected`,
    );
    assertEquals(f.t.server.udpChannelCount, 4);
    await bob.udp.send("3:0:after-move");
    assertEquals(await rebound.next(), `3:${bob.id}:after-move`);
    await ada.udp.send("3:0:from-old-port");
    await rebound.send("3:0:from-new-port");
    assertEquals(await bob.udp.next(), `3:${ada.id}:from-new-port`);
    assertEquals(f.stats.dropped["unknown-sender"], 1);
    // Moving back: the old socket's first datagram is the reply, so the
    // message relayed while it had no channel never reached it.
    assertEquals(
      await ada.udp.handshake(ada.id, ada.secret),
      `0:${ada.id}:connected`,
    );
  });

  Deno.test(`udp[${api}]: oversized, garbage and unknown-source datagrams are dropped; serving goes on`, async () => {
    await using f = await Fixture.start(transport, {}, {
      limits: { maxDatagramBytes: 300 },
    });
    const { ada, bob } = await scene(f);
    const stranger = f.socket();
    const big = new Uint8Array(301).fill(0x61);
    big.set(new TextEncoder().encode("3:0:"));
    const justRight = big.subarray(0, 300);
    await ada.udp.send(big);
    await stranger.send(big);
    const garbage = [
      "",
      "hello",
      "3",
      "3:9:x",
      "3:01:x",
      "4:",
      "4:bad,name:x",
      "9:x",
      "0:",
      "0:abc",
      "0:1:",
      `0:${"9".repeat(16)}:x`,
    ];
    for (const g of garbage) await ada.udp.send(g);
    await ada.udp.send(Uint8Array.from([0xff, 0xfe, 0x00, 0x3a]));
    await stranger.send("3:0:who am i");
    await stranger.send(`0:999999:${"a".repeat(32)}`);
    await ada.udp.send(justRight);
    assertEquals(
      (await bob.udp.nextBytes()).length,
      300 - 4 + `3:${ada.id}:`.length,
    );
    await stranger.handshake(ada.id, ada.secret);
    assertEquals(f.stats.dropped.oversized, 2);
    assertEquals(f.stats.dropped.malformed, garbage.length + 1);
    assertEquals(f.stats.dropped["unknown-sender"], 1);
    assertEquals(f.stats.dropped["bad-handshake"], 1, "no session 999999");
    assertEquals(
      await ada.sync(),
      [],
      "nothing is answered, not even over TCP",
    );
  });

  Deno.test(`udp[${api}]: the channel ends with the session: re-login, disconnect, supersede`, async () => {
    await using f = await Fixture.start(transport);
    const { ada, bob, cy } = await scene(f);
    const watcher = await f.player("wat", "r");
    for (const x of [ada, bob, cy]) await x.sync();
    assertEquals(f.t.server.udpChannelCount, 5);

    // Logging in again on the same connection ends ada's session.
    await ada.send("0:ada2:pw");
    assertEquals(await ada.next(), `2:${ada.id}:`);
    assert.match(await ada.next(), /^0:\d+:[0-9a-f]{32}$/);
    await ada.udp.send("3:0:ghost");
    // Disconnecting ends bob's.
    await bob.close();
    await lineFrom(watcher, `2:${bob.id}:`);
    await bob.udp.send("3:0:ghost");
    // A login elsewhere supersedes cy's.
    const cy2 = await f.t.client();
    const { id, secret } = await cy2.welcome("cy");
    await lineFrom(cy, "0:-1");
    await lineFrom(watcher, `2:${cy.id}:`);
    await cy.udp.send("3:0:ghost");
    await cy.udp.send(`0:${cy.id}:${cy.secret}`);

    await watcher.udp.send("3:1:marker");
    assertEquals(
      await watcher.udp.next(),
      `3:${watcher.id}:marker`,
      "no ghost",
    );
    assertEquals(await cy.udp.handshake(id, secret), `0:${id}:connected`);
    assertEquals(f.stats.dropped["unknown-sender"], 3);
    assertEquals(
      f.stats.dropped["bad-handshake"],
      1,
      "the ended session's secret",
    );
    assertEquals(
      f.t.server.udpChannelCount,
      3,
      "eve, wat, and cy's new session",
    );
  });

  Deno.test(`udp[${api}]: closing the server ends every channel`, async () => {
    const f = await Fixture.start(transport);
    await f.player("ada", "r");
    assertEquals(f.t.server.udpChannelCount, 1);
    await f[Symbol.asyncDispose]();
    assertEquals(f.t.server.udpChannelCount, 0);
    assertEquals(f.t.server.udpPort, 0);
  });
}

Deno.test("udp: off with udp: false; the login reply is then the seeds' 0:id", async () => {
  await using t = await startServer({ udp: false });
  const ada = await t.user("ada");
  assertEquals(ada.secret, null);
  assertEquals(t.server.udpPort, 0);
  assertEquals(t.server.udpStats, null);
});

Deno.test("udp: a UDP port of its own with udp.port 0", async () => {
  await using f = await Fixture.start(() => new DenoDatagramTransport(), {
    port: 0,
  });
  const ada = await f.player("ada", "r");
  await ada.udp.send("3:1:self");
  assertEquals(await ada.udp.next(), `3:${ada.id}:self`);
});
