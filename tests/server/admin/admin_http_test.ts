/**
 * The admin endpoint over real HTTP: the token guards everything but
 * /healthz and the dashboard's static files; health, readiness, status,
 * body limits and wrong methods answer as documented.
 */
import assert from "node:assert/strict";
import { assertEquals } from "../../helpers/assert.ts";
import { startAdmin, TEST_TOKEN } from "../../helpers/admin.ts";
import { LogCapture } from "../../helpers/log_capture.ts";
import { startServer } from "../../helpers/server.ts";
import { parsePrometheus } from "../../helpers/prometheus.ts";

Deno.test("admin http: without the right bearer token nothing but /healthz and the page answers", async () => {
  const log = new LogCapture();
  await using t = await startServer();
  await using a = await startAdmin(t, { logger: log });
  const guarded = [
    ["GET", "/metrics"],
    ["GET", "/status"],
    ["GET", "/history"],
    ["GET", "/readyz"],
    ["GET", "/no-such-path"],
    ["POST", "/kick"],
    ["POST", "/close-room"],
    ["POST", "/notice"],
    ["POST", "/drain"],
  ] as const;
  const wrong = TEST_TOKEN.slice(0, -1) + "x";
  const attempts: [string, Record<string, string>, string][] = [
    ["none", {}, ""],
    ["wrong token", { authorization: `Bearer ${wrong}` }, ""],
    [
      "a prefix of it",
      { authorization: `Bearer ${TEST_TOKEN.slice(0, 8)}` },
      "",
    ],
    ["it twice", { authorization: `Bearer ${TEST_TOKEN}${TEST_TOKEN}` }, ""],
    [
      "basic auth",
      { authorization: `Basic ${btoa(`admin:${TEST_TOKEN}`)}` },
      "",
    ],
    ["no scheme", { authorization: TEST_TOKEN }, ""],
    ["in the query", {}, `?token=${TEST_TOKEN}`],
    ["in a cookie", { cookie: `token=${TEST_TOKEN}` }, ""],
  ];
  for (const [method, path] of guarded) {
    for (const [how, headers, query] of attempts) {
      const response = await fetch(`${a.url}${path}${query}`, {
        method,
        headers,
        body: method === "POST" ? JSON.stringify({ text: "x" }) : undefined,
      });
      assertEquals(response.status, 401, `${method} ${path} with ${how}`);
      assert.match(response.headers.get("www-authenticate") ?? "", /^Bearer/);
      assertEquals((await response.json()).error.code, "unauthorized");
    }
  }
  // Nothing was done, and no token (right or guessed) was logged.
  assertEquals(t.server.ctx.metrics.notices, 0);
  assertEquals(a.admin.unauthorized, guarded.length * attempts.length);
  const logged = JSON.stringify(log.records);
  assert.ok(!logged.includes(TEST_TOKEN.slice(0, 12)), logged);
  assert.ok(log.records.some((r) => r.event === "admin.unauthorized"));

  const health = await fetch(`${a.url}/healthz`);
  assertEquals([health.status, await health.text()], [200, "ok\n"]);
  const page = await fetch(`${a.url}/`);
  assertEquals(page.status, 200);
  assert.match(page.headers.get("content-type")!, /^text\/html/);
  assert.match(
    page.headers.get("content-security-policy")!,
    /frame-ancestors 'none'/,
  );
  assertEquals(page.headers.get("x-frame-options"), "DENY");
  assert.match(await page.text(), /<script src="\/dashboard.js"/);
  const script = await fetch(`${a.url}/dashboard.js`);
  assertEquals(script.status, 200);
  assert.match(script.headers.get("content-type")!, /javascript/);
  await script.body?.cancel();
  // With the token, it all opens.
  assertEquals((await a.request("/status")).status, 200);
  await (await a.request("/history")).body?.cancel();
});

Deno.test("admin http: /readyz runs every check, each within its time limit; /healthz does not", async () => {
  await using t = await startServer();
  let up = true;
  await using a = await startAdmin(t, {
    readinessTimeoutMs: 300,
    readiness: [{
      name: "database",
      check: () => up ? Promise.resolve() : Promise.reject(new Error("gone")),
    }],
  });
  const ready = await a.request("/readyz");
  assertEquals(ready.status, 200);
  const body = await ready.json();
  assertEquals([body.ready, body.accepting], [true, true]);
  assertEquals(
    body.checks.map((c: { name: string; ok: boolean }) => [c.name, c.ok]),
    [["database", true]],
  );

  up = false;
  const down = await a.request("/readyz");
  assertEquals(down.status, 503);
  const failed = (await down.json()).checks[0];
  assertEquals([failed.ok, failed.error], [false, "gone"]);
  assertEquals((await fetch(`${a.url}/healthz`)).status, 200);

  // A check that never answers fails at its time limit; one added later runs too.
  up = true;
  a.admin.readiness.push({ name: "redis", check: () => new Promise(() => {}) });
  const started = performance.now();
  const hung = await a.request("/readyz");
  assertEquals(hung.status, 503);
  const checks = (await hung.json()).checks;
  assertEquals(checks.map((c: { ok: boolean }) => c.ok), [true, false]);
  assert.match(checks[1].error, /no answer within 300 ms/);
  assert.ok(performance.now() - started < 5_000);
});

