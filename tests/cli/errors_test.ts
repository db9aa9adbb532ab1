/**
 * The CLI's messages a first hour ran into (issue 17), as child processes:
 * each error in the house form with what to do next, and nothing left
 * behind by a mistyped `--db`.
 */
import assert from "node:assert/strict";
import { assertEquals } from "../helpers/assert.ts";
import { readUntil, runCli, spawnCli } from "../helpers/cli.ts";

const ROOT = new URL("../../", import.meta.url).pathname.replace(/\/$/, "");

async function tempDir(): Promise<{ path: string } & AsyncDisposable> {
  const path = await Deno.makeTempDir({ prefix: "switchboard-errors-" });
  return {
    path,
    [Symbol.asyncDispose]: () => Deno.remove(path, { recursive: true }),
  };
}

async function entries(dir: string): Promise<string[]> {
  return (await Array.fromAsync(Deno.readDir(dir))).map((e) => e.name);
}

/** A TCP port nothing listens on. */
function closedPort(): number {
  const listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const { port } = listener.addr;
  listener.close();
  return port;
}

Deno.test("errors: a mistyped --db for a command that reads is an error, and no empty database is made", async () => {
  await using dir = await tempDir();
  for (
    const args of [
      ["users", "list"],
      ["users", "remove", "ada"],
      ["users", "disable", "ada"],
      ["rooms", "list"],
      ["rooms", "remove", "den"],
    ]
  ) {
    const r = await runCli([...args, "--db", "typo.db"], { cwd: dir.path });
    assertEquals(r.code, 1, args.join(" "));
    assert.match(
      r.stderr,
      /^switchboard: error: there is no database typo\.db\n {2}check --db .*users add NAME --db typo\.db\n$/,
    );
  }
  assertEquals(await entries(dir.path), [], "nothing created");
  // adding is how a database is made
  const added = await runCli(
    ["users", "add", "ada", "--password-stdin", "--db", "typo.db"],
    { cwd: dir.path, stdin: "pw\n" },
  );
  assertEquals(added.code, 0, added.stderr);
  assert.ok((await entries(dir.path)).includes("typo.db"));
});

Deno.test("errors: a --db URL that is not PostgreSQL's is refused, not taken for a file name", async () => {
  await using dir = await tempDir();
  for (const args of [["users", "list"], ["serve", "--port", "0"]]) {
    const r = await runCli([...args, "--db", "mysql://u:pw@db/x"], {
      cwd: dir.path,
    });
    assertEquals(r.code, 1, r.stderr);
    assert.match(
      r.stderr,
      /^switchboard: error: mysql:\/\/u:\*\*\*@db\/x is neither a SQLite file nor a postgres:\/\/ URL\n {2}--db takes a SQLite file/,
    );
  }
  assertEquals(await entries(dir.path), []);
});

Deno.test("errors: an unreachable PostgreSQL is said as such, not as a failed migration", async () => {
  const url = `postgres://sb:secret@127.0.0.1:${closedPort()}/switchboard`;
  for (const args of [["users", "list"], ["serve", "--port", "0"]]) {
    const r = await runCli([...args, "--db", url]);
    assertEquals(r.code, 1, r.stderr);
    assert.match(
      r.stderr,
      /^switchboard: error: cannot reach PostgreSQL at postgres:\/\/sb:\*\*\*@127\.0\.0\.1:\d+\/switchboard: connect ECONNREFUSED/,
    );
    assert.ok(!r.stderr.includes("migration"), r.stderr);
    assert.ok(!r.stderr.includes("  failed"), "no double space");
    assert.ok(!r.stderr.includes("secret"), "no password shown");
    assert.match(
      r.stderr,
      /\n {2}check --db: for PostgreSQL, that the server runs/,
    );
  }
});

Deno.test("errors: a private room without a terminal says it asks for a password, and how to pipe one", async () => {
  await using dir = await tempDir();
  const r = await runCli(["rooms", "add", "den", "--private"], {
    cwd: dir.path,
  });
  assertEquals(r.code, 1);
  assert.match(
    r.stderr,
    /^switchboard: error: a private room needs a password: this command asks for the password for room den on the terminal, and standard input is not a terminal\n {2}pipe it in: echo 'PASSWORD' \| .*rooms add den --private --password-stdin\n$/,
  );
});

Deno.test("errors: with no accounts, serve in a clone suggests the commands the README uses", async () => {
  await using dir = await tempDir();
  const db = `${dir.path}/empty.db`;
  // run from the clone's root, as the README does
  const child = spawnCli(["serve", "--port", "0", "--db", db], { cwd: ROOT });
  await using _ = child;
  const ready = await readUntil(child.stdout, /listening on tcp:\/\//);
  const notice = ready.input!;
  assert.match(notice, /holds no accounts yet/);
  assert.match(
    notice,
    new RegExp(`\n {4}deno task serve --auth open --db ${db}\n`),
  );
  assert.match(
    notice,
    new RegExp(`\n {4}deno run -A cli/main\\.ts users add NAME --db ${db}\n`),
  );
  child.process.kill("SIGTERM");
  assertEquals((await child.process.status).code, 0);
});
