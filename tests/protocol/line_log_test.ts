/**
 * LineLog against a model (an array of lines), driven by fast-check:
 * appends of any size (around and above the segment sizes), acknowledgements
 * and replays in any order; replays are also checked while later appends and
 * acknowledgements happen between reading the ranges (as a resend does).
 */
import assert from "node:assert/strict";
import fc from "fast-check";
import { assertEquals } from "../helpers/assert.ts";
import { LineCountError, LineLog } from "../../protocol/mod.ts";

type Op =
  | { kind: "append"; size: number; fill: number }
  | { kind: "ack"; back: number }
  | { kind: "replay"; back: number };

const op: fc.Arbitrary<Op> = fc.oneof(
  {
    weight: 6,
    arbitrary: fc.record({
      kind: fc.constant("append" as const),
      size: fc.oneof(
        fc.integer({ min: 1, max: 80 }),
        fc.integer({ min: 900, max: 1100 }),
        fc.integer({ min: 60_000, max: 140_000 }),
      ),
      fill: fc.integer({ min: 0, max: 255 }),
    }),
  },
  {
    weight: 2,
    arbitrary: fc.record({
      kind: fc.constant("ack" as const),
      back: fc.integer({ min: 0, max: 6 }),
    }),
  },
  {
    weight: 2,
    arbitrary: fc.record({
      kind: fc.constant("replay" as const),
      back: fc.integer({ min: 0, max: 8 }),
    }),
  },
);

/** Line `n` of `size` bytes: its number first (when it fits), then `fill`. */
function line(n: number, size: number, fill: number): Uint8Array {
  const bytes = new Uint8Array(size).fill(fill);
  if (size >= 5) new DataView(bytes.buffer).setUint32(0, n, true);
  bytes[size - 1] = 0x0a;
  return bytes;
}

function joined(parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

Deno.test("line log: appends, acknowledgements and replays agree with a model", () => {
  fc.assert(
    fc.property(fc.array(op, { maxLength: 120 }), (ops) => {
      const log = new LineLog();
      const model: Uint8Array[] = []; // every line appended, index = number - 1
      let acked = 0;
      for (const o of ops) {
        if (o.kind === "append") {
          const frame = line(model.length + 1, o.size, o.fill);
          model.push(frame.slice());
          assertEquals(log.append(frame), model.length);
          frame.fill(7); // the log kept a copy
        } else if (o.kind === "ack") {
          const to = Math.max(acked, model.length - o.back);
          log.ackTo(to);
          acked = to;
        } else {
          const after = Math.max(acked, model.length - o.back);
          const runs: Uint8Array[] = [];
          log.replayAfter(after, (bytes) => runs.push(bytes.slice()));
          assertEquals(joined(runs), joined(model.slice(after)));
        }
        assertEquals([log.acked, log.last, log.count], [
          acked,
          model.length,
          model.length - acked,
        ]);
        assertEquals(
          log.bytes,
          model.slice(acked).reduce((n, l) => n + l.length, 0),
        );
      }
    }),
    { seed: 1616, numRuns: 300 },
  );
});

Deno.test("line log: views handed out by a replay stay right while lines are appended and acknowledged", () => {
  fc.assert(
    fc.property(
      fc.array(fc.integer({ min: 1, max: 3000 }), {
        minLength: 1,
        maxLength: 60,
      }),
      fc.array(fc.integer({ min: 1, max: 3000 }), { maxLength: 60 }),
      fc.nat(),
      (before, later, ackAt) => {
        const log = new LineLog();
        const model: Uint8Array[] = [];
        for (const size of before) {
          const frame = line(model.length + 1, size, model.length % 251);
          model.push(frame);
          log.append(frame);
        }
        const views: Uint8Array[] = [];
        log.replayAfter(0, (bytes) => views.push(bytes));
        const to = ackAt % (model.length + 1);
        log.ackTo(to);
        for (const size of later) log.append(line(0, size, 9));
        if (later.length === 0) log.ackTo(log.last);
        assertEquals(joined(views), joined(model));
      },
    ),
    { seed: 1617, numRuns: 300 },
  );
});

Deno.test("line log: counts outside what was sent and not acknowledged are refused", () => {
  const log = new LineLog();
  log.append(new TextEncoder().encode("a\n"));
  log.append(new TextEncoder().encode("b\n"));
  log.ackTo(1);
  for (const bad of [0, 3, -1, 1.5]) {
    assert.throws(() => log.ackTo(bad), LineCountError);
    assert.throws(() => log.replayAfter(bad, () => {}), LineCountError);
  }
  assertEquals([log.acked, log.last, log.bytes], [1, 2, 2]);
});
