/** Micro-benchmark of room fan-out into coalescing queues: `deno bench bench/`. */
import { FrameBuilder } from "../protocol/mod.ts";
import { FlushScheduler } from "../server/connection/flush_scheduler.ts";
import { OutboundQueue } from "../server/connection/outbound.ts";
import { Room } from "../server/rooms/rooms.ts";

const scheduler = new FlushScheduler();
const frames = new FrameBuilder();
const room = new Room("bench", "");
let written = 0;
for (let id = 1; id <= 10; id++) {
  const queue = new OutboundQueue({
    write: (data, done) => {
      written += data.length;
      done();
    },
    scheduler,
    maxBytes: 1 << 30,
    onOverflow: () => {},
  });
  room.members.push({ id, send: (frame) => queue.push(frame) });
}
const prefix = new TextEncoder().encode("3:1:");
const payload = new TextEncoder().encode("x".repeat(100));

Deno.bench(
  "fan-out: 100 messages to a room of 10, then one flush each",
  async () => {
    for (let i = 0; i < 100; i++) {
      room.fanOut(
        frames.relay(prefix, payload),
        null,
      );
    }
    await Promise.resolve();
  },
);
