/** `serve` warns when the open-files limit is below what --max-connections needs. */
import assert from "node:assert/strict";
import { assertEquals } from "../helpers/assert.ts";
import { readUntil } from "../helpers/cli.ts";
import { openFilesLimit } from "../../server/limits/fd_limit.ts";

const MAIN = new URL("../../cli/main.ts", import.meta.url).pathname;

Deno.test("file limit: the soft limit is read from /proc/<pid>/limits", () => {
  const text = [
    "Limit                     Soft Limit           Hard Limit           Units",
    "Max open files            1024                 524288               files",
  ].join("\n");
  assertEquals(openFilesLimit(text), 1024);
  assertEquals(
    openFilesLimit(
      "Max open files            unlimited            unlimited            files\n",
    ),
    Infinity,
  );
  assertEquals(openFilesLimit("nothing here"), null);
});

Deno.test({
  name:
    "file limit: serve under `ulimit -n 512` with the default 10,000 connections logs server.file_limit",
  ignore: Deno.build.os !== "linux",
  fn: async () => {
    const child = new Deno.Command("bash", {
      args: [
        "-c",
        `ulimit -n 512 && exec "$0" run -A "$1" serve --port 0`,
        Deno.execPath(),
        MAIN,
      ],
      stdout: "piped",
      stderr: "piped",
      env: { NO_COLOR: "1" },
    }).spawn();
    const stderr = new Response(child.stderr).text();
    const stdout = child.stdout.pipeThrough(new TextDecoderStream());
    await readUntil(stdout, /tcp:\/\//);
    child.kill("SIGTERM");
    assertEquals((await child.status).code, 0);
    await stdout.cancel().catch(() => {});
    assert.match(
      await stderr,
      /level=warn event=server\.file_limit open_files=512 max_connections=10000/,
    );
  },
});
