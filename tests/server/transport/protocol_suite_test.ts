/**
 * One protocol suite, run over every transport a client can use: plain
 * TCP, TLS, WebSocket and secure WebSocket. Each case mixes the transport
 * under test with plain TCP clients in the same room, so what one sends the
 * other receives across transports.
 */
import assert from "node:assert/strict";
import { assertEquals } from "../../helpers/assert.ts";
import { hasOpenssl } from "../../helpers/certs.ts";
import { NO_RATE_LIMIT } from "../../helpers/server.ts";
import { WsLineClient } from "../../helpers/ws_line_client.ts";
import type { LineClient } from "../../helpers/line_client.ts";
import { RawWebSocket } from "../../helpers/raw_ws.ts";
import {
  type Link,
  startOver,
  TRANSPORT_NAMES,
  type TransportName,
  type TransportServer,
} from "../../helpers/transports.ts";

const encoder = new TextEncoder();

function suite(
  what: string,
  fn: (name: TransportName) => Promise<void>,
): void {
  for (const name of TRANSPORT_NAMES) {
    const needsTls = name === "tls" || name === "wss";
    const reason = needsTls && !hasOpenssl() ? "no openssl" : null;
    Deno.test({
      name: `${name}: ${what}${reason === null ? "" : ` (ignored: ${reason})`}`,
      ignore: reason !== null,
      fn: () => fn(name),
    });
  }
}

suite(
  "login answers 0:<id>:<secret>; anything before it 0:-1; bad names refused",
  async (name) => {
    await using t = await startOver(name);
    const c = await t.client();
    await c.send("2:r", "3:0:x");
    assertEquals(await c.take(2), ["0:-1", "0:-1"]);
    await c.send("0:bad,name:pw");
    assert.match(await c.next(), /^9:0:invalid-name:/);
    await c.send("0:ada:pw");
    assert.match(await c.next(), /^0:\d+:[0-9a-f]{32}$/);
    assertEquals(t.server.sessionCount, 1);
  },
);

suite(
  "join sequence: own 2:, the members in join order, then the master",
  async (name) => {
    await using t = await startOver(name);
    const first = await t.member("first", "r", "tcp");
    const c = await t.user("ada");
    await c.send("2:r");
    assertEquals(await c.take(3), [
      `2:${c.id}:r`,
      `2:${first.id}:r`,
      `4:${first.id}`,
    ]);
    assertEquals(await first.next(), `2:${c.id}:r`);
    await first.close();
    assertEquals(await c.take(2), [`2:${first.id}:`, `4:${c.id}`]);
  },
);

async function room(name: TransportName) {
  const t = await startOver(name);
  const a = await t.member("ada", "r");
  const b = await t.member("bob", "r", "tcp");
  const c = await t.member("cy", "r");
  const outsider = await t.member("di", "elsewhere");
  for (const x of [a, b]) await x.sync();
  return { t, a, b, c, outsider };
}

suite(
  "3:0 and 3:2 reach the others, 3:1 and 3:3 everyone, byte for byte",
  async (name) => {
    const { t, a, b, c, outsider } = await room(name);
    await using _ = t;
    await a.send("3:0:zero", "3:1:one", "3:2:two", "3:3:th:r:ee");
    const seen = [
      `3:${a.id}:zero`,
      `3:${a.id}:one`,
      `3:${a.id}:two`,
      `3:${a.id}:th:r:ee`,
    ];
    assertEquals(await b.take(4), seen);
    assertEquals(await c.take(4), seen);
    assertEquals(await a.take(2), [`3:${a.id}:one`, `3:${a.id}:th:r:ee`]);
    assertEquals(await outsider.sync(), []);
    // Not UTF-8, sent from TCP: a WebSocket receiver gets the same bytes.
    const bytes = Uint8Array.from([0xff, 0x00, 0xc3, 0x28, 0x0d, 0x62]);
    await b.write(
      Uint8Array.from([...encoder.encode("3:0:"), ...bytes, 0x0a]),
    );
    assertEquals(
      [...await a.nextBytes()],
      [...encoder.encode(`3:${b.id}:`), ...bytes],
    );
  },
);

suite("3:4 reaches the listed users wherever they are", async (name) => {
  const { t, a, b, outsider } = await room(name);
  await using _ = t;
  await a.send(`3:4:${outsider.id}:${b.id}:99999:psst`);
  assertEquals(await outsider.next(), `3:${a.id}:psst`);
  assertEquals(await b.next(), `3:${a.id}:psst`);
  assertEquals(await a.next(), "9:3:unknown-recipients:no session 99999");
});

