/**
 * examples/shared_scene.ts as a child process against a test server: the
 * bots trade objects and exit 0, and `connect` in the same room sees their
 * scene traffic.
 */
import assert from "node:assert/strict";
import { assertEquals } from "../helpers/assert.ts";
import { readAll, readUntil, spawnCli } from "../helpers/cli.ts";
import { startServer } from "../helpers/server.ts";

const EXAMPLE = new URL("../../examples/shared_scene.ts", import.meta.url)
  .pathname;

Deno.test("examples: shared_scene.ts runs its bots, trades ownership and exits 0; connect shows the traffic", async () => {
  await using t = await startServer();
  const child = new Deno.Command(Deno.execPath(), {
    args: [
      "run",
      "-A",
      EXAMPLE,
      "--server",
      `127.0.0.1:${t.port}`,
      // Long enough for `connect` to start and join on a loaded machine
      // (at 4 s, the bots had sometimes left before the watcher came).
      "--seconds",
      "10",
      "--bots",
      "3",
      "--tick",
      "20",
    ],
    stdout: "piped",
    stderr: "piped",
    env: { NO_COLOR: "1" },
  }).spawn();
  const [watch, rest] = child.stdout.pipeThrough(new TextDecoderStream()).tee();
  const stderr = new Response(child.stderr).text();
  try {
    await readUntil(watch, /bot3 \(id \d+\) is in shared-scene/, 30_000);
    void watch.cancel().catch(() => {});
    await using repl = spawnCli(["connect", `127.0.0.1:${t.port}`], {
      stdin: true,
    });
    const writer = repl.process.stdin.getWriter();
    await writer.write(
      new TextEncoder().encode(
        "login watcher\njoin shared-scene\nexpect ^3:\\d+:U \\d+ \\d+-1 within 10000\n",
      ),
    );
    await writer.close();
    const replOut = await readAll(repl.stdout);
    assertEquals((await repl.process.status).code, 0, replOut);
    const out = await readAll(rest);
    const { code } = await child.status;
    assertEquals(code, 0, `${out}\n${await stderr}`);
    assert.match(out, /^bot1: \d+ claims, \d+ won, \d+ objects$/m);
    assert.match(out, / took (ball|crate) |lost the race/);
    assert.match(out, /^done$/m);
    const joins = [
      ...out.matchAll(/is in shared-scene with (\d+) (others?)$/gm),
    ];
    assertEquals(joins.length, 3, out);
    for (const [line, n, word] of joins) {
      assertEquals(word, n === "1" ? "other" : "others", line);
    }
  } finally {
    try {
      child.kill("SIGKILL");
    } catch {
      // exited
    }
    await child.status;
    await stderr;
  }
});
