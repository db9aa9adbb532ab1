/**
 * Resumable sessions from raw line clients: `7:` and its answer,
 * acknowledgements, a dropped connection held (away notices, no leave),
 * resumed on a new connection with every missed line exactly once, the
 * partial line that a drop cut discarded, the window, the buffer, a new
 * login, a server-ended session, a takeover, wrong tokens and counts.
 */
import assert from "node:assert/strict";
import { assertEquals } from "../../helpers/assert.ts";
import { LogCapture } from "../../helpers/log_capture.ts";
import { parseReply, ResumeState } from "../../helpers/resume_lines.ts";
import { startServer } from "../../helpers/server.ts";
import {
  metricsText,
  readTotals,
  statusReport,
} from "../../../server/admin/mod.ts";

const TOKEN = /^[0-9a-f]{32}$/;

Deno.test("resume: 7: answers 7:<id>:0:<token>; a second 7: answers the same token with the count so far; 7:-1 turns it off", async () => {
  await using t = await startServer();
  const a = await t.user("ada");
  await a.send("7:");
  const reply = parseReply(await a.next());
  assertEquals([reply.id, reply.count, reply.secret], [a.id, 0, null]);
  assert.match(reply.token, TOKEN);
  await a.send("1:", "", "3:4:999:x", "7:");
  assertEquals(await a.next(), "1:");
  assert.match(await a.next(), /^9:3:unknown-recipients:/);
  const again = parseReply(await a.next());
  assertEquals([again.count, again.token], [3, reply.token]);
  await a.send("7:-1");
  assertEquals(await a.next(), "7:-1");
});

Deno.test("resume: 7 lines before login get 0:-1; malformed ones the error line", async () => {
  await using t = await startServer();
  const c = await t.client();
  await c.send("7:", "7:5", "7:x", "7:1:nottoken:3", "77:1");
  assertEquals(await c.take(5), [
    "0:-1",
    "0:-1",
    "9:7:malformed:expected 7:, 7:<count>, 7:<id>:<token>:<count> or 7:-1",
    "9:7:malformed:expected 7:, 7:<count>, 7:<id>:<token>:<count> or 7:-1",
    "9:77:unknown-command:unknown command",
  ]);
});

Deno.test("resume: acknowledgements: the server answers 7:<n> with its own count and refuses counts it never sent", async () => {
  await using t = await startServer();
  const a = await t.member("ada", "r");
  const state = await ResumeState.enable(a);
  await a.send("3:1:one", "3:1:two");
  assertEquals(await a.take(2), [`3:${a.id}:one`, `3:${a.id}:two`]);
  await a.send("7:2");
  assertEquals(await a.next(), "7:2");
  await a.send("7:5");
  assert.match(await a.next(), /^9:7:malformed:acknowledges 5 lines; 2 to 2/);
  assertEquals(state.received, 3); // the two messages and the error line
});

Deno.test("resume: a dropped session is held: the room hears 6:<id>:away, not a leave; its resume gets exactly the missed lines, then 6:<id>:back", async () => {
  const log = new LogCapture();
  await using t = await startServer({ logger: log });
  const a = await t.member("ada", "r");
  const b = await t.member("bob", "r");
  await a.take(1); // bob's join
  await a.send("5:team:" + b.id);
  const state = await ResumeState.enable(a);
  await b.send("3:0:before");
  assertEquals(await a.next(), `3:${b.id}:before`);
  await a.close();
  assertEquals(await b.next(), `6:${a.id}:away`);
  await log.waitFor("session.away");
  assertEquals(t.server.heldSessionCount, 1);
  // The admin's view: one held session, reported away with its buffer.
  assertEquals(readTotals(t.server).sessionsHeld, 1);
  assert.match(
    metricsText(t.server, { version: "test", node: "a" }),
    /^switchboard_sessions_held 1$/m,
  );
  const report = statusReport(t.server, { version: "test", node: "a" });
  assertEquals(
    report.sessions.filter((s) => s.away).map((s) => s.id),
    [a.id],
  );
  await b.send("3:0:while away 1", "3:0:while away 2", "3:4:" + a.id + ":dm");
  assertEquals(await b.sync(), []);
  const fresh = await t.client();
  const reply = await state.resumeOn(fresh);
  assert.ok(typeof reply !== "string", `refused: ${reply}`);
  assertEquals([reply.id, reply.count], [a.id, 0]); // its 5: came before 7:
  assert.notEqual(
    reply.token,
    parseReply(a.history.find((l) => l.startsWith("7:"))!).token,
  );
  assert.match(reply.secret ?? "", TOKEN);
  assertEquals(await fresh.take(3), [
    `3:${b.id}:while away 1`,
    `3:${b.id}:while away 2`,
    `3:${b.id}:dm`,
  ]);
  assertEquals(await b.next(), `6:${a.id}:back`);
  assertEquals(t.server.heldSessionCount, 0);
  // Same session: its group, its room, its master role.
  await fresh.send("4:team:via group", "3:1:live");
  assertEquals(await b.take(2), [`3:${a.id}:via group`, `3:${a.id}:live`]);
  assertEquals(await fresh.next(), `3:${a.id}:live`);
  assertEquals(b.history.filter((l) => l === `2:${a.id}:`), []);
  await b.send("2:-1");
  assertEquals(await b.next(), `2:${b.id}:`);
  assertEquals(await fresh.next(), `2:${b.id}:`);
});

Deno.test("resume: a line cut in half by the drop is never handled, and the count says so", async () => {
  await using t = await startServer();
  const a = await t.member("ada", "r");
  const b = await t.member("bob", "r");
  await a.take(1);
  const state = await ResumeState.enable(a);
  await a.send("3:0:whole");
  assertEquals(await b.next(), `3:${a.id}:whole`);
  await a.write(new TextEncoder().encode("3:0:half of a li"));
  await a.close();
  assertEquals(await b.next(), `6:${a.id}:away`);
  const fresh = await t.client();
  const reply = await state.resumeOn(fresh);
  assert.ok(typeof reply !== "string", `refused: ${reply}`);
  assertEquals(reply.count, 1);
  await fresh.send("3:0:half of a line, sent again whole");
  assertEquals(await b.take(2), [
    `6:${a.id}:back`,
    `3:${a.id}:half of a line, sent again whole`,
  ]);
});
