/**
 * Secrets at rest, through the real executable: SQLite files are created
 * private (0600) whatever the umask; the database can be named by
 * `$SWITCHBOARD_DB` or `--db-url-file` instead of a flag that `ps` shows, for
 * SQLite and for a real PostgreSQL that checks a password; and that password
 * appears in no output and no log line, not even in errors.
 */
import assert from "node:assert/strict";
import { assertEquals } from "../helpers/assert.ts";
import {
  type CliResult,
  readAll,
  readUntil,
  runCli,
  spawnCli,
} from "../helpers/cli.ts";
import { LineClient } from "../helpers/line_client.ts";
import { postgresAvailability, startPostgres } from "../helpers/postgres.ts";

const MAIN = new URL("../../cli/main.ts", import.meta.url).pathname;
const pg = await postgresAvailability();
const skipped = pg.available ? "" : ` (skipped: ${pg.reason})`;

async function tempDir(): Promise<{ path: string } & AsyncDisposable> {
  const path = await Deno.makeTempDir({ prefix: "switchboard-secrets-" });
  return {
    path,
    [Symbol.asyncDispose]: () => Deno.remove(path, { recursive: true }),
  };
}

/** Starts the CLI under the usual umask 022, which alone would give 0644. */
function spawnUmask022(args: string[], stdin = false) {
  return new Deno.Command("sh", {
    args: [
      "-c",
      'umask 022; exec "$@"',
      "sh",
      Deno.execPath(),
      "run",
      "-A",
      MAIN,
      ...args,
    ],
    stdin: stdin ? "piped" : "null",
    stdout: "piped",
    stderr: "piped",
    env: { NO_COLOR: "1" },
  }).spawn();
}

/** The permission bits of every file of the database `db` that exists now. */
async function modes(db: string): Promise<Record<string, string>> {
  const found: Record<string, string> = {};
  for (const suffix of ["", "-wal", "-shm"]) {
    try {
      const { mode } = await Deno.stat(db + suffix);
      found[`db${suffix}`] = ((mode ?? 0) & 0o777).toString(8);
    } catch (error) {
      if (!(error instanceof Deno.errors.NotFound)) throw error;
    }
  }
  return found;
}

Deno.test("db files: users add and serve create the .db, -wal and -shm files 0600 under umask 022", async () => {
  await using dir = await tempDir();
  const added = `${dir.path}/added.db`;
  const add = spawnUmask022(
    ["users", "add", "ada", "--password-stdin", "--db", added],
    true,
  );
  const writer = add.stdin.getWriter();
  await writer.write(new TextEncoder().encode("s3cret\n"));
  await writer.close();
  const out = await add.output();
  assertEquals(out.code, 0, new TextDecoder().decode(out.stderr));
  const afterAdd = await modes(added);
  assertEquals(afterAdd.db, "600");
  for (const [file, mode] of Object.entries(afterAdd)) {
    assertEquals(mode, "600", file);
  }

  const served = `${dir.path}/served.db`;
  const serve = spawnUmask022(["serve", "--port", "0", "--db", served]);
  try {
    const stdout = serve.stdout.pipeThrough(new TextDecoderStream());
    await readUntil(stdout, /listening on tcp:/);
    // While the server runs, SQLite keeps its WAL and shared-memory files.
    assertEquals(await modes(served), {
      db: "600",
      "db-wal": "600",
      "db-shm": "600",
    });
    await stdout.cancel();
  } finally {
    serve.kill("SIGTERM");
    await serve.status;
    await serve.stderr.cancel().catch(() => {});
  }
  assertEquals((await modes(served)).db, "600");
});

Deno.test("db choice: $SWITCHBOARD_DB and --db-url-file name a SQLite file; --db with --db-url-file is refused", async () => {
  await using dir = await tempDir();
  const db = `${dir.path}/env.db`;
  const add = await runCli(["users", "add", "ada", "--password-stdin"], {
    stdin: "s3cret\n",
    env: { SWITCHBOARD_DB: db },
  });
  assertEquals(add.code, 0, add.stderr);
  const file = `${dir.path}/db-url`;
  await Deno.writeTextFile(file, `${db}\n`, { mode: 0o600 });
  const list = await runCli(["users", "list", "--json", "--db-url-file", file]);
  assertEquals(list.code, 0, list.stderr);
  assertEquals(JSON.parse(list.stdout)[0].username, "ada");
  // A flag wins over the environment (and a database that is not there is
  // not made by a command that only reads).
  const other = await runCli(["users", "list", "--db", `${dir.path}/o.db`], {
    env: { SWITCHBOARD_DB: db },
  });
  assertEquals(other.code, 1);
  assert.match(other.stderr, /there is no database .*o\.db/);
  const both = await runCli([
    "users",
    "list",
    "--db",
    db,
    "--db-url-file",
    file,
  ]);
  assertEquals(both.code, 1);
  assert.match(
    both.stderr,
    /^switchboard: error: give --db or --db-url-file, not both\n {2}/,
  );
  const missing = await runCli([
    "users",
    "list",
    "--db-url-file",
    `${dir.path}/none`,
  ]);
  assertEquals(missing.code, 1);
  assert.match(missing.stderr, /cannot read --db-url-file .*none/);

  await using server = spawnCli(["serve", "--port", "0"], {
    env: { SWITCHBOARD_DB: db },
  });
  const ready = await readUntil(server.stdout, /:(\d+) udp.*db: (\S+)\)/);
  assertEquals(ready[2], db);
  await using c = await LineClient.connect(Number(ready[1]));
  assert.ok((await c.login("ada", "s3cret")) > 0);
});

