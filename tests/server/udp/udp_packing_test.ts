/**
 * Packing without sockets: how messages are joined (sizes at the limit,
 * order, nothing split), and when a channel sends what it kept (the end of
 * the turn, its close, a handshake that turned packing off).
 */
import assert from "node:assert/strict";
import fc from "fast-check";
import { assertEquals } from "../../helpers/assert.ts";
import type { DatagramSocket } from "../../../net/datagram_transport.ts";
import { Session } from "../../../server/sessions/session.ts";
import { UdpChannels } from "../../../server/udp/udp_channels.ts";
import { packMessages } from "../../../server/udp/udp_packing.ts";
import { UdpStats } from "../../../server/udp/udp_stats.ts";

const enc = new TextEncoder();
const dec = new TextDecoder();
const LIMIT = 1200;

/** A relayed message `3:1:` + filler, `bytes` long in all. */
function sized(bytes: number, fill = "x"): Uint8Array {
  return enc.encode(`3:1:${fill.repeat(bytes - 4)}`);
}

function packed(messages: Uint8Array[], limit = LIMIT) {
  const datagrams: Uint8Array[] = [];
  const saved = packMessages(messages, limit, {
    sendAlone: (d) => datagrams.push(d),
  });
  return { datagrams, saved };
}

Deno.test("packing: 700 + 700 bytes never share a datagram; what fits exactly does", () => {
  const { datagrams, saved } = packed([sized(700), sized(700)]);
  assertEquals(datagrams.map((d) => d.length), [700, 700]);
  assertEquals(saved, 0);
  // 599 + "\n" + 600 is exactly the limit.
  const exact = packed([sized(599), sized(600), sized(5)]);
  assertEquals(exact.datagrams.map((d) => d.length), [1200, 5]);
  assertEquals(exact.saved, 1);
  const over = packed([sized(600), sized(600)]);
  assertEquals(over.datagrams.map((d) => d.length), [600, 600], "1,201: no");
});

Deno.test("packing: a maximal message goes alone, one over the limit too (not split)", () => {
  const big = sized(1200, "m");
  const bigger = sized(1207, "b");
  const { datagrams } = packed([sized(10), big, sized(10), bigger, sized(10)]);
  assertEquals(datagrams.map((d) => d.length), [10, 1200, 10, 1207, 10]);
  assert.equal(datagrams[1], big, "alone: the message itself, not a copy");
  assert.equal(datagrams[3], bigger);
});

Deno.test("packing: any sizes give back the same messages in order, each datagram within the limit", () => {
  fc.assert(
    fc.property(
      fc.array(fc.integer({ min: 5, max: 1300 }), { maxLength: 60 }),
      fc.integer({ min: 64, max: 1500 }),
      (sizes, limit) => {
        const messages = sizes.map((n, i) => sized(n, String(i % 10)));
        const { datagrams, saved } = packed(messages, limit);
        const back = datagrams.flatMap((d) => dec.decode(d).split("\n"));
        assertEquals(back, messages.map((m) => dec.decode(m)));
        for (const d of datagrams) {
          const parts = dec.decode(d).split("\n").length;
          assert.ok(d.length <= limit || parts === 1, `${d.length} > ${limit}`);
        }
        assertEquals(saved, messages.length - datagrams.length);
        // Greedy: a datagram is cut only where the next message would not fit.
        for (let i = 0; i + 1 < datagrams.length; i++) {
          const next = dec.decode(datagrams[i + 1]!).split("\n")[0]!;
          assert.ok(datagrams[i]!.length + 1 + next.length > limit);
        }
      },
    ),
  );
});

function recordingSocket() {
  const sent: string[] = [];
  const socket: DatagramSocket = {
    port: 1,
    target: (address, port) => ({ address, port }),
    send: (data, to) => sent.push(`${to.port} ${dec.decode(data)}`),
    close: () => Promise.resolve(),
  };
  return { socket, sent };
}

function session(id: number): Session {
  return new Session(id, `u${id}`, { send() {}, close() {} });
}

/** Lets the microtasks queued so far run (the end of the turn). */
const endOfTurn = () => new Promise<void>((resolve) => queueMicrotask(resolve));

Deno.test("channels: a packing channel sends its turn's messages at the turn's end, packed; others at once", async () => {
  const { socket, sent } = recordingSocket();
  const stats = new UdpStats();
  const channels = new UdpChannels(socket, stats, LIMIT);
  const ada = session(1);
  const bob = session(2);
  channels.open(ada, "10.0.0.1", 1, true);
  channels.open(bob, "10.0.0.2", 2, false);
  for (const text of ["3:9:a", "3:8:b", "3:9:c"]) {
    ada.udp!.send(enc.encode(text));
    bob.udp!.send(enc.encode(text));
  }
  assertEquals(sent, ["2 3:9:a", "2 3:8:b", "2 3:9:c"], "bob's went at once");
  await endOfTurn();
  assertEquals(sent.slice(3), ["1 3:9:a\n3:8:b\n3:9:c"]);
  assertEquals(stats.messagesOut, 6);
  assertEquals(stats.messagesPacked, 2);
  assertEquals(stats.datagramsOut, 4);
  ada.udp!.send(enc.encode("3:9:alone"));
  await endOfTurn();
  assertEquals(sent.slice(4), ["1 3:9:alone"], "one message: no \\n");
});

Deno.test("channels: a rebinding or close sends what was kept, to the old address; a repeat sets packing anew", async () => {
  const { socket, sent } = recordingSocket();
  const stats = new UdpStats();
  const channels = new UdpChannels(socket, stats, LIMIT);
  const ada = session(1);
  channels.open(ada, "10.0.0.1", 1, true);
  ada.udp!.send(enc.encode("3:9:a"));
  ada.udp!.send(enc.encode("3:9:b"));
  channels.open(ada, "10.0.0.1", 5, true);
  assertEquals(sent, ["1 3:9:a\n3:9:b"], "before the move, to port 1");
  ada.udp!.send(enc.encode("3:9:c"));
  ada.udp!.send(enc.encode("3:9:d"));
  // A repeat from the same address without the flag, in the same turn.
  assertEquals(channels.open(ada, "10.0.0.1", 5, false), ada.udp);
  assertEquals(ada.udp!.packing, false);
  await endOfTurn();
  assertEquals(sent.slice(1), ["5 3:9:c", "5 3:9:d"], "no longer packed");
  channels.open(ada, "10.0.0.1", 5, true);
  ada.udp!.send(enc.encode("3:9:e"));
  ada.udp!.send(enc.encode("3:9:f"));
  ada.udp!.close();
  assertEquals(sent.slice(3), ["5 3:9:e\n3:9:f"], "sent on close");
  await endOfTurn();
  assertEquals(sent.length, 4, "and not again");
  assertEquals(stats.messagesOut, 6);
  assertEquals(stats.messagesPacked, 2);
});
