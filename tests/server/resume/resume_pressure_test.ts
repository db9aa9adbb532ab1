/**
 * Resume under flow control and memory limits: a held session holds nobody
 * back (it has no socket to wait for), its log counts in the outbound
 * budget and is cut first when the budget is passed, lossy messages skip it,
 * its UDP channel comes back only with the new secret, and a connected
 * client that never acknowledges loses resume, not its session.
 */
import assert from "node:assert/strict";
import { assertEquals } from "../../helpers/assert.ts";
import { LogCapture } from "../../helpers/log_capture.ts";
import { ResumeState } from "../../helpers/resume_lines.ts";
import { NO_RATE_LIMIT, startServer } from "../../helpers/server.ts";
import { UdpClient } from "../../helpers/udp_client.ts";

Deno.test("resume: a held session holds back no sender; what it missed (past the high-water mark) is all replayed in order", async () => {
  await using t = await startServer({ limits: NO_RATE_LIMIT });
  const a = await t.member("ada", "r");
  const b = await t.member("bob", "r");
  await a.take(1);
  const state = await ResumeState.enable(a);
  await a.close();
  assertEquals(await b.next(), `6:${a.id}:away`);
  const pad = "p".repeat(200);
  const lines = Array.from({ length: 2_000 }, (_, i) => `3:0:${i} ${pad}`);
  await b.send(...lines); // 420 kB in one write, more than the 256 KiB mark
  assertEquals(await b.sync(15_000), []);
  assertEquals(t.server.flow.stats.holds, 0);
  assertEquals(t.server.heldSessionCount, 1);
  const fresh = await t.client();
  const reply = await state.resumeOn(fresh);
  assert.ok(typeof reply !== "string", `refused: ${reply}`);
  const got = await fresh.take(2_000, 15_000);
  assertEquals(got, lines.map((l) => `3:${b.id}:${l.slice(4)}`));
});

Deno.test("resume: held logs count in the outbound budget; past it the held sessions are cut first", async () => {
  const log = new LogCapture();
  await using t = await startServer({
    logger: log,
    limits: {
      ...NO_RATE_LIMIT,
      maxTotalOutboundBytes: 200 * 1024,
      resumeBufferBytes: 1024 * 1024,
    },
  });
  const a = await t.member("ada", "r");
  const c = await t.member("cy", "r");
  const b = await t.member("bob", "r");
  await a.take(2);
  await c.take(1);
  const sa = await ResumeState.enable(a);
  await ResumeState.enable(c);
  await a.close();
  await c.close();
  assertEquals(await b.take(2), [`6:${a.id}:away`, `6:${c.id}:away`]);
  const pad = "q".repeat(1000);
  // 150 kB to each held session: 300 kB together, over the 200 KiB budget.
  await b.send(...Array.from({ length: 150 }, (_, i) => `3:0:${i} ${pad}`));
  await log.waitFor("session.end", (f) => f.reason === "outbound budget");
  assertEquals(await b.sync(10_000), [`2:${a.id}:`, `4:${c.id}`]);
  assert.ok(t.server.flow.stats.budgetCuts >= 1);
  assert.ok(t.server.flow.total.bytes <= 200 * 1024);
  assertEquals(t.server.heldSessionCount, 1);
  assert.match(
    String(await sa.resumeOn(await t.client())),
    /^9:7:resume-refused/,
  );
});

Deno.test("resume: lossy messages skip an away session; its UDP channel comes back only with the new secret", async () => {
  await using t = await startServer();
  const a = await t.member("ada", "r");
  const b = await t.member("bob", "r");
  await a.take(1);
  const ua = UdpClient.open(t.server.udpPort);
  const ub = UdpClient.open(t.server.udpPort);
  try {
    await ua.send(`0:${a.id}:${a.secret}`);
    assertEquals(await ua.next(), `0:${a.id}:connected`);
    await ub.send(`0:${b.id}:${b.secret}`);
    assertEquals(await ub.next(), `0:${b.id}:connected`);
    const state = await ResumeState.enable(a);
    await a.close();
    assertEquals(await b.next(), `6:${a.id}:away`);
    assertEquals(t.server.udpChannelCount, 1);
    await ub.send("3:0:pose while away");
    // Over TCP, ordered after the datagram's handling: it was skipped.
    await b.send("3:0:reliable while away");
    await b.sync();
    assertEquals(t.server.udpStats!.dropped["receiver-full"], 1);
    // The old secret opens nothing for the held session.
    await ua.send(`0:${a.id}:${a.secret}`);
    const fresh = await t.client();
    const reply = await state.resumeOn(fresh);
    assert.ok(typeof reply !== "string" && reply.secret !== null);
    assertEquals(await fresh.next(), `3:${b.id}:reliable while away`);
    assertEquals(t.server.udpChannelCount, 1);
    await ua.send(`0:${a.id}:${a.secret}`);
    await ua.send(`0:${a.id}:${reply.secret}`);
    assertEquals(await ua.next(), `0:${a.id}:connected`);
    assertEquals(ua.history.length, 2); // the old secret got no answer
    await ub.send("3:0:pose after");
    assertEquals(await ua.next(), `3:${b.id}:pose after`);
  } finally {
    await ua.close();
    await ub.close();
  }
});

Deno.test("resume: a connected client that never acknowledges loses resume (9:7:resume-lost, 7:-1), not its session", async () => {
  const log = new LogCapture();
  await using t = await startServer({
    logger: log,
    limits: { ...NO_RATE_LIMIT, resumeBufferBytes: 32 * 1024, maxHoldMs: 50 },
  });
  const a = await t.member("ada", "r");
  const b = await t.member("bob", "r");
  await a.take(1);
  await ResumeState.enable(a);
  const pad = "z".repeat(500);
  await b.send(...Array.from({ length: 100 }, (_, i) => `3:0:${i} ${pad}`));
  await log.waitFor("resume.lost");
  const lines = await a.take(102, 10_000);
  assert.ok(lines.includes("7:-1"), JSON.stringify(lines.slice(-5)));
  assert.ok(lines.some((l) => l.startsWith("9:7:resume-lost:")));
  assertEquals(lines.filter((l) => l.startsWith("3:")).length, 100);
  assertEquals(t.server.flow.total.bytes, 0);
  // Not resumable any more: a drop now ends it as today.
  await a.close();
  assertEquals(await b.next(), `2:${a.id}:`);
});
