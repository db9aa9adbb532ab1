/** `serve` as a child process: the ready line, a session, clean exit on signals. */
import assert from "node:assert/strict";
import { assertEquals } from "../helpers/assert.ts";
import { LineClient } from "../helpers/line_client.ts";
import { readUntil, runCli, spawnCli } from "../helpers/cli.ts";

Deno.test("serve: prints tcp://H:P once accepting, serves, exits 0 on SIGTERM", async () => {
  await using child = spawnCli([
    "serve",
    "--host",
    "127.0.0.1",
    "--port",
    "0",
    "--auth",
    "open",
    "--db",
    ":memory:",
  ]);
  const ready = await readUntil(child.stdout, /tcp:\/\/127\.0\.0\.1:(\d+)/);
  const port = Number(ready[1]);
  await using c = await LineClient.connect(port);
  assertEquals(await c.login("ada"), 1);
  await c.send("2:lobby");
  assertEquals(await c.take(2), ["2:1:lobby", "4:1"]);
  child.process.kill("SIGTERM");
  assertEquals(
    await c.take(3),
    ["9:0:shutting-down:the server is shutting down", "0:-1", "2:1:"],
    "the session is ended before exit, saying why",
  );
  await c.closed();
  const status = await child.process.status;
  assertEquals(status.code, 0);
});

Deno.test("serve: the relay runs in a worker with a young generation of its own, and its exit code is the process's", async () => {
  await using child = spawnCli(["serve", "--port", "0", "--db", ":memory:"]);
  await readUntil(child.stdout, /tcp:\/\//);
  child.process.kill("SIGTERM");
  assertEquals((await child.process.status).code, 0);
  assert.match(
    await child.stderrText(),
    /event=server\.heap young_generation_mb=12 old_generation_mb=\d+\n/,
  );
  // A failure inside the worker fails the process with the worker's code.
  const bad = await runCli([
    "serve",
    "--port",
    "0",
    "--db",
    "/nonexistent/x.db",
  ]);
  assertEquals(bad.code, 1);
  assert.match(bad.stderr, /cannot open database \/nonexistent\/x\.db/);
});

Deno.test("serve: SIGINT also exits 0", async () => {
  await using child = spawnCli(["serve", "--port", "0", "--db", ":memory:"]);
  await readUntil(child.stdout, /tcp:\/\//);
  child.process.kill("SIGINT");
  assertEquals((await child.process.status).code, 0);
});

Deno.test("serve: accounts by default; with none, says how to add one and how to let anyone in", async () => {
  const dir = await Deno.makeTempDir({ prefix: "switchboard-serve-" });
  try {
    await using child = spawnCli(["serve", "--port", "0"], { cwd: dir });
    const ready = await readUntil(
      child.stdout,
      /tcp:\/\/127\.0\.0\.1:(\d+) udp:\/\/127\.0\.0\.1:\d+ \(auth: accounts, db: switchboard\.db\)/,
    );
    const notice = ready.input!;
    assert.match(notice, /switchboard\.db holds no accounts yet/);
    assert.match(notice, /deno run -A \S*cli\/main\.ts users add NAME\n/);
    assert.match(notice, /serve --auth open/);
    await using c = await LineClient.connect(Number(ready[1]));
    await c.send("0:ada:pw");
    assertEquals(await c.next(), "0:-1");
    await Deno.stat(`${dir}/switchboard.db`); // made in the working directory
    child.process.kill("SIGTERM");
    assertEquals((await child.process.status).code, 0);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("serve: an account added with users add logs in; rooms added while it runs are listed", async () => {
  const dir = await Deno.makeTempDir({ prefix: "switchboard-serve-" });
  const db = `${dir}/accounts.db`;
  try {
    const added = await runCli([
      "users",
      "add",
      "ada",
      "--password-stdin",
      "--db",
      db,
    ], {
      stdin: "s3cret\n",
    });
    assertEquals(added.code, 0, added.stderr);
    // The room list is polled below, a round trip at a time: faster than
    // the default message rate allows.
    await using child = spawnCli([
      "serve",
      "--port",
      "0",
      "--db",
      db,
      "--max-messages-per-second",
      "100000",
      "--message-burst",
      "100000",
    ]);
    const ready = await readUntil(child.stdout, /tcp:\/\/127\.0\.0\.1:(\d+)/);
    assert.doesNotMatch(ready.input!, /no accounts/);
    await using c = await LineClient.connect(Number(ready[1]));
    await c.send("0:ada:wrong");
    assertEquals(await c.next(), "0:-1");
    assert.match(String(await c.login("ada", "s3cret")), /^\d+$/);
    assertEquals((await runCli(["rooms", "add", "lobby", "--db", db])).code, 0);
    // The server re-reads declared rooms at most once a second: ask until
    // the room shows, each question a round trip.
    const deadline = Date.now() + 10_000;
    let list = "";
    while (list !== "1:lobby-0" && Date.now() < deadline) {
      await c.send("1:");
      list = await c.next();
    }
    assertEquals(list, "1:lobby-0");
    child.process.kill("SIGTERM");
    assertEquals((await child.process.status).code, 0);
    const users = await runCli(["users", "list", "--json", "--db", db]);
    assert.notEqual(JSON.parse(users.stdout)[0].lastLoginAt, null);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("serve: a database that cannot be opened is a clear error", async () => {
  await using child = spawnCli([
    "serve",
    "--port",
    "0",
    "--db",
    "/nonexistent-dir/x.db",
  ]);
  assertEquals((await child.process.status).code, 1);
  assert.match(
    await child.stderrText(),
    /^switchboard: error: cannot open database \/nonexistent-dir\/x\.db.*\n {2}check --db/,
  );
});

Deno.test("serve: unknown flags and bad values are refused", async () => {
  for (
    const args of [["serve", "--nope"], ["serve", "--port", "70000"], [
      "serve",
      "--auth",
      "x",
    ]]
  ) {
    await using child = spawnCli(args);
    const status = await child.process.status;
    assert.notEqual(status.code, 0, args.join(" "));
    assert.ok((await child.stderrText()).length > 0);
  }
});
