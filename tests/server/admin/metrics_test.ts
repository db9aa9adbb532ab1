/**
 * /metrics before and after known traffic: every counter moved by exactly
 * what the clients sent and received (counted by the test itself from the
 * lines on the wire, by an independent classifier), and the text parses as
 * Prometheus exposition format.
 */
import assert from "node:assert/strict";
import { assertEquals } from "../../helpers/assert.ts";
import { startAdmin } from "../../helpers/admin.ts";
import { LineClient } from "../../helpers/line_client.ts";
import { parsePrometheus, sampleValue } from "../../helpers/prometheus.ts";
import { startServer } from "../../helpers/server.ts";
import { UdpClient } from "../../helpers/udp_client.ts";

const utf8 = new TextEncoder();
const size = (line: string) => utf8.encode(line).length + 1;

/** The test's own idea of a client line's kind, from its text. */
function inKind(line: string): string {
  if (/^0(:|$)/.test(line)) return "login";
  if (/^1(:|$)/.test(line)) return "list-rooms";
  if (line === "2:-1") return "leave";
  if (/^2(:|$)/.test(line)) return "join";
  if (line.startsWith("3:4:")) return "send-users";
  if (/^3(:|$)/.test(line)) return "send";
  if (/^4(:|$)/.test(line)) return "send-group";
  if (/^5(:|$)/.test(line)) return "define-group";
  return "other";
}

const OUT_KINDS: Record<string, string> = {
  "0": "session",
  "1": "room-list",
  "2": "membership",
  "3": "message",
  "4": "master",
  "8": "notice",
  "9": "error",
};

/** A line client that remembers what it sent. */
async function counted(port: number) {
  const c = await LineClient.connect(port);
  const sent: string[] = [];
  const send = c.send.bind(c);
  c.send = (...lines: string[]) => {
    sent.push(...lines);
    return send(...lines);
  };
  return Object.assign(c, { sent });
}

