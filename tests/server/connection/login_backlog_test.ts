/**
 * Lines behind a login are not copied without bound: 64 connections each
 * write a login with a wrong password followed by 65,000 empty lines, in one
 * write, against a real `serve` child with accounts (each check is a real
 * scrypt hash) whose memory is read from /proc.
 *
 * Bound stated (docs/operations.md, "Pressure"): the server's peak resident
 * memory grows by less than 128 MiB over its idle figure (measured: +67 MiB
 * on a quiet run, of which +54 MiB is the password checks alone, the same run
 * with no lines behind the logins; the margin is for a loaded CI machine,
 * where collections come later). While a login is
 * checked the connection stops reading: what it holds is at most the rest of
 * one chunk, plus one partial line; the rest waits in the kernel. (Before
 * flow control the same run held 5–25 MiB per connection.)
 */
import assert from "node:assert/strict";
import { serveChild } from "../../helpers/cli.ts";
import { LineCounter } from "../../helpers/line_counter.ts";
import { memoryOf, mib } from "../../helpers/proc_memory.ts";

const CONNECTIONS = 64;
const EMPTY_LINES = 65_000;
const BOUND_BYTES = 128 * 1024 * 1024;

Deno.test({
  name:
    "flow control: 64 connections each write a wrong login and 65,000 empty lines; the server's memory stays bounded",
  ignore: Deno.build.os !== "linux",
  fn: async () => {
    const dir = await Deno.makeTempDir();
    try {
      await using child = await serveChild([
        "--auth",
        "accounts",
        "--db",
        `${dir}/accounts.db`,
      ]);
      const pid = child.process.pid;
      const idle = await memoryOf(pid);
      const payload = new TextEncoder().encode(
        "0:nobody:wrong\n" + "\n".repeat(EMPTY_LINES),
      );
      const refused = new Array<boolean>(CONNECTIONS).fill(false);
      const clients: LineCounter[] = [];
      for (let i = 0; i < CONNECTIONS; i++) {
        clients.push(
          await LineCounter.connect(child.port, (line) => {
            if (line.length === 4 && String.fromCharCode(...line) === "0:-1") {
              refused[i] = true;
            }
          }),
        );
      }
      // Every connection writes everything at once, none waits for another.
      const writes = clients.map((c) => c.write(payload).catch(() => {}));
      let peak = 0;
      const sampler = setInterval(async () => {
        peak = Math.max(peak, (await memoryOf(pid)).rss);
      }, 50);
      try {
        for (let i = 0; i < CONNECTIONS; i++) {
          await clients[i]!.until(
            () => refused[i]!,
            `login ${i} refused`,
            60_000,
          );
        }
      } finally {
        clearInterval(sampler);
      }
      const after = await memoryOf(pid);
      peak = Math.max(peak, after.peak);
      console.log(
        `login backlog: ${CONNECTIONS} × (wrong login + ${EMPTY_LINES} empty lines): server RSS ${
          mib(idle.rss)
        } idle, peak ${mib(peak)}`,
      );
      assert.ok(
        peak - idle.rss < BOUND_BYTES,
        `peak RSS ${mib(peak)} vs ${mib(idle.rss)} idle`,
      );
      for (const client of clients) await client.close();
      await Promise.all(writes);
    } finally {
      await Deno.remove(dir, { recursive: true });
    }
  },
});
