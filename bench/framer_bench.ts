/** Micro-benchmarks of the line framer: `deno bench bench/`. */
import { LineFramer } from "../protocol/mod.ts";

const lines = Array.from(
  { length: 1000 },
  (_, i) => `3:1:${i}:${"x".repeat(90)}\n`,
).join("");
const chunk = new TextEncoder().encode(lines);
let count = 0;
const framer = new LineFramer(64 * 1024, () => count++);

Deno.bench("framer: 1000 lines of 100 B in one chunk", () => {
  framer.push(chunk);
});

Deno.bench("framer: the same bytes in 1460-byte segments", () => {
  for (let i = 0; i < chunk.length; i += 1460) {
    framer.push(chunk.subarray(i, i + 1460));
  }
});