Deno.test("metrics: counters move by exactly the traffic sent and received; the text parses", async () => {
  await using t = await startServer({
    limits: { maxLoginsPerMinute: 3, maxDatagramBytes: 200 },
    auth: {
      verify: ({ username }) => Promise.resolve(username !== "mallory"),
    },
  });
  await using a = await startAdmin(t);
  const before = parsePrometheus(await a.metrics());
  const delta = (name: string, labels: Record<string, string> = {}) =>
    sampleValue(after, name, labels) - sampleValue(before, name, labels);
  let after = before;

  const ada = await counted(t.port);
  const bob = await counted(t.port);
  const cy = await counted(t.port);
  const dee = await counted(t.port);
  const clients = [ada, bob, cy, dee];
  const adaId = await ada.login("ada");
  const bobId = await bob.login("bob");
  const cyId = await cy.login("cy");
  await ada.send("2:lobby");
  await bob.send("2:lobby");
  await cy.send("2:lobby");
  const payload = "x".repeat(100);
  const lots: string[] = [];
  for (let i = 0; i < 500; i++) lots.push(`3:0:${payload}${i}`);
  await ada.send(...lots); // one write: the server sees it in big chunks
  for (let i = 0; i < 200; i++) await bob.send(`3:1:b${i}`);
  for (let i = 0; i < 50; i++) await ada.send(`3:4:${cyId}:${bobId}:hi ${i}`);
  await cy.send(
    "5:pair:" + adaId + ":" + bobId,
    "4:pair:to the pair",
    "2:-1",
    "3:0:nobody hears",
  );
  // Refusals: not commands, a send outside a room, failed and rate-limited logins.
  // (An empty line is a keepalive: counted, never answered.)
  await dee.send("hello", "8:x", "", "3:7:x");
  await dee.send(
    "0:mallory:pw",
    "0:mallory:pw",
    "0:dee:pw",
    "0:dee:pw",
    "0:dee:pw",
  );
  // (Over the rate a login still ends the session it would replace.)

  // UDP: a handshake, messages to the room, and drops.
  const eve = await counted(t.port);
  clients.push(eve);
  const eveLogin = await eve.welcome("eve");
  await eve.send("2:lobby");
  // UDP is not ordered with TCP: eve's datagrams must not overtake her join.
  await eve.sync();
  await using udp = UdpClient.open(t.server.udpPort);
  assertEquals(
    await udp.handshake(eveLogin.id, eveLogin.secret),
    `0:${eveLogin.id}:connected`,
  );
  for (let i = 0; i < 20; i++) await udp.send(`3:0:pos ${i}`);
  for (let i = 0; i < 3; i++) await udp.send(`3:0:${"o".repeat(300)}`);
  await udp.send("3:7:not a mode");
  await udp.send("2:lobby");
  // Everything answered and delivered: each client's own round trip comes last.
  for (const c of clients) await c.sync();
  // eve's datagrams reach ada, bob and cy over TCP; wait until all are in.
  for (const c of [ada, bob]) {
    while (
      c.history.filter((l) => l.startsWith(`3:${eveLogin.id}:pos`)).length < 20
    ) {
      await c.next();
    }
  }

  after = parsePrometheus(await a.metrics());
  // Lines and bytes in, by kind, as the test classifies what it sent.
  const sentLines = clients.flatMap((c) => c.sent);
  const kinds = [
    "login",
    "list-rooms",
    "join",
    "leave",
    "send",
    "send-users",
    "send-group",
    "define-group",
    "other",
  ];
  for (const kind of kinds) {
    const lines = sentLines.filter((l) => inKind(l) === kind);
    assertEquals(
      delta("switchboard_lines_in_total", { kind }),
      lines.length,
      `lines in ${kind}`,
    );
    assertEquals(
      delta("switchboard_bytes_in_total", { kind }),
      lines.reduce((n, l) => n + size(l), 0),
      `bytes in ${kind}`,
    );
  }
  assertEquals(
    delta("switchboard_lines_in_total", { kind: "send" }),
    500 + 200 + 1 + 1,
  );
  // Lines and bytes out, by kind, as the clients received them.
  const received = clients.flatMap((c) => [...c.history]);
  for (const [digit, kind] of Object.entries(OUT_KINDS)) {
    const lines = received.filter((l) => l[0] === digit);
    assertEquals(
      delta("switchboard_lines_out_total", { kind }),
      lines.length,
      `lines out ${kind}`,
    );
    assertEquals(
      delta("switchboard_bytes_out_total", { kind }),
      lines.reduce((n, l) => n + size(l), 0),
      `bytes out ${kind}`,
    );
  }
  assertEquals(delta("switchboard_lines_out_total", { kind: "other" }), 0);
  // Refusals by code, from the 9: lines received.
  const codes = new Map<string, number>();
  for (const line of received.filter((l) => l.startsWith("9:"))) {
    const code = line.split(":")[2]!;
    codes.set(code, (codes.get(code) ?? 0) + 1);
  }
  assertEquals(
    Object.fromEntries(codes),
    { "unknown-command": 2, malformed: 1, "not-in-room": 1, "rate-limited": 2 },
  );
  for (const [code, n] of codes) {
    assertEquals(delta("switchboard_refusals_total", { code }), n, code);
  }
  assertEquals(
    delta("switchboard_refusals_total", { code: "too-many-rooms" }),
    0,
  );
  // Logins: 5 ok (ada, bob, cy, dee once, eve), mallory twice failed, dee
  // twice over the rate (3 a minute on one connection).
  assertEquals(delta("switchboard_logins_total", { result: "ok" }), 5);
  assertEquals(delta("switchboard_logins_total", { result: "failed" }), 2);
  assertEquals(delta("switchboard_logins_total", { result: "throttled" }), 2);
  assertEquals(delta("switchboard_connections_accepted_total"), 5);
  // UDP: in = everything sent; out = the handshake answer; drops by reason.
  assertEquals(delta("switchboard_udp_datagrams_in_total"), 1 + 20 + 3 + 1 + 1);
  assertEquals(delta("switchboard_udp_datagrams_out_total"), 1);
  assertEquals(
    delta("switchboard_udp_datagrams_dropped_total", { reason: "oversized" }),
    3,
  );
  assertEquals(
    delta("switchboard_udp_datagrams_dropped_total", { reason: "malformed" }),
    1,
  );
  assertEquals(
    delta("switchboard_udp_datagrams_dropped_total", {
      reason: "refused-mode",
    }),
    1,
  );
  assertEquals(delta("switchboard_udp_tcp_fallbacks_total"), 20 * 2);
  // Gauges now.
  assertEquals(sampleValue(after, "switchboard_connections"), 5);
  assertEquals(sampleValue(after, "switchboard_sessions"), 4);
  assertEquals(sampleValue(after, "switchboard_rooms"), 1);
  assertEquals(sampleValue(after, "switchboard_room_members"), 3);
  assertEquals(sampleValue(after, "switchboard_udp_channels"), 1);
  // Relayed lines were timed, one at a time: some, never more than the lines in.
  const timed = delta("switchboard_relay_latency_seconds_count");
  assert.ok(timed >= 1 && timed <= sentLines.length, `timed ${timed}`);
  assert.ok(delta("switchboard_relay_latency_seconds_sum") > 0);
  assert.ok(
    sampleValue(after, "switchboard_event_loop_delay_seconds_count") >= 0,
  );

  // The same counts per session in /status.
  const status = await a.json<
    {
      sessions: {
        user: string;
        linesIn: number;
        bytesIn: number;
        linesOut: number;
        bytesOut: number;
      }[];
    }
  >(
    "/status",
  );
  const adaRow = status.sessions.find((s) => s.user === "ada")!;
  assertEquals(
    [adaRow.linesIn, adaRow.bytesIn, adaRow.linesOut, adaRow.bytesOut],
    [
      ada.sent.length,
      ada.sent.reduce((n, l) => n + size(l), 0),
      ada.history.length,
      ada.history.reduce((n, l) => n + size(l), 0),
    ],
  );
  // Connections that close keep their counts in the totals.
  const messagesBefore = sampleValue(after, "switchboard_lines_out_total", {
    kind: "message",
  });
  for (const c of clients) await c.close();
  await t.server.whenNoConnections();
  const closed = parsePrometheus(await a.metrics());
  assertEquals(
    sampleValue(closed, "switchboard_lines_out_total", { kind: "message" }),
    messagesBefore,
  );
  assertEquals(sampleValue(closed, "switchboard_connections"), 0);
});

