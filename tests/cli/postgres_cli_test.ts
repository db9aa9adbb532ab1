/**
 * The same executable on PostgreSQL: `users`, `rooms` and `serve` with
 * `--db postgres://…`, against a real server started for this file. Where
 * the server binaries are missing the test is ignored, and says why.
 */
import assert from "node:assert/strict";
import { assertEquals } from "../helpers/assert.ts";
import { readUntil, runCli, spawnCli } from "../helpers/cli.ts";
import { LineClient } from "../helpers/line_client.ts";
import { postgresAvailability, startPostgres } from "../helpers/postgres.ts";

const pg = await postgresAvailability();
const skipped = pg.available ? "" : ` (skipped: ${pg.reason})`;

Deno.test({
  name:
    `postgres: users and rooms added with the CLI are served by serve --db postgres://${skipped}`,
  ignore: !pg.available,
  async fn() {
    if (!pg.available) return;
    await using cluster = await startPostgres(pg);
    const db = await cluster.freshDatabase();
    const add = await runCli([
      "users",
      "add",
      "ada",
      "--password-stdin",
      "--db",
      db,
    ], {
      stdin: "s3cret\n",
    });
    assertEquals(add.code, 0, add.stderr);
    const dup = await runCli([
      "users",
      "add",
      "ada",
      "--password-stdin",
      "--db",
      db,
    ], {
      stdin: "x\n",
    });
    assertEquals(dup.code, 1);
    assert.match(dup.stderr, /user ada already exists/);
    assertEquals(
      (await runCli(["rooms", "add", "lobby", "--max", "4", "--db", db])).code,
      0,
    );
    await using server = spawnCli(["serve", "--port", "0", "--db", db]);
    const ready = await readUntil(
      server.stdout,
      /tcp:\/\/127\.0\.0\.1:(\d+).*db: (postgres:\/\/\S+)\)/,
    );
    assertEquals(ready[2], db);
    await using c = await LineClient.connect(Number(ready[1]));
    await c.send("0:ada:wrong");
    assertEquals(await c.next(), "0:-1");
    assert.ok((await c.login("ada", "s3cret")) > 0);
    await c.send("1:");
    assertEquals(await c.next(), "1:lobby-0");
    server.process.kill("SIGTERM");
    assertEquals((await server.process.status).code, 0);
    const list = await runCli(["users", "list", "--json", "--db", db]);
    const [ada] = JSON.parse(list.stdout);
    assertEquals(ada.username, "ada");
    assert.notEqual(ada.lastLoginAt, null);
  },
});
