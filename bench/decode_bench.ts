/** Micro-benchmarks of the decoder and encoder: `deno bench bench/`. */
import {
  decodeClientLine,
  FrameBuilder,
  messagePrefix,
  relayFrame,
} from "../protocol/mod.ts";

const enc = new TextEncoder();
const send = enc.encode(`3:1:${"x".repeat(96)}`);
const sendUsers = enc.encode(`3:4:12:34:56:${"x".repeat(90)}`);
const join = enc.encode("2:lobby:secret");
const prefix = messagePrefix(12345);

Deno.bench("decode 3:1 (100 B)", () => {
  decodeClientLine(send);
});
Deno.bench("decode 3:4 with three ids", () => {
  decodeClientLine(sendUsers);
});
Deno.bench("decode 2:room:password", () => {
  decodeClientLine(join);
});
const frames = new FrameBuilder();
Deno.bench("FrameBuilder.relay (100 B payload, the hot path)", () => {
  frames.relay(prefix, send.subarray(4));
});
Deno.bench("relayFrame (100 B payload, allocating)", () => {
  relayFrame(prefix, send.subarray(4));
});