Deno.test("metrics: slow-consumer cuts and rate-limit delays are counted by reason", async () => {
  await using t = await startServer({
    limits: {
      maxMessagesPerSecond: 50,
      messageBurst: 50,
      maxOutboundBytes: 64 * 1024,
      maxHoldMs: 200,
    },
  });
  await using a = await startAdmin(t);
  const before = parsePrometheus(await a.metrics());
  // A sender far over its line rate: its lines wait, none is refused.
  const fast = await t.member("fast", "r");
  const burst = Array.from({ length: 120 }, (_, i) => `3:1:${i}`);
  await fast.send(...burst);
  const got = await fast.take(120, 10_000);
  assertEquals(got.at(-1), `3:${fast.id}:119`);
  // A receiver that never reads: once the kernel's buffers are full its
  // queue grows, holds the sender back for the hold time, and the next
  // message passes its cap.
  const stalled = await Deno.connect({ hostname: "127.0.0.1", port: t.port });
  await stalled.write(utf8.encode("0:stuck:pw\n"));
  const sender = await t.user("sender");
  while (t.server.ctx.sessions.byName("stuck") === undefined) {
    await sender.sync();
  }
  const stuckId = t.server.ctx.sessions.byName("stuck")!.id;
  const big = "y".repeat(60_000);
  for (
    let i = 0;
    i < 2_000 && t.server.ctx.sessions.get(stuckId) !== undefined;
    i++
  ) {
    await sender.send(`3:4:${stuckId}:${big}`);
    if (i % 10 === 9) await sender.sync(20_000);
  }
  await sender.sync(20_000);
  assertEquals(
    t.server.ctx.sessions.get(stuckId),
    undefined,
    "the stalled client was cut",
  );
  stalled.close();
  const after = parsePrometheus(await a.metrics());
  const delta = (name: string, labels: Record<string, string> = {}) =>
    sampleValue(after, name, labels) - sampleValue(before, name, labels);
  assert.ok(delta("switchboard_rate_limit_delays_total") >= 1);
  assertEquals(
    delta("switchboard_refusals_total", { code: "rate-limited" }),
    0,
  );
  assertEquals(
    delta("switchboard_slow_consumer_cuts_total", { reason: "outbound-cap" }),
    1,
  );
  assertEquals(
    delta("switchboard_slow_consumer_cuts_total", { reason: "stalled" }),
    0,
  );
  assertEquals(sampleValue(after, "switchboard_sessions"), 2);
});

Deno.test("metrics: with counting off (for measurement) traffic is not counted; the rest is", async () => {
  await using t = await startServer({ metrics: false });
  await using a = await startAdmin(t);
  const ada = await t.member("ada", "lobby");
  await ada.send("3:1:hi");
  await ada.next();
  const m = parsePrometheus(await a.metrics());
  assertEquals(
    sampleValue(m, "switchboard_lines_in_total", { kind: "send" }),
    0,
  );
  assertEquals(sampleValue(m, "switchboard_relay_latency_seconds_count"), 0);
  assertEquals(sampleValue(m, "switchboard_logins_total", { result: "ok" }), 1);
  assertEquals(sampleValue(m, "switchboard_sessions"), 1);
});
