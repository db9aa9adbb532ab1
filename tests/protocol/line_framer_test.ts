import { assertEquals } from "../helpers/assert.ts";
import assert from "node:assert/strict";
import fc from "fast-check";
import { LineFramer, LineTooLongError } from "../../protocol/mod.ts";

const enc = new TextEncoder();
const dec = new TextDecoder();

function collect(max: number) {
  const lines: string[] = [];
  const framer = new LineFramer(max, (line) => lines.push(dec.decode(line)));
  return { lines, framer };
}

Deno.test("framer: splits lines, drops \\r before \\n, keeps empty lines", () => {
  const { lines, framer } = collect(100);
  framer.push(enc.encode("a\nb\r\n\nc:d\r\r\nrest"));
  assertEquals(lines, ["a", "b", "", "c:d\r"]);
  assertEquals(framer.buffered, 4);
  framer.push(enc.encode("\n"));
  assertEquals(lines.at(-1), "rest");
  assertEquals(framer.buffered, 0);
});

Deno.test("framer: a \\r\\n split across chunks", () => {
  const { lines, framer } = collect(100);
  framer.push(enc.encode("hello\r"));
  framer.push(enc.encode("\nworld\r"));
  framer.push(enc.encode("\n"));
  assertEquals(lines, ["hello", "world"]);
});

Deno.test("framer: one byte at a time gives the same lines", () => {
  const text = "0:ada:pw\r\n2:lobby\n3:1:a:b:c\n\n3:4:1:2:x\r\n";
  const { lines, framer } = collect(100);
  for (const byte of enc.encode(text)) framer.push(Uint8Array.of(byte));
  assertEquals(lines, ["0:ada:pw", "2:lobby", "3:1:a:b:c", "", "3:4:1:2:x"]);
});

Deno.test("framer: any split of any input gives the lines of the whole", () => {
  fc.assert(
    fc.property(
      fc.array(
        fc.uint8Array({ maxLength: 40 }).map((b) => b.filter((x) => x !== 10)),
        {
          maxLength: 20,
        },
      ),
      fc.array(fc.nat(), { maxLength: 10 }),
      (rawLines, cuts) => {
        const whole = rawLines.flatMap((l) => [...l, 10]);
        const bytes = Uint8Array.from(whole);
        const expected = rawLines.map((l) =>
          l.at(-1) === 13 ? l.subarray(0, l.length - 1) : l
        );
        const got: Uint8Array[] = [];
        const framer = new LineFramer(64, (line) => got.push(line.slice()));
        const points = [...new Set(cuts.map((c) => c % (bytes.length + 1)))]
          .sort((a, b) => a - b);
        let from = 0;
        for (const point of [...points, bytes.length]) {
          framer.push(bytes.subarray(from, point));
          from = point;
        }
        assertEquals(got.map((b) => [...b]), expected.map((b) => [...b]));
        assertEquals(framer.buffered, 0);
      },
    ),
    { numRuns: 500 },
  );
});

Deno.test("framer: a line of exactly the cap passes, one byte more fails", () => {
  const { lines, framer } = collect(8);
  framer.push(enc.encode("12345678\n"));
  assertEquals(lines, ["12345678"]);
  assert.throws(() => framer.push(enc.encode("123456789\n")), LineTooLongError);
});

Deno.test("framer: the cap holds before buffering, across chunks", () => {
  const { lines, framer } = collect(10);
  framer.push(enc.encode("ok\n12345"));
  assertEquals(framer.buffered, 5);
  assert.throws(() => framer.push(enc.encode("678901")), LineTooLongError);
  assertEquals(lines, ["ok"]);
  assertEquals(framer.buffered, 0, "nothing is kept of the refused line");
});

Deno.test("framer: a huge chunk without \\n is refused without copying it", () => {
  const { framer } = collect(1024);
  const huge = new Uint8Array(10 * 1024 * 1024).fill(65);
  assert.throws(() => framer.push(huge), LineTooLongError);
  assertEquals(framer.buffered, 0);
});

Deno.test("framer: lines before an over-long line in the same chunk are delivered", () => {
  const { lines, framer } = collect(4);
  assert.throws(
    () => framer.push(enc.encode("ab\ncd\n123456789\nzz\n")),
    LineTooLongError,
  );
  assertEquals(lines, ["ab", "cd"]);
});
