/**
 * Packed datagrams with real sockets, against every datagram API: a
 * receiver whose handshake ends in `:pack` may get several relayed messages
 * joined by `\n` in one datagram, never over the datagram limit; any other
 * receiver never gets a `\n`. The setting follows each accepted handshake.
 *
 * Senders are {@linkcode BurstSocket}s: a burst leaves in one `sendmmsg`
 * and sits whole in the server's queue before it reads any, so the epoll
 * transport (which reads a queue in batches) handles it as one batch. The
 * portable transports read one datagram per turn, so for them a batch is one
 * datagram and nothing is ever packed; what is checked for every API is that
 * what arrives is right, and for epoll also that it was packed.
 */
import assert from "node:assert/strict";
import { assertEquals } from "../../helpers/assert.ts";
import { BurstSocket } from "../../helpers/burst_socket.ts";
import { DeadlineError } from "../../helpers/inbox.ts";
import { LogCapture } from "../../helpers/log_capture.ts";
import type { LineClient } from "../../helpers/line_client.ts";
import {
  startServer,
  type TestServer,
  type User,
} from "../../helpers/server.ts";
import { UdpClient } from "../../helpers/udp_client.ts";
import { udpMac } from "../../../net/udp_proof.ts";
import { DATAGRAM_APIS as APIS } from "../../helpers/datagram_apis.ts";
import type { DatagramTransport } from "../../../server/mod.ts";

const LIMIT = 1200;
const dec = new TextDecoder();

type Sender = LineClient & User & { udp: BurstSocket };

/** A server with a log, its members and their sockets, all closed on dispose. */
class Fixture implements AsyncDisposable {
  readonly logger = new LogCapture();
  readonly #closers: AsyncDisposable[] = [];
  t!: TestServer;

  static async start(
    transport: () => DatagramTransport,
    packing?: boolean,
  ): Promise<Fixture> {
    const f = new Fixture();
    f.t = await startServer({
      logger: f.logger,
      udp: { transport: transport(), packing },
    });
    return f;
  }

  get stats() {
    return this.t.server.udpStats!;
  }

  /** A sender in `room` with a channel (no packing: it never receives here). */
  async sender(name: string, room = "r"): Promise<Sender> {
    const tcp = await this.t.member(name, room);
    const udp = await BurstSocket.open(this.t.server.udpPort);
    this.#closers.push(udp);
    assertEquals(
      await udp.handshake(`0:${tcp.id}:${tcp.secret}`),
      `0:${tcp.id}:connected`,
    );
    return Object.assign(tcp, { udp });
  }

  /** A receiver in `room`; `hello` is the handshake's tail after the secret. */
  async receiver(name: string, tail: string, room = "r") {
    const tcp = await this.t.member(name, room);
    const udp = this.socket();
    await udp.send(`0:${tcp.id}:${tcp.secret}${tail}`);
    assertEquals(await udp.next(), `0:${tcp.id}:connected`);
    return Object.assign(tcp, { udp });
  }

  socket(): UdpClient {
    const udp = UdpClient.open(this.t.server.udpPort);
    this.#closers.push(udp);
    return udp;
  }

  /** The packing setting of `id`'s channel, as its last `udp.channel` log says. */
  packing(id: number): unknown {
    return this.logger.of("udp.channel").filter((r) => r.fields.session === id)
      .at(-1)?.fields.packing;
  }

