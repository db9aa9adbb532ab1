/** The limit flags of `serve` reach the server; bad values are refused. */
import assert from "node:assert/strict";
import { Command } from "@commander-js/extra-typings";
import { assertEquals } from "../helpers/assert.ts";
import { LineClient } from "../helpers/line_client.ts";
import { serveChild, spawnCli } from "../helpers/cli.ts";
import {
  addLimitOptions,
  LIMIT_FLAGS,
  limitOverrides,
} from "../../cli/limit_options.ts";
import { DEFAULT_LIMITS } from "../../protocol/mod.ts";

Deno.test("limit flags: every flag sets its limit; defaults are the library's", () => {
  const command = new Command("serve").exitOverride();
  addLimitOptions(command);
  command.parse([], { from: "user" });
  const defaults = limitOverrides(command.opts());
  for (const { key } of LIMIT_FLAGS) {
    assertEquals(defaults[key], DEFAULT_LIMITS[key], key);
  }
  const args = LIMIT_FLAGS.flatMap(({ flag }, i) => [flag, String(i + 1)]);
  const set = new Command("serve").exitOverride();
  addLimitOptions(set);
  set.parse(args, { from: "user" });
  const limits = limitOverrides(set.opts());
  LIMIT_FLAGS.forEach(({ key, scale = 1 }, i) =>
    assertEquals(limits[key], (i + 1) * scale, key)
  );
});

Deno.test("limit flags: --max-connections-per-address and --idle-timeout work in a real serve", async () => {
  await using child = await serveChild([
    "--max-connections-per-address",
    "1",
    "--idle-timeout",
    "1",
  ]);
  const port = child.port;
  await using first = await LineClient.connect(port);
  await first.login("ada");
  await using second = await LineClient.connect(port);
  assert.match(await second.next(), /^9:\?:too-many-connections:/);
  await second.closed();
  // ada now says nothing: after about a second she is closed as idle.
  assert.match(await first.next(), /^9:\?:idle-timeout:no line for 1 s/);
  await first.closed();
  child.process.kill("SIGTERM");
  assertEquals((await child.process.status).code, 0);
  const logs = await child.stderrText();
  assert.match(logs, /event=conn\.refused .*code=too-many-connections/);
  assert.match(logs, /event=conn\.idle /);
});

Deno.test("limit flags: zero, negative and non-numeric values are refused", async () => {
  for (
    const args of [
      ["--max-rooms", "0"],
      ["--max-messages-per-second", "-5"],
      ["--message-burst", "lots"],
      ["--idle-timeout", "1.5"],
      ["--shutdown-timeout", "0"],
    ]
  ) {
    await using child = spawnCli([
      "serve",
      "--auth",
      "open",
      "--db",
      ":memory:",
      "--port",
      "0",
      ...args,
    ]);
    const status = await child.process.status;
    assert.notEqual(status.code, 0, args.join(" "));
    assert.match(await child.stderrText(), /expected a whole number/);
  }
});
