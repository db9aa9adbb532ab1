/**
 * Nothing lost: `serve` killed with SIGKILL in the middle of logins and
 * admin commands leaves a database that opens and holds every account whose
 * `users add` had finished.
 */
import assert from "node:assert/strict";
import { DatabaseSync } from "node:sqlite";
import { assertEquals } from "../helpers/assert.ts";
import { readUntil, runCli, spawnCli } from "../helpers/cli.ts";
import { LineClient } from "../helpers/line_client.ts";
import { openStore, PasswordHasher } from "../../server/mod.ts";

const MAIN = new URL("../../cli/main.ts", import.meta.url).pathname;

/** Logs in and out as fast as the server answers until it goes away. */
async function loginLoop(port: number, user: string, password: string) {
  let answered = 0;
  try {
    await using c = await LineClient.connect(port);
    while (true) {
      await c.send(`0:${user}:${password}`, `0:${user}:wrong`);
      await c.next(10_000);
      await c.next(10_000);
      answered += 2;
    }
  } catch {
    // the server was killed
  }
  return answered;
}

Deno.test("crash: SIGKILL during logins and admin commands loses no committed account", async () => {
  const dir = await Deno.makeTempDir({ prefix: "switchboard-crash-" });
  const db = `${dir}/switchboard.db`;
  try {
    assertEquals(
      (await runCli(["users", "add", "seed", "--password-stdin", "--db", db], {
        stdin: "pw\n",
      })).code,
      0,
    );
    await using server = spawnCli([
      "serve",
      "--port",
      "0",
      "--db",
      db,
      "--log-level",
      "error",
    ]);
    const port = Number(
      (await readUntil(server.stdout, /tcp:\/\/127\.0\.0\.1:(\d+)/))[1],
    );
    const logins = [
      loginLoop(port, "seed", "pw"),
      loginLoop(port, "seed", "pw"),
      loginLoop(port, "u0", "pw0"),
    ];
    const committed: string[] = [];
    for (let i = 0; i < 5; i++) {
      const r = await runCli([
        "users",
        "add",
        `u${i}`,
        "--password-stdin",
        "--db",
        db,
      ], {
        stdin: `pw${i}\n`,
      });
      assertEquals(r.code, 0, r.stderr);
      committed.push(`u${i}`);
    }
    // One more admin command is under way when the server dies.
    const inFlight = new Deno.Command(Deno.execPath(), {
      args: [
        "run",
        "-A",
        MAIN,
        "users",
        "add",
        "late",
        "--password-stdin",
        "--db",
        db,
      ],
      stdin: "piped",
      stdout: "piped",
      stderr: "piped",
    }).spawn();
    const writer = inFlight.stdin.getWriter();
    await writer.write(new TextEncoder().encode("late-pw\n"));
    await writer.close();
    server.process.kill("SIGKILL");
    inFlight.kill("SIGKILL");
    await inFlight.output();
    assertEquals((await server.process.status).signal, "SIGKILL");
    const answered = await Promise.all(logins);
    assert.ok(answered[0]! > 0, "logins were under way");

    const raw = new DatabaseSync(db);
    assertEquals(
      raw.prepare("PRAGMA integrity_check").get()?.integrity_check,
      "ok",
    );
    raw.close();
    await using store = await openStore(db);
    const hasher = new PasswordHasher();
    for (const [i, name] of committed.entries()) {
      const account = await store.findAccount(name);
      assert.ok(account !== null, `${name} survived`);
      assert.ok(await hasher.verify(`pw${i}`, account.passwordHash));
    }
    const seed = await store.findAccount("seed");
    assert.ok(seed?.lastLoginAt !== null, "logins were recorded");
    const late = await store.findAccount("late");
    if (late !== null) {
      assert.ok(await hasher.verify("late-pw", late.passwordHash));
    }

    // And a new server serves from it.
    await using again = spawnCli(["serve", "--port", "0", "--db", db]);
    const port2 = Number(
      (await readUntil(again.stdout, /tcp:\/\/127\.0\.0\.1:(\d+)/))[1],
    );
    await using c = await LineClient.connect(port2);
    assert.ok((await c.login("u4", "pw4")) > 0);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