  async [Symbol.asyncDispose](): Promise<void> {
    await Promise.all(this.#closers.map((c) => c[Symbol.asyncDispose]()));
    await this.t[Symbol.asyncDispose]();
  }
}

/** Reads datagrams until `want` messages came; returns the datagrams. */
async function datagramsHolding(
  udp: UdpClient,
  want: number,
): Promise<Uint8Array[]> {
  const datagrams: Uint8Array[] = [];
  let messages = 0;
  while (messages < want) {
    const d = await udp.nextBytes();
    datagrams.push(d);
    messages += dec.decode(d).split("\n").length;
  }
  return datagrams;
}

/**
 * Reads `udp` until a datagram holds `marker`, calling `resend` each time
 * 250 ms pass without a datagram (the marker was lost), 40 times at most.
 */
async function untilHeard(
  udp: UdpClient,
  marker: string,
  resend: () => void,
): Promise<void> {
  const heard = () =>
    udp.history.some((d) => d.split("\n").some((m) => m === marker));
  resend();
  for (let quiet = 0; !heard();) {
    try {
      await udp.next(250);
    } catch (error) {
      if (!(error instanceof DeadlineError) || ++quiet === 40) throw error;
      resend();
    }
  }
}

/** A payload of `bytes` bytes: a label, then filler. */
function payload(label: string, bytes: number): string {
  return label + ".".repeat(bytes - label.length);
}

for (const [api, transport] of APIS) {
  Deno.test(`udp pack[${api}]: senders blasting into one room: the packing receiver gets each message once, within the limit; the other never a \\n`, async () => {
    await using f = await Fixture.start(transport);
    const senders: Sender[] = [];
    for (const name of ["s1", "s2", "s3", "s4"]) {
      senders.push(await f.sender(name));
    }
    const packer = await f.receiver("packer", ":pack");
    const plain = await f.receiver("plain", "");
    for (const s of senders) await s.sync();
    assertEquals(f.packing(packer.id), true);
    assertEquals(f.packing(plain.id), false);
    const sizes = [20, 180, 700, 1100, 40, 400, 90, 595];
    const PER_SENDER = 200;
    const sent = new Set<string>();
    for (const s of senders) {
      const burst: string[] = [];
      for (let k = 0; k < PER_SENDER; k++) {
        const text = payload(`${s.id}-${k}-é`, sizes[k % sizes.length]!);
        burst.push(`3:0:${text}`);
        sent.add(`3:${s.id}:${text}`);
      }
      s.udp.burst(burst);
    }
    // Every burst is queued at the server before this marker, so once a
    // receiver has it nothing of the bursts is still coming: datagrams are
    // read in order and reach one socket in order. The marker itself may be
    // dropped by a full queue, so it is sent again whenever a receiver has
    // heard nothing for a while.
    const marker = `3:${senders[0]!.id}:end`;
    for (const udp of [packer.udp, plain.udp]) {
      await untilHeard(udp, marker, () => senders[0]!.udp.burst(["3:0:end"]));
    }
    const unpack = (udp: UdpClient) =>
      udp.history.flatMap((d) => d.split("\n")).filter((m) =>
        m !== marker && !m.startsWith("0:")
      );
    const byPacker = unpack(packer.udp);
    const byPlain = unpack(plain.udp);
    const both: [string, string[]][] = [["packer", byPacker], [
      "plain",
      byPlain,
    ]];
    for (const [who, got] of both) {
      assertEquals(new Set(got).size, got.length, `${who}: nothing twice`);
      const strays = got.filter((m) => !sent.has(m));
      assertEquals(strays, [], `${who}: only what was sent, byte for byte`);
    }
    assert.ok(
      plain.udp.history.every((d) => !d.includes("\n")),
      "no \\n for a receiver that did not ask",
    );
    for (const d of packer.udp.history) {
      assert.ok(
        new TextEncoder().encode(d).length <= LIMIT || !d.includes("\n"),
        `a packed datagram of ${d.length} bytes`,
      );
    }
    // Order from one sender is kept inside every packed datagram, and for
    // epoll, whose sendmmsg sends in order, across datagrams too. (UDP
    // promises no order: node:dgram's sends can overtake each other under
    // a blast, packed or not.)
    const seqs = (messages: string[], id: number) =>
      messages.filter((m) => m.startsWith(`3:${id}:`) && m !== marker).map((
        m,
      ) => Number(m.split("-")[1]));
    const increasing = (xs: number[]) =>
      xs.every((x, i) => i === 0 || xs[i - 1]! < x);
    for (const s of senders) {
      for (const d of packer.udp.history) {
        assert.ok(
          increasing(seqs(d.split("\n"), s.id)),
          `order in ${d.slice(0, 40)}`,
        );
      }
      if (api === "epoll") {
        assert.ok(increasing(seqs(byPacker, s.id)), `order of ${s.id}`);
        assert.ok(
          increasing(seqs(byPlain, s.id)),
          `order of ${s.id}, unpacked`,
        );
      }
    }
    const stats = f.stats;
    assert.ok(byPacker.length > 0 && byPlain.length > 0);
    assert.ok(
      byPacker.length + byPlain.length <= stats.messagesOut,
      "no more arrived than the server sent",
    );
    console.log(
      `udp pack[${api}]: ${stats.messagesOut} messages out, ${stats.messagesPacked} packed; the packing receiver got ${byPacker.length} in ${packer.udp.history.length} datagrams, the other ${byPlain.length}`,
    );
    if (api === "epoll") {
      assert.ok(stats.messagesPacked > 0, "the epoll transport packed");
      assert.ok(
        packer.udp.history.some((d) => d.includes("\n")),
        "a packed datagram arrived",
      );
    }
  });

  Deno.test(`udp pack[${api}]: 700 + 700 bytes are never packed together; a maximal message goes alone`, async () => {
    await using f = await Fixture.start(transport);
    const ada = await f.sender("ada");
    const packer = await f.receiver("packer", ":pack");
    await ada.sync();
    const header = `3:${ada.id}:`.length;
    // Relayed sizes: 700, 700, 400, the largest accepted, 30, 30.
    const texts = [
      payload("a", 700 - header),
      payload("b", 700 - header),
      payload("c", 400 - header),
      payload("d", LIMIT - "3:0:".length),
      payload("e", 30 - header),
      payload("f", 30 - header),
    ];
    ada.udp.burst(texts.map((t) => `3:0:${t}`));
    const datagrams = (await datagramsHolding(packer.udp, texts.length)).map(
      (d) => dec.decode(d),
    );
    assertEquals(
      datagrams.flatMap((d) => d.split("\n")),
      texts.map((t) => `3:${ada.id}:${t}`),
      "every message, in order, each whole",
    );
    for (const d of datagrams) {
      assert.ok(!(d.includes("\n3:") && d.length > LIMIT), `${d.length}`);
    }
    const [a, b, c, d, e, g] = texts.map((t) => `3:${ada.id}:${t}`);
    assert.ok(!datagrams.some((x) => x.includes(a!) && x.includes(b!)));
    assert.ok(datagrams.includes(d!), "the maximal message alone");
    if (api === "epoll") {
      assertEquals(datagrams, [a, `${b}\n${c}`, d, `${e}\n${g}`]);
      assertEquals(f.stats.messagesPacked, 2);
    }
  });

  Deno.test(`udp pack[${api}]: each handshake sets packing: kept by a repeat and a rebinding with :pack, off without; bad flags are refused`, async () => {
    await using f = await Fixture.start(transport);
    const ada = await f.sender("ada");
    const bob = await f.t.member("bob", "r");
    await ada.sync();
    const secure = `0:${bob.id}:${bob.secret}`;
    const first = f.socket();
    /** Whether two messages sent now reach `udp` in one datagram. */
    const packs = async (udp: UdpClient) => {
      const before = f.stats.messagesPacked;
      ada.udp.burst(["3:0:one", "3:0:two"]);
      const got = await datagramsHolding(udp, 2);
      const together = got.length === 1;
      assertEquals(f.stats.messagesPacked - before, together ? 1 : 0);
      return together;
    };
    const expectPacking = async (udp: UdpClient, on: boolean) => {
      assertEquals(f.packing(bob.id), on);
      const packed = await packs(udp);
      // Off: never packed. On: packed where a batch holds both messages,
      // which the epoll transport's does (the portable ones read one
      // datagram per turn).
      if (!on) assertEquals(packed, false);
      else if (api === "epoll") assertEquals(packed, true);
    };
    assertEquals(
      await first.handshake(bob.id, `${bob.secret}:pack`),
      `0:${bob.id}:connected`,
    );
    await expectPacking(first, true);
    await first.send(`${secure}:pack`);
    assertEquals(await first.next(), `0:${bob.id}:connected`, "a repeat");
    await expectPacking(first, true);
    // A bad flag is refused like a wrong secret, and changes nothing.
    const bad = f.stats.dropped["bad-handshake"];
    const malformed = f.stats.dropped.malformed;
    for (const tail of [":PACK", ":pack:", ":packed", "pack", ":pack:pack"]) {
      await first.send(`${secure}${tail}`);
    }
    await first.send(`0:${bob.id}::pack`);
    await f.logger.until(
      () =>
        f.stats.dropped["bad-handshake"] === bad + 5 &&
        f.stats.dropped.malformed === malformed + 1,
      "5 bad handshakes and a malformed one",
    );
    await expectPacking(first, true);
    // A repeat without the flag turns it off; with it, on again.
    assertEquals(
      await first.handshake(bob.id, bob.secret),
      `0:${bob.id}:connected`,
    );
    await expectPacking(first, false);
    assertEquals(
      await first.handshake(bob.id, `${bob.secret}:pack`),
      `0:${bob.id}:connected`,
    );
    await expectPacking(first, true);
    // A rebinding with the flag keeps packing; one without turns it off.
    const second = f.socket();
    assertEquals(
      await second.handshake(bob.id, `${bob.secret}:pack`),
      `0:${bob.id}:connected`,
    );
    await expectPacking(second, true);
    const third = f.socket();
    assertEquals(
      await third.handshake(bob.id, bob.secret),
      `0:${bob.id}:connected`,
    );
    await expectPacking(third, false);
    assert.ok(
      first.history.concat(second.history, third.history).every(
        (d) => !d.startsWith("0:") || d === `0:${bob.id}:connected`,
      ),
    );
  });

  Deno.test(`udp pack[${api}]: the keyed form's MAC covers the flag: one added or stripped is refused`, async () => {
    await using f = await Fixture.start(transport);
    const ada = await f.sender("ada");
    const bob = await f.t.member("bob", "r");
    await ada.sync();
    const secret = bob.secret!;
    const keyed = (n: number, pack: boolean) =>
      `0:${bob.id}:${n}:${udpMac(secret, bob.id, n, pack)}`;
    const udp = f.socket();
    const bad = f.stats.dropped["bad-handshake"];
    await udp.send(`${keyed(10, false)}:pack`);
    await udp.send(keyed(11, true));
    await f.logger.until(
      () => f.stats.dropped["bad-handshake"] === bad + 2,
      "both refused",
    );
    assertEquals(f.t.server.udpChannelCount, 1, "only ada's");
    await udp.send(`${keyed(12, true)}:pack`);
    assertEquals(await udp.next(), `0:${bob.id}:connected`);
    assertEquals(f.packing(bob.id), true);
    await udp.send(keyed(13, false));
    assertEquals(await udp.next(), `0:${bob.id}:connected`);
    assertEquals(f.packing(bob.id), false);
  });

  Deno.test(`udp pack[${api}]: with packing off on the server, :pack is accepted but nothing is packed`, async () => {
    await using f = await Fixture.start(transport, false);
    const ada = await f.sender("ada");
    const packer = await f.receiver("packer", ":pack");
    await ada.sync();
    assertEquals(f.packing(packer.id), false);
    assertEquals(
      f.logger.of("udp.listen")[0]?.fields.packing,
      false,
      "udp.listen says so",
    );
    const burst = Array.from({ length: 20 }, (_, i) => `3:0:m${i}`);
    ada.udp.burst(burst);
    const got = await datagramsHolding(packer.udp, burst.length);
    assertEquals(
      got.map((d) => dec.decode(d)),
      burst.map((_, i) => `3:${ada.id}:m${i}`),
    );
    assertEquals(f.stats.messagesPacked, 0);
    assertEquals(f.stats.messagesOut, burst.length);
  });
}