suite(
  "groups: 5: defines, 4: sends to the members, wherever they are",
  async (name) => {
    const { t, a, b, c, outsider } = await room(name);
    await using _ = t;
    await a.send(`5:team:${b.id}:${outsider.id}`, "4:team:go");
    assertEquals(await b.next(), `3:${a.id}:go`);
    assertEquals(await outsider.next(), `3:${a.id}:go`);
    assertEquals(await c.sync(), []);
    await a.send("5:team:", "4:team:gone");
    assert.match(await a.next(), /^9:4:unknown-group:/);
  },
);

suite(
  "limits: the line cap closes that client only; name and recipient limits answer errors",
  async (name) => {
    await using t = await startOver(name, {
      limits: { maxLineBytes: 1024, maxRecipients: 2 },
    });
    const a = await t.member("ada", "r");
    const b = await t.member("bob", "r", "tcp");
    await a.sync();
    await b.sync();
    await a.send("3:4:1:2:3:x", `2:${"r".repeat(65)}`);
    assert.match(await a.next(), /^9:3:too-many-recipients:/);
    assert.match(await a.next(), /^9:2:invalid-name:/);
    // A careless client: one line far over the cap, in one write. Over a
    // stream the framer answers line-too-long; over WebSocket, ws closes
    // with 1009 (message too big) when the frame header says so, unbuffered.
    await a.write(encoder.encode("3:0:" + "x".repeat(2000)));
    if (a instanceof WsLineClient) {
      await a.closed();
      assertEquals(a.closeCode, 1009);
    } else {
      assert.match(await a.next(), /^9:\?:line-too-long:/);
      await a.closed();
    }
    assertEquals(await b.next(), `2:${a.id}:`);
    assertEquals(await b.next(), `4:${b.id}`);
  },
);

suite(
  "slow consumer: a client that stops reading is cut; the others get every message in order",
  async (name) => {
    // A 1 MiB hard cap: flow control holds the sender while a receiver is
    // over the high-water mark (256 KiB), so the reader that keeps up stays
    // below it, while the stalled client's queue passes it once the sender
    // is released (the hold time) — with 10 MB sent, well past the kernel's
    // buffers.
    await using t = await startOver(name, {
      limits: { ...NO_RATE_LIMIT, maxOutboundBytes: 1024 * 1024 },
    });
    const sender = await t.member("sender", "r", "tcp");
    const reader = await t.member("reader", "r");
    await sender.sync();
    const stalled = await stalledMember(t, "r", reader);
    await sender.sync();
    const payload = "y".repeat(1000);
    const count = 10_000;
    const received = (async () => {
      for (let i = 0; i < count; i++) {
        const line = await reader.next(30_000);
        if (line.startsWith("2:")) {
          assertEquals(line, `2:${stalled.id}:`);
          i--;
          continue;
        }
        assertEquals(line, `3:${sender.id}:${i} ${payload}`);
      }
    })();
    // 10 MB at once, unpaced: more than the kernel's buffers and the cap hold.
    for (let i = 0; i < count; i += 500) {
      const lines = [];
      for (let j = i; j < i + 500; j++) lines.push(`3:0:${j} ${payload}`);
      await sender.send(...lines);
    }
    await received;
    // The stalled client's session ended (its leave reached the room).
    assert.ok(
      reader.history.includes(`2:${stalled.id}:`) ||
        await waitForLeave(sender, stalled.id),
    );
    assertEquals(t.server.sessionCount, 2);
  },
);

/**
 * A member of `room` over the transport under test that reads nothing
 * after logging in: its socket's window closes. (A raw WebSocket, since
 * npm:ws over Deno's node:tls goes on reading when paused.)
 */
async function stalledMember(
  t: TransportServer,
  room: string,
  witness: Link,
): Promise<{ id: number }> {
  if (t.name === "tcp" || t.name === "tls") {
    const link = await t.member("stalled", room) as LineClient;
    link.stopReading();
  } else {
    const raw = await RawWebSocket.connect(t.server.httpPort, t.certs?.caPem);
    t.defer(() => raw.close());
    await raw.send("0:stalled:pw", `2:${room}`);
  }
  // The witness, in the room, sees the join.
  const joined = /^2:(\d+):/.exec(await witness.next());
  assert.ok(joined, "the stalled client joined");
  return { id: Number(joined[1]) };
}

async function waitForLeave(link: Link, id: number): Promise<boolean> {
  while (true) {
    const line = await link.next(30_000);
    if (line === `2:${id}:`) return true;
  }
}

suite(
  "a message of exactly one byte over the line cap gets line-too-long, as over TCP",
  async (name) => {
    await using t = await startOver(name, { limits: { maxLineBytes: 1024 } });
    const a = await t.user("ada");
    await a.write(
      encoder.encode(
        "3:0:" + "x".repeat(1021) + (name.startsWith("ws") ? "" : "\n"),
      ),
    );
    assert.match(await a.next(), /^9:\?:line-too-long:/);
    await a.closed();
  },
);
