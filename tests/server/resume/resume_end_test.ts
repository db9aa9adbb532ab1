/**
 * How a held session ends, and which resumes are refused: the window, a
 * full buffer, a new login of the same user, a server-ended session
 * (revocation, kick), the shutdown; wrong tokens, spent tokens, wrong counts,
 * a resume on a logged-in connection; a takeover of a connection that has
 * not noticed it is dead.
 */
import assert from "node:assert/strict";
import { assertEquals } from "../../helpers/assert.ts";
import { LogCapture } from "../../helpers/log_capture.ts";
import { ResumeState } from "../../helpers/resume_lines.ts";
import { NO_RATE_LIMIT, startServer } from "../../helpers/server.ts";

const REFUSED = /^9:7:resume-refused:/;

Deno.test("resume: past the window the session ends as today (leave, new master) and a late resume is refused", async () => {
  const log = new LogCapture();
  await using t = await startServer({
    logger: log,
    limits: { resumeWindowMs: 300 },
  });
  const a = await t.member("ada", "r"); // the master
  const b = await t.member("bob", "r");
  await a.take(1);
  const state = await ResumeState.enable(a);
  await a.close();
  assertEquals(await b.next(), `6:${a.id}:away`);
  assertEquals(await b.take(2), [`2:${a.id}:`, `4:${b.id}`]);
  await log.waitFor("session.end", (f) => f.reason === "resume window");
  assertEquals([t.server.sessionCount, t.server.heldSessionCount], [1, 0]);
  const late = await t.client();
  const refusal = await state.resumeOn(late);
  assert.match(String(refusal), REFUSED);
  assert.match(String(refusal), /the resume window is 0.3 s/);
  assertEquals(await late.login("ada"), a.id + 2);
});

Deno.test("resume: a buffer overflow while away ends the session cleanly", async () => {
  const log = new LogCapture();
  await using t = await startServer({
    logger: log,
    limits: { resumeBufferBytes: 4096, ...NO_RATE_LIMIT },
  });
  const a = await t.member("ada", "r");
  const b = await t.member("bob", "r");
  await a.take(1);
  const state = await ResumeState.enable(a);
  await a.close();
  assertEquals(await b.next(), `6:${a.id}:away`);
  const payload = "x".repeat(100);
  // 50 lines of 106 bytes: past 4,096 bytes at the 39th.
  await b.send(...Array.from({ length: 50 }, () => `3:0:${payload}`));
  assertEquals(await b.next(), `2:${a.id}:`);
  await log.waitFor("session.end", (f) => f.reason === "resume buffer full");
  assertEquals(t.server.flow.total.bytes, 0);
  assert.match(String(await state.resumeOn(await t.client())), REFUSED);
});

Deno.test("resume: a login of the same user ends the held session (its room sees it leave) and takes over", async () => {
  await using t = await startServer();
  const a = await t.member("ada", "r");
  const b = await t.member("bob", "r");
  await a.take(1);
  const state = await ResumeState.enable(a);
  await a.close();
  assertEquals(await b.next(), `6:${a.id}:away`);
  const again = await t.user("ada");
  assert.notEqual(again.id, a.id);
  assertEquals(await b.take(2), [`2:${a.id}:`, `4:${b.id}`]);
  assertEquals(t.server.heldSessionCount, 0);
  assert.match(String(await state.resumeOn(await t.client())), REFUSED);
});

Deno.test("resume: a held session can be ended by the server (revocation, kick) like any other", async () => {
  await using t = await startServer();
  const a = await t.member("ada", "r");
  const b = await t.member("bob", "r");
  await a.take(1);
  const state = await ResumeState.enable(a);
  await a.close();
  assertEquals(await b.next(), `6:${a.id}:away`);
  const held = t.server.ctx.sessions.get(a.id)!;
  t.server.ctx.sessions.endWithReason(
    held,
    "revoked",
    "account disabled",
    "revoked",
  );
  assertEquals(await b.take(2), [`2:${a.id}:`, `4:${b.id}`]);
  assertEquals([t.server.sessionCount, t.server.heldSessionCount], [1, 0]);
  assertEquals(t.server.flow.total.bytes, 0);
  assert.match(String(await state.resumeOn(await t.client())), REFUSED);
});

