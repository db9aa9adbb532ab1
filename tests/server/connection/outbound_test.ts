/** The outbound queue without sockets: coalescing, one write in flight, the cap. */
import assert from "node:assert/strict";
import { assertEquals } from "../../helpers/assert.ts";
import { FlushScheduler } from "../../../server/connection/flush_scheduler.ts";
import { OutboundQueue } from "../../../server/connection/outbound.ts";

const enc = new TextEncoder();
const dec = new TextDecoder();

function setup(maxBytes = 1024) {
  const writes: string[] = [];
  const pending: (() => void)[] = [];
  let overflowed = -1;
  const queue = new OutboundQueue({
    write: (data, done) => {
      writes.push(dec.decode(data));
      pending.push(() => done());
    },
    scheduler: new FlushScheduler(),
    maxBytes,
    onOverflow: (bytes) => overflowed = bytes,
  });
  return { queue, writes, pending, overflowed: () => overflowed };
}

const turn = () => new Promise<void>((resolve) => setTimeout(resolve, 0));

Deno.test("outbound: lines queued in one turn go out in one write", async () => {
  const { queue, writes } = setup();
  for (let i = 0; i < 100; i++) queue.push(enc.encode(`3:1:${i}\n`));
  assertEquals(writes.length, 0, "nothing is written synchronously");
  await turn();
  assertEquals(writes.length, 1);
  assertEquals(writes[0]!.split("\n").length, 101);
});

Deno.test("outbound: at most one write in flight; the rest waits and coalesces", async () => {
  const { queue, writes, pending } = setup();
  queue.push(enc.encode("a\n"));
  await turn();
  queue.push(enc.encode("b\n"));
  await turn();
  queue.push(enc.encode("c\n"));
  await turn();
  assertEquals(writes, ["a\n"]);
  assertEquals(queue.pendingBytes, 6);
  pending.shift()!();
  assertEquals(writes, ["a\n", "b\nc\n"]);
  pending.shift()!();
  assertEquals(queue.pendingBytes, 0);
  await queue.drained();
});

Deno.test("outbound: passing the cap stops the queue and reports once", async () => {
  const { queue, writes, overflowed } = setup(10);
  queue.push(enc.encode("12345\n"));
  await turn();
  queue.push(enc.encode("67890\n"));
  assertEquals(overflowed(), 12);
  queue.push(enc.encode("more\n"));
  await turn();
  assertEquals(writes, ["12345\n"]);
  assertEquals(
    queue.pendingBytes,
    0,
    "a stopped queue holds nothing (the write in flight is the transport's)",
  );
});

Deno.test("outbound: drained() waits for in-flight bytes", async () => {
  const { queue, pending } = setup();
  queue.push(enc.encode("x\n"));
  await turn();
  let done = false;
  const drained = queue.drained().then(() => done = true);
  await turn();
  assert.equal(done, false);
  pending.shift()!();
  await drained;
  assert.equal(done, true);
});

Deno.test("outbound: frames are copied, so the relay may reuse its scratch buffer", async () => {
  const { queue, writes } = setup();
  const scratch = enc.encode("3:1:aaaa\n");
  queue.push(scratch);
  scratch.set(enc.encode("3:1:bbbb\n"));
  queue.push(scratch);
  scratch.fill(0);
  await turn();
  assertEquals(writes, ["3:1:aaaa\n3:1:bbbb\n"]);
});

Deno.test("outbound: a queue grows past its first buffer without losing bytes", async () => {
  const { queue, writes } = setup(1 << 20);
  const lines = Array.from(
    { length: 500 },
    (_, i) => `3:9:${i}:${"y".repeat(i % 50)}\n`,
  );
  for (const line of lines) queue.push(enc.encode(line));
  await turn();
  assertEquals(writes, [lines.join("")]);
});
