/** `serve` as a child process: the ready line, a session, clean exit on signals. */
import assert from "node:assert/strict";
import { assertEquals } from "../helpers/assert.ts";
import { LineClient } from "../helpers/line_client.ts";
import { readUntil, spawnCli } from "../helpers/cli.ts";

Deno.test("serve: prints tcp://H:P once accepting, serves, exits 0 on SIGTERM", async () => {
  await using child = spawnCli([
    "serve",
    "--host",
    "127.0.0.1",
    "--port",
    "0",
    "--auth",
    "open",
  ]);
  const ready = await readUntil(child.stdout, /tcp:\/\/127\.0\.0\.1:(\d+)/);
  const port = Number(ready[1]);
  await using c = await LineClient.connect(port);
  assertEquals(await c.login("ada"), 1);
  await c.send("2:lobby");
  assertEquals(await c.take(2), ["2:1:lobby", "4:1"]);
  child.process.kill("SIGTERM");
  assertEquals(await c.next(), "2:1:", "the session is ended before exit");
  await c.closed();
  const status = await child.process.status;
  assertEquals(status.code, 0);
});

Deno.test("serve: SIGINT also exits 0", async () => {
  await using child = spawnCli(["serve", "--port", "0"]);
  await readUntil(child.stdout, /tcp:\/\//);
  child.process.kill("SIGINT");
  assertEquals((await child.process.status).code, 0);
});

Deno.test("serve: --auth accounts says it is not available yet and exits non-zero", async () => {
  await using child = spawnCli(["serve", "--port", "0", "--auth", "accounts"]);
  const status = await child.process.status;
  assert.notEqual(status.code, 0);
  assert.match(await child.stderrText(), /not available yet/);
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
