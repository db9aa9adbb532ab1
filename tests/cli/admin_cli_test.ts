/**
 * The admin endpoint of a real `serve` child, and `switchboard admin …` as
 * real child processes: each action checked by what the affected clients
 * receive; the token's absence, a wrong token and an unreachable endpoint
 * each give one clear line and exit 1 (2 for serve).
 */
import assert from "node:assert/strict";
import { assertEquals } from "../helpers/assert.ts";
import { runCli, serveChild } from "../helpers/cli.ts";
import { LineClient } from "../helpers/line_client.ts";
import { postgresAvailability, startPostgres } from "../helpers/postgres.ts";
import { redisAvailability, startRedis } from "../helpers/redis.ts";
import { type TempFile, tempFile } from "../helpers/temp_file.ts";

const TOKEN = "cli-test-token-0123456789abcdef";

function tokenFile(token = TOKEN): Promise<TempFile> {
  return tempFile("switchboard-token-", `${token}\n`);
}

async function member(port: number, name: string, room: string) {
  const c = await LineClient.connect(port);
  const id = await c.login(name);
  await c.send(`2:${room}`);
  while (!(await c.next()).startsWith("4:"));
  return Object.assign(c, { id });
}

Deno.test("admin cli: kick, close-room and notice reach the clients they name", async () => {
  await using tokenTemp = await tokenFile();
  const file = tokenTemp.path;
  await using serve = await serveChild([
    "--admin-port",
    "0",
    "--admin-token-file",
    file,
  ]);
  assert.match(serve.adminUrl ?? "", /^http:\/\/127\.0\.0\.1:\d+$/);
  const admin = ["--admin", serve.adminUrl!, "--token-file", file];
  await using ada = await member(serve.port, "ada", "lobby");
  await using bob = await member(serve.port, "bob", "lobby");
  await using cy = await member(serve.port, "cy", "den");
  await ada.take(1);

  const notice = await runCli([
    "admin",
    "notice",
    "restart",
    "at",
    "10:00",
    ...admin,
  ]);
  assertEquals(
    [notice.code, notice.stdout],
    [0, "notice sent to 3 sessions\n"],
    notice.stderr,
  );
  for (const c of [ada, bob, cy]) {
    assertEquals(await c.take(1), ["8:server:restart at 10:00"]);
  }

  const roomNotice = await runCli([
    "admin",
    "notice",
    "--room",
    "den",
    "last call",
    ...admin,
  ]);
  assertEquals(
    roomNotice.stdout,
    "notice sent to 1 session in den\n",
    roomNotice.stderr,
  );
  assertEquals(await cy.take(1), ["8:room:last call"]);

  const kick = await runCli([
    "admin",
    "kick",
    "bob",
    "--reason",
    "be nice",
    ...admin,
  ]);
  assertEquals([kick.code, kick.stdout], [
    0,
    `kicked session ${bob.id} (bob)\n`,
  ], kick.stderr);
  assertEquals(await bob.take(3), [
    "9:0:kicked:be nice",
    "0:-1",
    `2:${bob.id}:`,
  ]);
  await bob.closed();
  assertEquals(await ada.take(1), [`2:${bob.id}:`]);

  const close = await runCli([
    "admin",
    "close-room",
    "den",
    "--reason",
    "closing",
    ...admin,
  ]);
  assertEquals(
    close.stdout,
    "closed room den: 1 member left it\n",
    close.stderr,
  );
  assertEquals(await cy.take(2), ["8:room:closing", `2:${cy.id}:`]);

  const missing = await runCli(["admin", "kick", String(bob.id), ...admin]);
  assertEquals([missing.code, missing.stdout], [1, ""]);
  assert.match(
    missing.stderr,
    new RegExp(
      `^switchboard: error: no session ${bob.id}\n {2}'.*status --token-file FILE' lists the sessions`,
    ),
  );
  for (const c of [ada, cy]) assertEquals(await c.sync(), []);
});

