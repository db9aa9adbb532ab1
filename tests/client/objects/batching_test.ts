/** Packing updates into payloads, and what an owner has left to send. */
import assert from "node:assert/strict";
import fc from "fast-check";
import { assertEquals } from "../../helpers/assert.ts";
import {
  packGroups,
  utf8Length,
} from "../../../client/objects/message_packer.ts";
import { UpdateBatcher } from "../../../client/objects/update_batcher.ts";

const token = fc.string({ unit: "binary", minLength: 1, maxLength: 30 })
  .map((s) => s.replaceAll(" ", "_"));

Deno.test("packer: every group lands once, in order, each payload within the limit unless alone", () => {
  fc.assert(
    fc.property(
      fc.array(fc.array(token, { minLength: 1, maxLength: 5 }), {
        maxLength: 30,
      }),
      fc.integer({ min: 10, max: 300 }),
      (groups, max) => {
        let n = 0;
        const payloads = packGroups(groups, max, () => `U ${++n}`);
        assertEquals(payloads.length, n);
        const rebuilt = payloads.flatMap((p) => p.split(" ").slice(2));
        assertEquals(rebuilt, groups.flat());
        for (const p of payloads) {
          const alone = p.split(" ").length - 2 <=
            Math.max(...groups.map((g) => g.length));
          assert.ok(utf8Length(p) <= max || alone, p);
        }
      },
    ),
  );
});

Deno.test("packer: utf8Length agrees with TextEncoder", () => {
  fc.assert(
    fc.property(fc.string({ unit: "binary" }), (s) => {
      assertEquals(utf8Length(s), new TextEncoder().encode(s).length);
    }),
  );
});

Deno.test("batcher: masks accumulate per object until taken; 32 fields fit", () => {
  const b = new UpdateBatcher();
  assertEquals(b.idle, true);
  b.mark("1-1", 0);
  b.mark("1-1", 31);
  b.mark("1-2", 3);
  const dirty = b.take();
  assertEquals([...dirty], [["1-1", 0x80000001], ["1-2", 8]]);
  assertEquals(b.take().size, 0);
  b.mark("1-1", 1);
  b.forget("1-1");
  assertEquals(b.idle, true);
});

Deno.test("batcher: a reliable update falls due once an object sent over UDP has been quiet", () => {
  const b = new UpdateBatcher();
  b.sentUnreliably(["1-1", "1-2"], 1000);
  b.mark("1-2", 0);
  assertEquals(b.dueReliable(1100, 250), []);
  assertEquals(b.dueReliable(1300, 250), ["1-1"]);
  assertEquals(b.dueReliable(1300, 250), []);
  b.take();
  assertEquals(b.dueReliable(1300, 250), ["1-2"]);
  assertEquals(b.idle, true);
});
