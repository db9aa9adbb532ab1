/**
 * Memory with many sessions away, against a real `serve` child whose memory
 * is read from /proc: 200 resumable sessions in one room drop at once (they
 * are held, the room hears 200 away notices), then a member floods the room
 * with 1 KiB lines, unpaced, until every held buffer (256 KiB here) is full
 * and its session has ended with the usual leave notices.
 *
 * Bound stated (docs/operations.md, "Resumable sessions"): a session away
 * holds at most `--resume-buffer-bytes` of lines; the server's peak resident
 * memory over its figure with the sessions connected stays under
 * 200 × 256 KiB × 2 + 64 MiB (measured: see the test's output line).
 */
import assert from "node:assert/strict";
import { serveChild } from "../../helpers/cli.ts";
import { LineCounter } from "../../helpers/line_counter.ts";
import { memoryOf, mib } from "../../helpers/proc_memory.ts";

const SESSIONS = 200;
const BUFFER = 256 * 1024;
const LINE = 1024;
const BOUND = SESSIONS * BUFFER * 2 + 64 * 1024 * 1024;
const utf8 = new TextDecoder();

Deno.test({
  name:
    "resume: 200 sessions away, each buffer filled past its cap by an unpaced flood; each ends cleanly and the server's memory stays bounded",
  ignore: Deno.build.os !== "linux",
  fn: async () => {
    await using child = await serveChild([
      "--resume-buffer-bytes",
      String(BUFFER),
      "--max-connections-per-address",
      "1000",
      "--max-messages-per-second",
      "1000000",
      "--message-burst",
      "1000000",
    ]);
    const pid = child.process.pid;
    // The members: logged in, resumable, in the room.
    const ready = new Array<boolean>(SESSIONS).fill(false);
    const members: LineCounter[] = [];
    for (let i = 0; i < SESSIONS; i++) {
      const member = await LineCounter.connect(child.port, (line) => {
        if (line[0] === 0x34) ready[i] = true; // its join's 4:
      });
      await member.send(`0:m${i}:pw`, "7:", "2:r");
      members.push(member);
    }
    for (let i = 0; i < SESSIONS; i++) {
      await members[i]!.until(() => ready[i]!, `member ${i} in the room`);
    }
    let away = 0;
    let left = 0;
    let listed = "";
    const sender = await LineCounter.connect(child.port, (line) => {
      const text = utf8.decode(line);
      if (/^6:\d+:away$/.test(text)) away++;
      else if (/^2:\d+:$/.test(text)) left++;
      else if (text.startsWith("1:")) listed = text;
    });
    await sender.send("0:flood:pw", "2:r");
    const connected = await memoryOf(pid);
    for (const member of members) await member.close();
    await sender.until(() => away === SESSIONS, "every member away", 30_000);
    const held = await memoryOf(pid);
    let peak = 0;
    const sampler = setInterval(async () => {
      peak = Math.max(peak, (await memoryOf(pid)).rss);
    }, 50);
    try {
      // 400 lines of 1 KiB in one write: 400 KiB to each held buffer of 256.
      const pad = "f".repeat(LINE - 16);
      await sender.send(
        ...Array.from({ length: 400 }, (_, i) => `3:0:${i} ${pad}`),
      );
      await sender.until(
        () => left === SESSIONS,
        "every held session ended",
        60_000,
      );
    } finally {
      clearInterval(sampler);
    }
    const after = await memoryOf(pid);
    peak = Math.max(peak, after.peak);
    await sender.send("1:");
    await sender.until(() => listed !== "", "the room list");
    console.log(
      `${SESSIONS} sessions away, ${BUFFER / 1024} KiB buffers: server RSS ${
        mib(connected.rss)
      } connected, ${mib(held.rss)} all away, peak ${
        mib(peak)
      } while their buffers filled, ${mib(after.rss)} after they ended`,
    );
    assert.equal(listed, "1:r-1");
    assert.ok(
      peak - connected.rss < BOUND,
      `peak ${mib(peak)} vs ${mib(connected.rss)} connected (bound ${
        mib(BOUND)
      })`,
    );
    await sender.close();
  },
});
