/**
 * `switchboard status` as real child processes against a `serve` child:
 * once (text and JSON), `--watch` in plain mode (one key=value line per
 * refresh, no escapes), and `--watch` on a real pseudo-terminal (redrawn in
 * place, q quits).
 */
import assert from "node:assert/strict";
import { assertEquals } from "../helpers/assert.ts";
import { runCli, serveChild } from "../helpers/cli.ts";
import { LineClient } from "../helpers/line_client.ts";
import { ptyAvailability, spawnCliInPty } from "../helpers/pty.ts";
import { tempFile } from "../helpers/temp_file.ts";

const TOKEN = "status-test-token-0123456789";

async function setup() {
  const token = await tempFile("switchboard-token-", TOKEN);
  const file = token.path;
  const child = await serveChild([
    "--admin-port",
    "0",
    "--admin-token-file",
    file,
  ]);
  // Disposing the server also removes its token file.
  const stop = child[Symbol.asyncDispose].bind(child);
  const serve = Object.assign(child, {
    [Symbol.asyncDispose]: async () => {
      await stop();
      await token[Symbol.asyncDispose]();
    },
  });
  return { serve, admin: ["--admin", serve.adminUrl!, "--token-file", file] };
}

async function member(port: number, name: string, room: string) {
  const c = await LineClient.connect(port);
  await c.login(name);
  await c.send(`2:${room}`);
  while (!(await c.next()).startsWith("4:"));
  return c;
}

Deno.test("status: once as text (totals and the rooms table) and as JSON", async () => {
  const { serve, admin } = await setup();
  await using _ = serve;
  await using ada = await member(serve.port, "ada", "lobby");
  await using bob = await member(serve.port, "bob", "lobby");
  const text = await runCli(["status", ...admin]);
  assertEquals(text.code, 0, text.stderr);
  assert.ok(!text.stdout.includes("\x1b"), "no escapes when not a terminal");
  assert.match(
    text.stdout,
    /^switchboard \S+ {2}v0\.1\.0 {2}up \d+m \d\ds {2}tcp 127\.0\.0\.1:\d+/,
  );
  assert.match(
    text.stdout,
    /connections 2 {2}sessions 2 {2}rooms 1 {2}members 2/,
  );
  assert.match(text.stdout, /^ROOM +MEMBERS +MASTER +WHO$/m);
  assert.match(text.stdout, /^lobby +2 +\d+ +\d+ ada, \d+ bob$/m);
  const json = await runCli(["status", "--json", ...admin]);
  const report = JSON.parse(json.stdout);
  assertEquals([report.totals.sessions, report.rooms[0].name], [2, "lobby"]);
  await bob.close();
  await ada.close();
});

Deno.test("status --watch, not on a terminal: one key=value line per refresh", async () => {
  const { serve, admin } = await setup();
  await using _ = serve;
  await using ada = await member(serve.port, "ada", "lobby");
  const watch = await runCli([
    "status",
    "--watch",
    "--interval",
    "0.3",
    "--count",
    "3",
    ...admin,
  ]);
  assertEquals(watch.code, 0, watch.stderr);
  const lines = watch.stdout.trimEnd().split("\n");
  assertEquals(lines.length, 3);
  for (const line of lines) {
    assert.match(
      line,
      /^\d{4}-\d\d-\d\dT[\d:.]+Z state=accepting connections=1 sessions=1 rooms=1 members=1 lines_in_s=\d+ lines_out_s=\d+ bytes_in_s=\d+ bytes_out_s=\d+ datagrams_in_s=\d+ datagrams_out_s=\d+ refusals=\d+ cuts=\d+ queued_bytes=\d+$/,
    );
  }
  const json = await runCli([
    "status",
    "--watch",
    "--json",
    "--interval",
    "0.3",
    "--count",
    "2",
    ...admin,
  ]);
  assertEquals(
    json.stdout.trimEnd().split("\n").map((l) => JSON.parse(l).totals.sessions),
    [1, 1],
  );
  await ada.close();
});

const pty = await ptyAvailability();

Deno.test({
  name:
    `status --watch on a pseudo-terminal: redrawn in place as the server changes; q quits${
      pty.available ? "" : ` (skipped: ${pty.reason})`
    }`,
  ignore: !pty.available,
  async fn() {
    const { serve, admin } = await setup();
    await using _ = serve;
    await using term = spawnCliInPty([
      "status",
      "--watch",
      "--interval",
      "0.3",
      ...admin,
    ]);
    await term.waitFor(/sessions 0 {2}rooms 0/);
    await using ada = await member(serve.port, "ada", "lobby");
    const screen = await term.waitFor(
      /sessions 1 {2}rooms 1[\s\S]*lobby +1 +\d+ +\d+ ada/,
    );
    // Redrawn in place: the cursor goes home for each frame, no scrolling.
    assert.ok(
      screen.split("\x1b[H").length >= 3,
      "several frames drawn from the top",
    );
    assert.ok(screen.includes("\x1b[?25l"), "cursor hidden while watching");
    await term.type("q");
    const { code, screen: all } = await term.finished();
    assertEquals(code, 0);
    assert.ok(
      all.endsWith("\x1b[?25h") || all.includes("\x1b[?25h"),
      "cursor shown again",
    );
    await ada.close();
  },
});