Deno.test("admin cli: drain tells everyone, waits, ends who is left, and serve exits 0", async () => {
  await using tokenTemp = await tokenFile();
  const file = tokenTemp.path;
  await using serve = await serveChild([
    "--admin-port",
    "0",
    "--admin-token-file",
    file,
  ]);
  await using ada = await member(serve.port, "ada", "lobby");
  await using bob = await member(serve.port, "bob", "lobby");
  await ada.take(1);
  const draining = runCli([
    "admin",
    "drain",
    "--timeout",
    "2",
    "--notice",
    "maintenance: back in 5 minutes",
    "--wait",
    "--admin",
    serve.adminUrl!,
    "--token-file",
    file,
  ]);
  assertEquals(await ada.take(1, 20_000), [
    "8:server:maintenance: back in 5 minutes",
  ]);
  assertEquals(await bob.take(1), ["8:server:maintenance: back in 5 minutes"]);
  await ada.close();
  assertEquals(await bob.take(2), [`2:${ada.id}:`, `4:${bob.id}`]);
  assertEquals(await bob.take(3, 10_000), [
    "9:0:shutting-down:the server has closed",
    "0:-1",
    `2:${bob.id}:`,
  ]);
  await bob.closed();
  const done = await draining;
  assertEquals(done.code, 0, done.stderr);
  assert.match(
    done.stdout,
    /^drained in \d+\.\d s: 1 left on their own, 1 ended at the deadline/,
  );
  const status = await serve.process.status;
  assertEquals(status.code, 0);
  const log = await serve.stderrText();
  assert.match(log, /event=admin\.drain /);
  assert.match(log, /event=server\.stopping signal=drain/);
  assert.match(log, /event=server\.stopped code=0/);
});

Deno.test("admin cli: no token, a wrong token, or no endpoint: one line saying what to do, exit 1", async () => {
  await using tokenTemp = await tokenFile();
  const file = tokenTemp.path;
  await using serve = await serveChild([
    "--admin-port",
    "0",
    "--admin-token-file",
    file,
  ]);
  await using wrongFile = await tokenFile("not-the-token-0123456789");
  const wrong = wrongFile.path;
  const refused = await runCli([
    "status",
    "--admin",
    serve.adminUrl!,
    "--token-file",
    wrong,
  ]);
  assertEquals(refused.code, 1);
  assert.match(
    refused.stderr,
    /^switchboard: error: the admin endpoint at http:\/\/127\.0\.0\.1:\d+ refused the token; give the one serve uses/,
  );
  const none = await runCli([
    "admin",
    "notice",
    "hi",
    "--admin",
    serve.adminUrl!,
  ], {});
  // The test runner's own environment may not have the variable: then it says so.
  if (Deno.env.get("SWITCHBOARD_ADMIN_TOKEN") === undefined) {
    assertEquals(none.code, 1);
    assert.match(
      none.stderr,
      /^switchboard: error: no admin token: give --token-file FILE or set SWITCHBOARD_ADMIN_TOKEN/,
    );
  }
  const listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const port = (listener.addr as Deno.NetAddr).port;
  listener.close();
  const away = await runCli([
    "admin",
    "drain",
    "--admin",
    `http://127.0.0.1:${port}`,
    "--token-file",
    file,
  ]);
  assertEquals(away.code, 1);
  assert.match(
    away.stderr,
    /^switchboard: error: cannot reach the admin endpoint at http:\/\/127\.0\.0\.1:\d+ .*Give its address with --admin URL\.\n$/,
  );
  // The server was not touched by any of it.
  const health = await fetch(`${serve.adminUrl}/healthz`);
  assertEquals(await health.text(), "ok\n");
});

Deno.test("serve --admin-port: refuses to start without a usable token, and says how to make one", async () => {
  await using shortFile = await tokenFile("short");
  const short = shortFile.path;
  const cases: [string[], RegExp][] = [
    [
      ["--admin-port", "0"],
      /no admin token: give --admin-token-file FILE or set SWITCHBOARD_ADMIN_TOKEN/,
    ],
    [
      ["--admin-port", "0", "--admin-token-file", short],
      /has 5 characters; use at least 16/,
    ],
    [
      ["--admin-port", "0", "--admin-token-file", "/nonexistent/token"],
      /cannot read the token file \/nonexistent\/token/,
    ],
  ];
  for (const [args, message] of cases) {
    const result = await runCli([
      "serve",
      "--auth",
      "open",
      "--db",
      ":memory:",
      "--port",
      "0",
      ...args,
    ]);
    assertEquals(result.code, 2, args.join(" "));
    assert.match(result.stderr, message);
    assert.match(result.stderr, /openssl rand -hex 32/);
    assertEquals(result.stdout, "");
  }
});

