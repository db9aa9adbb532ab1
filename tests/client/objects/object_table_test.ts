/** The object table's rules, without sockets. */
import assert from "node:assert/strict";
import { assertEquals } from "../../helpers/assert.ts";
import { WireFormatError } from "../../../client/mod.ts";
import { describeFields } from "../../../client/objects/object_description.ts";
import { ObjectTable } from "../../../client/objects/object_table.ts";

function table(...objects: [string, number, boolean][]) {
  const t = new ObjectTable(100);
  for (const [id, owner, boundToOwner] of objects) {
    t.add({
      id,
      type: "thing",
      boundToOwner,
      fields: describeFields({ x: 0, name: "a", on: false }),
    }, owner);
  }
  return t;
}

Deno.test("table: an update applies only from the owner, only if newer", () => {
  const t = table(["1-1", 1, false]);
  assertEquals(t.update(2, 5, { id: "1-1", mask: 1, values: ["9"] }), null);
  assertEquals(t.get("1-1")!.get("x"), 0);
  const done = t.update(1, 5, { id: "1-1", mask: 0b101, values: ["3", "1"] });
  assertEquals(done?.changed, ["x", "on"]);
  assertEquals([t.get("1-1")!.get("x"), t.get("1-1")!.get("on")], [3, true]);
  assertEquals(t.update(1, 5, { id: "1-1", mask: 1, values: ["4"] }), null);
  assertEquals(t.update(1, 4, { id: "1-1", mask: 1, values: ["4"] }), null);
  assertEquals(t.get("1-1")!.get("x"), 3);
  assertEquals(t.update(1, 1, { id: "9-9", mask: 1, values: ["4"] }), null);
});

Deno.test("table: an update that does not fit the object changes nothing", () => {
  const t = table(["1-1", 1, false]);
  assert.throws(
    () => t.update(1, 1, { id: "1-1", mask: 0b1000, values: ["1"] }),
    WireFormatError,
  );
  assert.throws(
    () => t.update(1, 1, { id: "1-1", mask: 0b11, values: ["5", "a b"] }),
    WireFormatError,
  );
  assertEquals(t.get("1-1")!.get("x"), 0);
  assertEquals(t.update(1, 1, { id: "1-1", mask: 1, values: ["5"] })?.changed, [
    "x",
  ]);
});

Deno.test("table: the first of competing claims wins; the claimant's older updates stay out", () => {
  const t = table(["1-1", 1, false]);
  assertEquals(t.claim(2, "1-1", 1, 10)?.owner, 2);
  assertEquals(t.claim(3, "1-1", 1, 4), null);
  assertEquals(t.get("1-1")!.owner, 2);
  assertEquals(t.update(2, 10, { id: "1-1", mask: 1, values: ["7"] }), null);
  assertEquals(
    t.update(2, 11, { id: "1-1", mask: 1, values: ["7"] })?.changed,
    [
      "x",
    ],
  );
  assertEquals(t.claim(3, "9-9", 1, 0), null);
  assertEquals(t.claim(2, "1-1", 2, 12), null);
});

Deno.test("table: only the owner destroys", () => {
  const t = table(["1-1", 1, false]);
  assertEquals(t.destroy(2, "1-1"), null);
  assertEquals(t.destroy(1, "1-1")?.id, "1-1");
  assertEquals(t.get("1-1"), undefined);
  assertEquals(t.destroy(1, "1-1"), null);
});

Deno.test("table: a departure destroys bound objects and hands the rest to the adopter", () => {
  const t = table(["1-1", 1, true], ["1-2", 1, false], ["2-1", 2, false]);
  t.update(1, 3, { id: "2-1", mask: 1, values: ["1"] });
  t.get("2-1")!.seqs.set(1, 3);
  const { destroyed, adopted } = t.depart(1, 2);
  assertEquals(destroyed.map((s) => s.id), ["1-1"]);
  assertEquals(adopted.map((s) => [s.id, s.owner]), [["1-2", 2]]);
  assertEquals(t.get("2-1")!.seqs.has(1), false);
  const none = t.depart(2, null);
  assertEquals(none.destroyed.map((s) => s.id).sort(), ["1-2", "2-1"]);
  assertEquals(t.size, 0);
});

Deno.test("table: a full table refuses new objects and ids are never reused", () => {
  const t = new ObjectTable(1);
  const object = { id: "1-1", type: "t", boundToOwner: false, fields: [] };
  assert.ok(t.add(object, 1));
  assertEquals(t.add(object, 1), null);
  assertEquals(t.add({ ...object, id: "1-2" }, 1), null);
  assertEquals(t.full, true);
});
