import { assertEquals } from "../helpers/assert.ts";
import { FrameBuilder, messagePrefix, relayFrame } from "../../protocol/mod.ts";

const dec = new TextDecoder();

Deno.test("frame builder: same bytes as relayFrame, any payload size", () => {
  const frames = new FrameBuilder();
  const prefix = messagePrefix(42);
  for (const size of [0, 1, 100, 4090, 4096, 10_000, 70_000, 5]) {
    const payload = new Uint8Array(size).map((_, i) => 32 + (i % 90));
    assertEquals([...frames.relay(prefix, payload)], [
      ...relayFrame(prefix, payload),
    ]);
  }
});

Deno.test("frame builder: the frame is reused by the next call", () => {
  const frames = new FrameBuilder();
  const first = frames.relay(messagePrefix(1), new TextEncoder().encode("one"));
  assertEquals(dec.decode(first), "3:1:one\n");
  frames.relay(messagePrefix(2), new TextEncoder().encode("two"));
  assertEquals(dec.decode(first), "3:2:two\n");
});