Deno.test("serve --log-format json: every log line is one JSON object with ts, level and event first", async () => {
  await using serve = await serveChild(["--log-format", "json"]);
  await using c = await LineClient.connect(serve.port);
  await c.login("ada");
  await c.close();
  serve.process.kill("SIGTERM");
  await serve.process.status;
  const lines = (await serve.stderrText()).trim().split("\n");
  const events = lines.map((line) => {
    const record = JSON.parse(line);
    assertEquals(
      Object.keys(record).slice(0, 3),
      ["ts", "level", "event"],
      line,
    );
    return record.event;
  });
  for (const event of ["conn.open", "login.ok", "server.stopped"]) {
    assert.ok(events.includes(event), `${event} in ${events}`);
  }
  const login = lines.map((l) => JSON.parse(l)).find((r) =>
    r.event === "login.ok"
  );
  assertEquals([login.user, typeof login.session], ["ada", "number"]);
});

const pg = await postgresAvailability();
const skipped = pg.available ? "" : ` (skipped: ${pg.reason})`;

Deno.test({
  name:
    `admin cli: /readyz follows a real PostgreSQL going away and coming back; /healthz stays up${skipped}`,
  ignore: !pg.available,
  async fn() {
    if (!pg.available) return;
    await using cluster = await startPostgres(pg);
    const db = await cluster.freshDatabase();
    await using tokenTemp = await tokenFile();
    const file = tokenTemp.path;
    await using serve = await serveChild([
      "--db",
      db,
      "--admin-port",
      "0",
      "--admin-token-file",
      file,
    ]);
    const ready = () =>
      fetch(`${serve.adminUrl}/readyz`, {
        headers: { authorization: `Bearer ${TOKEN}` },
      })
        .then(async (r) => ({ status: r.status, body: await r.json() }));
    const up = await ready();
    assertEquals([up.status, up.body.checks[0].name, up.body.checks[0].ok], [
      200,
      "database",
      true,
    ]);
    await cluster.stop();
    const down = await ready();
    assertEquals([down.status, down.body.ready, down.body.checks[0].ok], [
      503,
      false,
      false,
    ]);
    assert.ok(down.body.checks[0].error.length > 0);
    const health = await fetch(`${serve.adminUrl}/healthz`);
    assertEquals([health.status, await health.text()], [200, "ok\n"]);
    await cluster.restart();
    // The pool reconnects on the next query.
    const back = await ready();
    assertEquals(back.status, 200, JSON.stringify(back.body));
    serve.process.kill("SIGTERM");
    assertEquals((await serve.process.status).code, 0);
  },
});

const redis = await redisAvailability();
const noRedis = redis.available ? "" : ` (skipped: ${redis.reason})`;

Deno.test({
  name:
    `admin cli: in a deployment /readyz also checks Redis, and the node id names the server${noRedis}`,
  ignore: !redis.available,
  async fn() {
    await using store = await startRedis();
    await using tokenTemp = await tokenFile();
    const file = tokenTemp.path;
    await using serve = await serveChild([
      "--cluster",
      store.url,
      "--admin-port",
      "0",
      "--admin-token-file",
      file,
    ]);
    assert.ok(
      serve.adminUrl !== null && serve.node !== null,
      "both named on the ready line",
    );
    const get = (path: string) =>
      fetch(`${serve.adminUrl}${path}`, {
        headers: { authorization: `Bearer ${TOKEN}` },
      })
        .then(async (r) => ({ status: r.status, body: await r.json() }));
    const up = await get("/readyz");
    assertEquals(
      [
        up.status,
        up.body.checks.map((
          c: { name: string; ok: boolean },
        ) => [c.name, c.ok]),
      ],
      [200, [["database", true], ["redis", true]]],
    );
    const status = await get("/status");
    assert.match(status.body.node, new RegExp(`/node-${serve.node}$`));
    // Redis goes away: the node notices within its TTL; not ready until back.
    await store.stop();
    let down = await get("/readyz");
    const deadline = Date.now() + 15_000;
    while (down.status === 200 && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 200));
      down = await get("/readyz");
    }
    assertEquals(down.status, 503);
    const failed = down.body.checks.find((c: { name: string }) =>
      c.name === "redis"
    );
    assertEquals(failed.ok, false);
    assertEquals((await fetch(`${serve.adminUrl}/healthz`)).status, 200);
    serve.process.kill("SIGTERM");
    await serve.process.status;
  },
});