/** Every string a password may be written as in a URL or a message. */
function spellings(password: string): string[] {
  return [password, encodeURIComponent(password)];
}

function assertNoSecret(text: string, password: string, what: string) {
  for (const spelling of spellings(password)) {
    assert.ok(
      !text.includes(spelling),
      `${what} shows the password (${spelling}):\n${text}`,
    );
  }
}

Deno.test({
  name:
    `db choice: a PostgreSQL password from $SWITCHBOARD_DB or --db-url-file works and is never printed or logged${skipped}`,
  ignore: !pg.available,
  async fn() {
    if (!pg.available) return;
    const password = "pg Secret:7/x@y";
    await using cluster = await startPostgres(pg, { password });
    const url = await cluster.freshDatabase();
    assert.ok(url.includes(encodeURIComponent(password)));
    await using dir = await tempDir();
    const file = `${dir.path}/db-url`;
    await Deno.writeTextFile(file, url + "\n", { mode: 0o600 });
    const outputs: [string, string][] = [];
    const keep = (what: string, r: CliResult) => {
      outputs.push([what, r.stdout + r.stderr]);
      return r;
    };

    const add = keep(
      "users add",
      await runCli(
        ["users", "add", "ada", "--password-stdin", "--db-url-file", file],
        { stdin: "s3cret\n" },
      ),
    );
    assertEquals(add.code, 0, add.stderr);
    const list = keep(
      "users list",
      await runCli(["users", "list"], { env: { SWITCHBOARD_DB: url } }),
    );
    assertEquals(list.code, 0, list.stderr);
    assert.match(list.stdout, /^ada /m);
    keep(
      "rooms add",
      await runCli(["rooms", "add", "lobby"], {
        env: { SWITCHBOARD_DB: url },
      }),
    );

    {
      await using server = spawnCli(
        ["serve", "--port", "0", "--log-level", "debug"],
        { env: { SWITCHBOARD_DB: url } },
      );
      const ready = await readUntil(
        server.stdout,
        /tcp:\/\/127\.0\.0\.1:(\d+).*db: (postgres:\/\/\S+)\)/,
      );
      assertEquals(
        ready[2],
        url.replace(`:${encodeURIComponent(password)}@`, ":***@"),
      );
      await using c = await LineClient.connect(Number(ready[1]));
      assert.ok((await c.login("ada", "s3cret")) > 0);
      await c.send("1:");
      assertEquals(await c.next(), "1:lobby-0");
      server.process.kill("SIGTERM");
      assertEquals((await server.process.status).code, 0);
      outputs.push([
        "serve",
        ready[0] + await readAll(server.stdout) + await server.stderrText(),
      ]);
    }

    // A wrong password is refused by the server; the message names neither.
    const wrong = url.replace(
      encodeURIComponent(password),
      encodeURIComponent("Wrong Pass:1"),
    );
    await Deno.writeTextFile(file, wrong, { mode: 0o600 });
    const refused = await runCli(["users", "list", "--db-url-file", file]);
    assertEquals(refused.code, 1);
    assert.match(refused.stderr, /password authentication failed/);
    assertNoSecret(refused.stdout + refused.stderr, "Wrong Pass:1", "refused");
    const serveRefused = await runCli(["serve", "--port", "0"], {
      env: { SWITCHBOARD_DB: wrong },
    });
    assertEquals(serveRefused.code, 1);
    assertNoSecret(
      serveRefused.stdout + serveRefused.stderr,
      "Wrong Pass:1",
      "serve refused",
    );
    // A URL that cannot be parsed is not quoted back either.
    const broken = keep(
      "broken url",
      await runCli(["users", "list"], {
        env: { SWITCHBOARD_DB: `postgres://ada:${password}@[::1/db` },
      }),
    );
    assertEquals(broken.code, 1);
    assert.match(broken.stderr, /cannot be parsed/);

    for (const [what, text] of outputs) assertNoSecret(text, password, what);
  },
});