Deno.test("admin http: /status lists rooms with members (names, master, join time) and sessions with counters", async () => {
  await using t = await startServer();
  await using a = await startAdmin(t);
  const before = Date.now();
  const ada = await t.member("ada", "lobby");
  const bob = await t.member("bob", "lobby");
  await t.member("cy", "den");
  await t.user("dee");
  const status = await a.json<{
    version: string;
    accepting: boolean;
    limits: { maxLineBytes: number };
    totals: {
      sessions: number;
      rooms: number;
      members: number;
      connections: number;
    };
    rooms: {
      name: string;
      master: number;
      memberCount: number;
      members: { id: number; user: string; joinedAt: string }[];
    }[];
    sessions: {
      id: number;
      user: string;
      room: string | null;
      since: string;
    }[];
  }>("/status");
  assertEquals(status.version, "0.1.0");
  assertEquals(status.accepting, true);
  assertEquals(status.limits.maxLineBytes, t.server.ctx.limits.maxLineBytes);
  assertEquals(
    [
      status.totals.sessions,
      status.totals.rooms,
      status.totals.members,
      status.totals.connections,
    ],
    [4, 2, 3, 4],
  );
  // The largest room first; members in join order, the master first.
  assertEquals(status.rooms.map((r) => [r.name, r.memberCount, r.master]), [
    ["lobby", 2, ada.id],
    ["den", 1, status.rooms[1]!.members[0]!.id],
  ]);
  assertEquals(status.rooms[0]!.members.map((m) => [m.id, m.user]), [[
    ada.id,
    "ada",
  ], [bob.id, "bob"]]);
  for (const m of status.rooms[0]!.members) {
    const at = Date.parse(m.joinedAt);
    assert.ok(at >= before && at <= Date.now(), m.joinedAt);
  }
  assertEquals(
    status.sessions.map((s) => [s.user, s.room]),
    [["ada", "lobby"], ["bob", "lobby"], ["cy", "den"], ["dee", null]],
  );

  const cut = await a.json<
    {
      rooms: unknown[];
      roomsTruncated: boolean;
      sessions: unknown[];
      sessionsTruncated: boolean;
    }
  >(
    "/status?rooms=1&sessions=2",
  );
  assertEquals([
    cut.rooms.length,
    cut.roomsTruncated,
    cut.sessions.length,
    cut.sessionsTruncated,
  ], [1, true, 2, true]);
  for (const bad of ["rooms=-1", "rooms=x", "sessions=100000"]) {
    const response = await a.request(`/status?${bad}`);
    assertEquals(response.status, 400, bad);
    await response.body?.cancel();
  }
});

Deno.test("admin http: bodies are bounded, must be JSON objects; wrong methods and paths are refused", async () => {
  await using t = await startServer();
  await using a = await startAdmin(t);
  const post = (path: string, body: BodyInit) =>
    fetch(`${a.url}${path}`, {
      method: "POST",
      headers: { authorization: `Bearer ${TEST_TOKEN}` },
      body,
    });
  const cases: [string, Promise<Response>, number, string][] = [
    [
      "a 1 MiB body",
      post("/notice", JSON.stringify({ text: "x".repeat(1 << 20) })),
      413,
      "bad-body",
    ],
    ["not JSON", post("/notice", "text=hi"), 400, "bad-body"],
    ["a JSON array", post("/notice", "[1]"), 400, "bad-body"],
    ["no text", post("/notice", "{}"), 400, "invalid"],
    [
      "a notice with a newline",
      post("/notice", JSON.stringify({ text: "a\n9:0:kicked:x" })),
      400,
      "invalid",
    ],
    [
      "a 1001-byte notice",
      post("/notice", JSON.stringify({ text: "é".repeat(501) })),
      400,
      "invalid",
    ],
    ["GET on an action", a.request("/kick"), 405, "method-not-allowed"],
    ["POST on /status", post("/status", "{}"), 405, "method-not-allowed"],
    ["an unknown path", a.request("/nope"), 404, "not-found"],
    ["kick with no target", post("/kick", "{}"), 400, "invalid"],
    [
      "kick of a session that is not there",
      post("/kick", JSON.stringify({ session: 999 })),
      404,
      "not-found",
    ],
    [
      "close of a room that is not there",
      post("/close-room", JSON.stringify({ room: "void" })),
      404,
      "not-found",
    ],
    [
      "a drain of a week",
      post("/drain", JSON.stringify({ timeoutSeconds: 604800 })),
      400,
      "invalid",
    ],
  ];
  for (const [what, answer, status, code] of cases) {
    const response = await answer;
    assertEquals(response.status, status, what);
    assertEquals((await response.json()).error.code, code, what);
  }
  assertEquals(t.server.accepting, true);
});

Deno.test("admin http: /metrics is valid exposition text with every family documented", async () => {
  await using t = await startServer();
  await using a = await startAdmin(t);
  const response = await a.request("/metrics");
  assert.match(
    response.headers.get("content-type")!,
    /^text\/plain; version=0\.0\.4/,
  );
  const families = parsePrometheus(await response.text());
  const docs = await Deno.readTextFile(
    new URL("../../../docs/operations.md", import.meta.url),
  );
  for (const name of families.keys()) {
    assert.ok(docs.includes(`\`${name}\``), `docs/operations.md lists ${name}`);
  }
  for (
    const name of [
      "switchboard_lines_in_total",
      "switchboard_relay_latency_seconds",
      "switchboard_event_loop_delay_seconds",
      "switchboard_refusals_total",
    ]
  ) {
    assert.ok(families.has(name), name);
  }
});
