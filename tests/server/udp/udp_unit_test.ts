/** The UDP channel's core without sockets: channels and the lossy relay. */
import { ServerMetrics } from "../../../server/metrics/mod.ts";
import { assertEquals } from "../../helpers/assert.ts";
import type { DatagramSocket } from "../../../net/datagram_transport.ts";
import type { ServerContext } from "../../../server/context.ts";
import { relayDatagram } from "../../../server/udp/udp_relay.ts";
import { createLogger } from "../../../server/logger.ts";
import { isRefusal, LocalRooms } from "../../../server/rooms/rooms.ts";
import { Session } from "../../../server/sessions/session.ts";
import { CounterSessionIds } from "../../../server/sessions/session_ids.ts";
import { SessionRegistry } from "../../../server/sessions/sessions.ts";
import { OpenAuthenticator } from "../../../server/accounts/auth.ts";
import { UdpChannels } from "../../../server/udp/udp_channels.ts";
import { UdpStats } from "../../../server/udp/udp_stats.ts";
import {
  type ClientMessage,
  decodeClientLine,
  FrameBuilder,
  resolveLimits,
} from "../../../protocol/mod.ts";

const enc = new TextEncoder();
const dec = new TextDecoder();

/** A decoded client message; the test fails on a line that is not one. */
function message(line: string): ClientMessage {
  const msg = decodeClientLine(enc.encode(line));
  if (msg.kind === "invalid") throw new Error(`${line}: ${msg.reason}`);
  return msg;
}

/** A socket that records what it would send. */
function recordingSocket() {
  const sent: string[] = [];
  const socket: DatagramSocket = {
    port: 1,
    target: (address, port) => ({ address, port }),
    send: (data, to) =>
      sent.push(`${to.address}:${to.port} ${dec.decode(data)}`),
    close: () => Promise.resolve(),
  };
  return { socket, sent };
}

/** A session whose TCP link records frames and claims `pending` queued bytes. */
function session(id: number, lines: string[], pending = 0): Session {
  return new Session(id, `u${id}`, {
    send: (frame) => lines.push(dec.decode(frame)),
    close() {},
    pendingBytes: pending,
  });
}

function context(): ServerContext {
  const rooms = new LocalRooms({ maxRooms: 10 });
  return {
    limits: resolveLimits({ maxOutboundBytes: 1000 }),
    auth: new OpenAuthenticator(),
    ids: new CounterSessionIds(),
    rooms,
    sessions: new SessionRegistry(rooms),
    logger: createLogger({ level: "silent" }),
    frames: new FrameBuilder(),
    udp: true,
    metrics: new ServerMetrics(),
  };
}

Deno.test("channels: open, move on rebinding, take an address over, end with the session", () => {
  const { socket, sent } = recordingSocket();
  const channels = new UdpChannels(socket, new UdpStats(), 1200);
  const ctx = context();
  const ada = session(1, []);
  const bob = session(2, []);
  ctx.sessions.add(ada);
  ctx.sessions.add(bob);
  channels.open(ada, "10.0.0.1", 5000);
  channels.open(ada, "10.0.0.1", 5001);
  assertEquals(channels.sessionAt("10.0.0.1", 5000), undefined, "moved");
  assertEquals(channels.sessionAt("10.0.0.1", 5001), ada);
  assertEquals(channels.size, 1);
  channels.open(bob, "10.0.0.1", 5001);
  assertEquals(ada.udp, null, "the address now proves bob");
  assertEquals(channels.sessionAt("10.0.0.1", 5001), bob);
  bob.udp!.send(enc.encode("hi"));
  assertEquals(sent, ["10.0.0.1:5001 hi"]);
  ctx.sessions.end(bob);
  assertEquals(bob.udp, null);
  assertEquals(channels.sessionAt("10.0.0.1", 5001), undefined);
  assertEquals(channels.size, 0);
});

Deno.test("lossy relay: datagram to channels, line to the rest, skipped past half the queue cap", () => {
  const { socket, sent } = recordingSocket();
  const stats = new UdpStats();
  const channels = new UdpChannels(socket, stats, 1200);
  const ctx = context();
  const tcp: string[] = [];
  const full: string[] = [];
  const ada = session(1, []);
  const bob = session(2, []);
  const cy = session(3, tcp, 500);
  const di = session(4, full, 501);
  for (const s of [ada, bob, cy, di]) {
    ctx.sessions.add(s);
    const room = ctx.rooms.join(s, "r", "");
    if (room instanceof Promise || isRefusal(room)) {
      throw new Error("a local join is decided at once");
    }
    s.room = room;
  }
  channels.open(ada, "10.0.0.1", 1);
  channels.open(bob, "10.0.0.2", 2);
  tcp.length = 0;
  full.length = 0;
  assertEquals(relayDatagram(ctx, ada, message("3:0:pose"), stats), null);
  assertEquals(sent, ["10.0.0.2:2 3:1:pose"]);
  assertEquals(tcp, ["3:1:pose\n"], "cy: 500 bytes queued is not over 1000/2");
  assertEquals(full, [], "di: 501 is");
  assertEquals(stats.tcpFallbacks, 1);
  assertEquals(stats.dropped["receiver-full"], 1);
  assertEquals(stats.datagramsOut, 1);
});

Deno.test("lossy relay: what UDP does not carry is named, never answered", () => {
  const stats = new UdpStats();
  const ctx = context();
  const lines: string[] = [];
  const ada = session(1, lines);
  ctx.sessions.add(ada);
  const cases: [string, string | null][] = [
    ["3:2:x", "refused-mode"],
    ["3:3:x", "refused-mode"],
    ["2:lobby", "refused-mode"],
    ["1:", "refused-mode"],
    ["5:g:1", "refused-mode"],
    ["0:ada:pw", "refused-mode"],
    ["3:0:x", "undeliverable"],
    ["4:nogroup:x", "undeliverable"],
    ["3:4:99:x", null],
  ];
  for (const [line, reason] of cases) {
    assertEquals(relayDatagram(ctx, ada, message(line), stats), reason, line);
  }
  assertEquals(lines, [], "no error line over TCP either");
  assertEquals(stats.datagramsOut, 0);
});
