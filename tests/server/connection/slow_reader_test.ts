/**
 * A client that stops reading while 100,000 messages go to its room, against
 * a real `serve` child whose memory is read from /proc.
 *
 * Bound stated: the server's peak resident memory stays within 96 MiB of
 * what it held once everyone had joined. Measured: +41–47 MiB, the same as
 * a run without a stalled client (the V8 heap's working size while relaying
 * ~200 MB/s). Without the outbound cap the same run peaks ~200 MiB higher:
 * the stalled client's queue holds what it cannot be sent.
 */
import assert from "node:assert/strict";
import { assertEquals } from "../../helpers/assert.ts";
import { serveChild } from "../../helpers/cli.ts";
import { LineClient } from "../../helpers/line_client.ts";
import { LineCounter } from "../../helpers/line_counter.ts";

const MESSAGES = 100_000;
const BATCH = 200;
const PAYLOAD = "x".repeat(1000);
const MEMORY_BOUND_BYTES = 96 * 1024 * 1024;
const decoder = new TextDecoder();

/** Resident and peak resident bytes of process `pid`. */
async function memoryOf(pid: number): Promise<{ rss: number; peak: number }> {
  const status = await Deno.readTextFile(`/proc/${pid}/status`);
  const kib = (key: string) =>
    Number(new RegExp(`^${key}:\\s+(\\d+) kB`, "m").exec(status)![1]) * 1024;
  return { rss: kib("VmRSS"), peak: kib("VmHWM") };
}

/** A room member that checks the sender's messages arrive 0, 1, 2, … */
async function orderedReader(port: number, name: string) {
  const state = {
    id: -1,
    joined: false,
    next: 0,
    leaves: [] as number[],
    error: "",
  };
  const reader = await LineCounter.connect(port, (bytes) => {
    const line = decoder.decode(bytes.subarray(0, 40));
    if (state.id === -1) state.id = Number(line.split(":")[1]);
    else if (line.startsWith("4:")) state.joined = true;
    else if (line.startsWith("3:")) {
      const seq = Number(line.split(":")[2]);
      if (seq !== state.next && state.error === "") {
        state.error = `${name}: expected ${state.next}, got ${seq}`;
      }
      state.next = seq + 1;
    } else if (/^2:\d+:$/.test(line)) {
      state.leaves.push(Number(line.slice(2, -1)));
    }
  });
  await reader.send(`0:${name}:pw`, "2:r");
  await reader.until(() => state.joined, `${name} joined`);
  return { reader, state };
}

Deno.test({
  name:
    "slow consumers: a stalled client is cut off; the others get all 100,000 messages in order; memory stays bounded",
  ignore: Deno.build.os !== "linux",
  fn: async () => {
    await using child = await serveChild([
      "--max-messages-per-second",
      "1000000",
      "--message-burst",
      "1000000",
    ]);
    const port = child.port;
    await using sender = await LineClient.connect(port);
    const senderId = await sender.login("sender");
    await sender.send("2:r");
    await sender.take(2);
    const readers = [
      await orderedReader(port, "r1"),
      await orderedReader(port, "r2"),
    ];
    // The stalled client joins, then never reads again.
    const stalled = await Deno.connect({ hostname: "127.0.0.1", port });
    await stalled.write(new TextEncoder().encode("0:stalled:pw\n2:r\n"));
    const sync = async () => {
      const lines = await sender.sync();
      return lines;
    };
    let stalledId = -1;
    while (stalledId === -1) {
      for (const line of await sync()) {
        const join = /^2:(\d+):r$/.exec(line);
        if (join && !readers.some((r) => r.state.id === Number(join[1]))) {
          stalledId = Number(join[1]);
        }
      }
    }
    const baseline = await memoryOf(child.process.pid);
    const started = performance.now();
    for (let sent = 0; sent < MESSAGES;) {
      const batch: string[] = [];
      for (let i = 0; i < BATCH; i++) batch.push(`3:0:${sent++}:${PAYLOAD}`);
      await sender.send(...batch);
      // At most two batches outstanding per reader: well under the cap.
      const behind = sent - BATCH;
      for (const { reader, state } of readers) {
        await reader.until(() => state.next >= behind, `message ${behind}`);
      }
    }
    for (const { reader, state } of readers) {
      await reader.until(() => state.next >= MESSAGES, "every message");
    }
    const seconds = (performance.now() - started) / 1000;
    const after = await memoryOf(child.process.pid);
    console.log(
      `slow reader: ${MESSAGES} messages in ${
        seconds.toFixed(1)
      } s; server RSS ${mib(baseline.rss)} after setup, peak ${
        mib(after.peak)
      }, now ${mib(after.rss)}`,
    );
    assert.ok(
      after.peak - baseline.rss < MEMORY_BOUND_BYTES,
      `peak RSS ${mib(after.peak)} vs ${mib(baseline.rss)} after setup`,
    );
    for (const { state } of readers) {
      assertEquals(state.error, "");
      assertEquals(state.next, MESSAGES);
      assertEquals(state.leaves, [stalledId], "the stalled client left, once");
    }
    assert.ok(sender.history.includes(`2:${stalledId}:`));
    child.process.kill("SIGTERM");
    assertEquals((await child.process.status).code, 0);
    const logs = await child.stderrText();
    assert.match(
      logs,
      new RegExp(`event=conn\\.cut .*reason="slow reader" queued_bytes=\\d+`),
    );
    assert.match(
      logs,
      new RegExp(
        `event=session\\.end .*session=${stalledId} reason="slow reader"`,
      ),
    );
    stalled.close();
    for (const { reader } of readers) await reader.close();
    assert.ok(senderId > 0);
  },
});

function mib(bytes: number): string {
  return `${(bytes / 1024 / 1024).toFixed(1)} MiB`;
}
