/**
 * A sender writes 100,000 lines as fast as TCP allows into a room with two
 * readers that read continuously but slower than it, and one client that
 * never reads; against a real `serve` child whose memory is read from /proc.
 *
 * Bounds stated (docs/operations.md, "Pressure"):
 * - the readers get every line, in order, and are never cut;
 * - the stalled client is cut within the stall timeout (5 s) of its last
 *   progress, plus one sweep (a quarter of it), or sooner by the hard cap;
 * - while it is in the room, no reader waits more than the hold time (1 s)
 *   plus 1.5 s of slack for a shared machine between two reads;
 * - the server's peak resident memory stays within 64 MiB of what it held
 *   once everyone had joined (back-pressure keeps every reader's queue near
 *   the high-water mark; the stalled one is capped at 8 MiB).
 */
import assert from "node:assert/strict";
import { DEFAULT_LIMITS } from "../../../protocol/mod.ts";
import { assertEquals } from "../../helpers/assert.ts";
import { serveChild } from "../../helpers/cli.ts";
import { LineClient } from "../../helpers/line_client.ts";
import { LineCounter } from "../../helpers/line_counter.ts";
import { memoryOf, mib } from "../../helpers/proc_memory.ts";

const MESSAGES = 100_000;
/** Bytes of each line the sender writes, `\n` included. */
const LINE_BYTES = 90;
const MEMORY_BOUND_BYTES = 64 * 1024 * 1024;
const GAP_BOUND_MS = DEFAULT_LIMITS.maxHoldMs + 1_500;
const CUT_BOUND_MS = DEFAULT_LIMITS.stallTimeoutMs * 1.25 + 1_000;
const decoder = new TextDecoder();
const encoder = new TextEncoder();

/** A reader on a slow link that checks the sender's lines arrive 0, 1, 2, … */
async function slowReader(port: number, name: string) {
  const state = {
    id: -1,
    joined: false,
    next: 0,
    leaves: [] as { id: number; at: number }[],
    error: "",
    reads: [] as number[],
  };
  const reader = await LineCounter.connect(port, (bytes) => {
    const line = decoder.decode(bytes.subarray(0, 40));
    if (state.id === -1) state.id = Number(line.split(":")[1]);
    else if (line.startsWith("4:")) state.joined = true;
    else if (line.startsWith("3:")) {
      state.reads.push(performance.now());
      const seq = Number(line.split(":")[2]);
      if (seq !== state.next && state.error === "") {
        state.error = `${name}: expected ${state.next}, got ${seq}`;
      }
      state.next = seq + 1;
    } else if (/^2:\d+:$/.test(line)) {
      state.leaves.push({
        id: Number(line.slice(2, -1)),
        at: performance.now(),
      });
    }
  }, { readBytes: 8 * 1024, pauseMs: 1 });
  await reader.send(`0:${name}:pw`, "2:r");
  await reader.until(() => state.joined, `${name} joined`);
  return { reader, state };
}

/** 100,000 lines of exactly LINE_BYTES, numbered, in one buffer. */
function burst(): Uint8Array {
  const out = new Uint8Array(MESSAGES * LINE_BYTES);
  for (let i = 0; i < MESSAGES; i++) {
    const head = `3:0:${i}:`;
    const line = head + "x".repeat(LINE_BYTES - head.length - 1) + "\n";
    encoder.encodeInto(line, out.subarray(i * LINE_BYTES));
  }
  return out;
}

Deno.test({
  name:
    "flow control: 100,000 lines as fast as TCP allows; two slow readers get them all in order, the client that never reads is cut, the room is held up at most the hold time",
  ignore: Deno.build.os !== "linux",
  fn: async () => {
    await using child = await serveChild([
      "--max-messages-per-second",
      "1000000000",
      "--message-burst",
      "1000000000",
    ]);
    const port = child.port;
    await using sender = await LineClient.connect(port);
    await sender.login("sender");
    await sender.send("2:r");
    await sender.take(2);
    const readers = [
      await slowReader(port, "r1"),
      await slowReader(port, "r2"),
    ];
    // The stalled client joins, then never reads again.
    const stalled = await Deno.connect({ hostname: "127.0.0.1", port });
    await stalled.write(encoder.encode("0:stalled:pw\n2:r\n"));
    let stalledId = -1;
    while (stalledId === -1) {
      for (const line of await sender.sync()) {
        const join = /^2:(\d+):r$/.exec(line);
        if (join && !readers.some((r) => r.state.id === Number(join[1]))) {
          stalledId = Number(join[1]);
        }
      }
    }
    const baseline = await memoryOf(child.process.pid);
    const bytes = burst();
    const started = performance.now();
    await sender.write(bytes);
    for (const { reader, state } of readers) {
      await reader.until(() => state.next >= MESSAGES, "every line", 120_000);
    }
    const seconds = (performance.now() - started) / 1000;
    for (const { reader, state } of readers) {
      await reader.until(
        () => state.leaves.length > 0,
        "the stalled client's leave",
        CUT_BOUND_MS + 10_000,
      );
    }
    const after = await memoryOf(child.process.pid);
    const gaps = readers.map(({ state }) => {
      const cut = state.leaves[0]?.at ?? Infinity;
      let worst = 0;
      let previous = started;
      for (const at of state.reads) {
        if (at > cut) break;
        worst = Math.max(worst, at - previous);
        previous = at;
      }
      return Math.round(worst);
    });
    const cutAfter = Math.round(readers[0]!.state.leaves[0]!.at - started);
    console.log(
      `flow control: ${MESSAGES} lines (${mib(bytes.length)}) in ${
        seconds.toFixed(1)
      } s; stalled client cut ${cutAfter} ms after the burst began; longest wait between reads while it was in the room ${gaps} ms; server RSS ${
        mib(baseline.rss)
      } after setup, peak ${mib(after.peak)}`,
    );
    for (const { state } of readers) {
      assertEquals(state.error, "");
      assertEquals(state.next, MESSAGES);
      assertEquals(
        state.leaves.map((l) => l.id),
        [stalledId],
        "the stalled client left, once; no reader was cut",
      );
    }
    for (const gap of gaps) {
      assert.ok(gap <= GAP_BOUND_MS, `a reader waited ${gap} ms`);
    }
    assert.ok(
      after.peak - baseline.rss < MEMORY_BOUND_BYTES,
      `peak RSS ${mib(after.peak)} vs ${mib(baseline.rss)} after setup`,
    );
    child.process.kill("SIGTERM");
    assertEquals((await child.process.status).code, 0);
    const logs = await child.stderrText();
    const cut = new RegExp(
      `event=conn\\.cut .*reason="?(stalled|outbound cap)"? queued_bytes=\\d+(?: stalled_ms=(\\d+))?`,
    ).exec(logs);
    assert.ok(cut !== null, "the stalled client's cut is logged");
    if (cut[1] === "stalled") {
      assert.ok(Number(cut[2]) <= CUT_BOUND_MS, `stalled for ${cut[2]} ms`);
    }
    assert.match(
      logs,
      new RegExp(`event=session\\.end .*session=${stalledId} reason=`),
    );
    assertEquals(
      (logs.match(/event=conn\.cut/g) ?? []).length,
      1,
      "only the stalled client was cut",
    );
    stalled.close();
    for (const { reader } of readers) await reader.close();
  },
});