Deno.test("resume: shutting down ends held sessions; their rooms are told", async () => {
  await using t = await startServer();
  const a = await t.member("ada", "r");
  const b = await t.member("bob", "r");
  await a.take(1);
  await ResumeState.enable(a);
  await a.close();
  assertEquals(await b.next(), `6:${a.id}:away`);
  await t.server.close();
  assertEquals(await b.take(5), [
    `2:${a.id}:`,
    `4:${b.id}`,
    "9:0:shutting-down:the server is shutting down",
    "0:-1",
    `2:${b.id}:`,
  ]);
  assertEquals(t.server.heldSessionCount, 0);
});

Deno.test("resume: a wrong token is refused and the session stays held; the right one still resumes", async () => {
  await using t = await startServer();
  const a = await t.member("ada", "r");
  const state = await ResumeState.enable(a);
  await a.close();
  const wrong = await t.client();
  await wrong.send(`7:${a.id}:${"0".repeat(32)}:0`);
  assert.match(await wrong.next(), REFUSED);
  await wrong.send(`7:${a.id + 50}:${state.token}:0`);
  assert.match(await wrong.next(), REFUSED);
  assertEquals(t.server.heldSessionCount, 1);
  const reply = await state.resumeOn(await t.client());
  assert.ok(typeof reply !== "string", `refused: ${reply}`);
});

Deno.test("resume: a token is replaced at each resume; the old one works again only until the client's first line on the new connection", async () => {
  await using t = await startServer();
  const a = await t.member("ada", "r");
  const state = await ResumeState.enable(a);
  const first = state.token;
  await a.close();
  // The answer to this resume is "lost": the client drops before reading it.
  const lost = await t.client();
  await lost.send(`7:${a.id}:${first}:0`);
  assert.match(await lost.next(), /^7:/);
  await lost.close();
  // So it tries again with the token it has, and that still works.
  const retry = await t.client();
  await retry.send(`7:${a.id}:${first}:0`);
  assert.match(await retry.next(), /^7:/);
  await retry.send("1:"); // a line on the new connection: it has the new token
  assertEquals(await retry.next(), "1:r-1");
  await retry.close();
  const stale = await t.client();
  await stale.send(`7:${a.id}:${first}:0`);
  assert.match(await stale.next(), REFUSED);
});

Deno.test("resume: counts outside what was sent and acknowledged are refused", async () => {
  await using t = await startServer();
  const a = await t.member("ada", "r");
  const state = await ResumeState.enable(a);
  await a.send("3:1:one", "3:1:two", "7:1");
  await a.take(3);
  await a.close();
  const c = await t.client();
  await c.send(`7:${a.id}:${state.token}:3`); // only 2 were sent
  assert.match(
    await c.next(),
    /^9:7:resume-refused:you have 3 of session \d+'s lines, but 1 were acknowledged and 2 sent/,
  );
  await c.send(`7:${a.id}:${state.token}:0`); // 1 was acknowledged already
  assert.match(await c.next(), /but 1 were acknowledged/);
  const ok = await t.client();
  await ok.send(`7:${a.id}:${state.token}:1`);
  assert.match(await ok.next(), /^7:\d+:\d+:/);
  assertEquals(await ok.next(), `3:${a.id}:two`);
});

Deno.test("resume: a logged-in connection cannot resume; before login it is rate-limited like logins", async () => {
  await using t = await startServer({ limits: { maxLoginsPerMinute: 2 } });
  const a = await t.user("ada");
  await a.send(`7:1:${"a".repeat(32)}:0`);
  assert.match(
    await a.next(),
    /^9:7:resume-refused:this connection has a session/,
  );
  const c = await t.client();
  const guess = `7:99:${"b".repeat(32)}:0`;
  await c.send(guess, guess, guess);
  assert.match(await c.next(), REFUSED);
  assert.match(await c.next(), REFUSED);
  assert.match(await c.next(), /^9:7:rate-limited:/);
});

Deno.test("resume: a resume takes the session from a connection that has not noticed it is dead", async () => {
  const log = new LogCapture();
  await using t = await startServer({ logger: log });
  const a = await t.member("ada", "r");
  const b = await t.member("bob", "r");
  await a.take(1);
  const state = await ResumeState.enable(a);
  await b.send("3:0:to the old connection");
  assertEquals(await a.next(), `3:${b.id}:to the old connection`);
  // The old connection is still open; the client starts a new one anyway.
  const fresh = await t.client();
  const reply = await state.resumeOn(fresh);
  assert.ok(typeof reply !== "string", `refused: ${reply}`);
  await a.closed();
  await b.send("3:0:to the new one");
  assertEquals(await fresh.next(), `3:${b.id}:to the new one`);
  // Never away: the room heard nothing at all.
  assertEquals(await b.sync(), []);
  await log.waitFor("session.resumed");
});
