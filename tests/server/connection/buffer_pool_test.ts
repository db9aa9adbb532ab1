/** The outbound queues' write-buffer pool: sizes, reuse, and its bound. */
import { assertEquals } from "../../helpers/assert.ts";
import {
  BufferPool,
  BUFFERS_PER_SIZE,
  MAX_POOLED_BYTES,
  MAX_SPARE_BYTES,
} from "../../../server/connection/buffer_pool.ts";
import { FlushScheduler } from "../../../server/connection/flush_scheduler.ts";
import { OutboundQueue } from "../../../server/connection/outbound.ts";

Deno.test("buffer pool: powers of two, a given-back buffer is handed out again", () => {
  const pool = new BufferPool();
  const a = pool.take(1);
  assertEquals(a.length, 512);
  assertEquals(pool.take(513).length, 1024);
  pool.give(a);
  assertEquals(pool.take(100) === a, true);
  assertEquals(pool.take(100) === a, false);
});

Deno.test("buffer pool: keeps at most its bound per size, nothing odd or huge", () => {
  const pool = new BufferPool();
  const given = Array.from(
    { length: BUFFERS_PER_SIZE + 5 },
    () => new Uint8Array(4096),
  );
  for (const b of given) pool.give(b);
  pool.give(new Uint8Array(3000));
  pool.give(new Uint8Array(MAX_POOLED_BYTES * 2));
  const back = new Set<Uint8Array>();
  for (let i = 0; i < BUFFERS_PER_SIZE + 5; i++) back.add(pool.take(4096));
  assertEquals(given.filter((b) => back.has(b)).length, BUFFERS_PER_SIZE);
  assertEquals(pool.take(MAX_POOLED_BYTES * 2).length, MAX_POOLED_BYTES * 2);
});

Deno.test("buffer pool: a flood of given-back buffers of every size keeps at most its bound in bytes", () => {
  const pool = new BufferPool();
  // Every size, far more than the bound holds, as 10,000 sockets' writes
  // of one turn would give them back.
  for (let round = 0; round < BUFFERS_PER_SIZE; round++) {
    for (let size = 512; size <= MAX_POOLED_BYTES; size *= 2) {
      pool.give(new Uint8Array(size));
      assertEquals(pool.spareBytes <= MAX_SPARE_BYTES, true);
    }
  }
  assertEquals(pool.spareBytes > MAX_SPARE_BYTES - MAX_POOLED_BYTES, true);
  // What is taken out is counted out; a fresh buffer when none is kept.
  let taken = 0;
  for (let size = 512; size <= MAX_POOLED_BYTES; size *= 2) {
    taken += pool.take(size).length;
  }
  assertEquals(taken, 2 * MAX_POOLED_BYTES - 512);
  let rounds = 0;
  while (pool.spareBytes > 0 && rounds < 100_000) {
    for (let size = 512; size <= MAX_POOLED_BYTES; size *= 2) {
      if (pool.spareBytes > 0) pool.take(size);
    }
    rounds++;
  }
  assertEquals(pool.spareBytes, 0);
});

Deno.test("outbound queue: a buffer goes back to the pool only once its write is done", async () => {
  const scheduler = new FlushScheduler();
  const pending: (() => void)[] = [];
  const written: Uint8Array[] = [];
  const queue = new OutboundQueue({
    write: (data, done) => {
      written.push(data);
      pending.push(() => done());
    },
    scheduler,
    maxBytes: 1 << 20,
    onOverflow: () => {},
  });
  queue.push(new TextEncoder().encode("first\n"));
  await Promise.resolve();
  assertEquals(written.length, 1);
  // The write is in flight: a buffer the pool hands out now must be another.
  const other = scheduler.pool.take(512);
  assertEquals(other.buffer === written[0]!.buffer, false);
  scheduler.pool.give(other);
  queue.push(new TextEncoder().encode("second\n"));
  pending.shift()!();
  await Promise.resolve();
  assertEquals(written.length, 2);
  assertEquals(new TextDecoder().decode(written[0]!), "first\n");
  assertEquals(new TextDecoder().decode(written[1]!), "second\n");
  pending.shift()!();
  assertEquals(queue.pendingBytes, 0);
});
