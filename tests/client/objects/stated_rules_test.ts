/**
 * The rules docs/network-objects.md states for the points a peer written
 * from the document alone found open (issue 17): tag letters, the joiner's
 * place in the join order, what an answer holds while a claim is in
 * flight, when `syncTimeoutMs` starts, update numbers per object, one's own
 * claim against a destroy or an adoption, and an `S` whose owner is not its
 * sender. The engine without sockets, fed lines in the order chosen here.
 */
import { assertEquals } from "../../helpers/assert.ts";
import { SceneEngine } from "../../../client/objects/scene_engine.ts";
import {
  resolveSceneOptions,
  type SceneOptions,
} from "../../../client/objects/scene_options.ts";
import { RoomState } from "../../../client/mod.ts";

function harness(self: number, members: number[], options: SceneOptions = {}) {
  const sent: string[] = [];
  const clock = { now: 0 };
  const engine = new SceneEngine({
    self,
    members: () => members,
    now: () => clock.now,
    options: resolveSceneOptions(options),
    outbox: {
      ordered: (p) => sent.push(`3 ${p}`),
      update: (p) => sent.push(`0 ${p}`),
      to: (id, p) => sent.push(`4:${id} ${p}`),
    },
  });
  engine.ready.catch(() => {});
  return { engine, sent, members, clock };
}

/** `self` alone, then `others` join and take part, in that order. */
function scene(self: number, others: number[]) {
  const h = harness(self, [self]);
  h.engine.start();
  h.engine.receive(self, "H 0");
  h.engine.receive(self, "R");
  for (const id of others) {
    h.members.push(id);
    h.engine.joined(id);
    h.engine.receive(id, "R");
  }
  h.sent.length = 0;
  return h;
}

Deno.test("rule: only the eight uppercase tag letters make a scene message; others are not counted, malformed ones are", () => {
  const h = scene(1, [2]);
  for (const foreign of ["h 0", "X 1", "Hello", "x", "hi there", "Ü 1"]) {
    h.engine.receive(2, foreign);
  }
  assertEquals(h.engine.ignored, 0, "not scene messages: ignored, not counted");
  for (const malformed of ["H", "H 0 1", "R ", "D", "U 1", "E 0"]) {
    h.engine.receive(2, malformed);
  }
  assertEquals(h.engine.ignored, 6, "scene messages off the grammar: counted");
});

Deno.test("rule: a joiner is the newest member: those listed after its own 2: line come before it", () => {
  const room = new RoomState();
  for (
    const msg of [
      { kind: "welcome", id: 9 },
      { kind: "joined", id: 9, room: "hall" },
      { kind: "joined", id: 7, room: "hall" },
      { kind: "joined", id: 8, room: "hall" },
      { kind: "master", id: 7 },
      { kind: "joined", id: 12, room: "hall" },
    ] as const
  ) room.apply(msg);
  assertEquals(room.members, [7, 8, 9, 12]);
  // With that order the scene's master is 7, not the joiner.
  const h = harness(9, [...room.members]);
  h.engine.start();
  h.engine.receive(9, "H 0");
  h.engine.receive(7, "E 0 7,8");
  h.engine.receive(8, "E 0 7,8");
  h.engine.receive(9, "R");
  assertEquals([h.engine.participants, h.engine.master], [[7, 8, 9], 7]);
});

Deno.test("rule: an answer holds the objects the answerer owns as agreed, never one it has only claimed", () => {
  const h = scene(3, [1]);
  h.engine.receive(1, "I 1-1 ball 0 1 x/n=0");
  const mine = h.engine.instantiate("crate", { x: 0 }, false);
  h.engine.local.set(mine.id, "x", 4); // not sent yet: part of its values
  void h.engine.local.takeOwnership("1-1"); // in flight
  h.engine.local.set("1-1", "x", 5); // set under the claim
  h.sent.length = 0;
  h.members.push(4);
  h.engine.joined(4);
  h.engine.receive(4, "H 0");
  assertEquals(h.sent, [
    "4:4 S 0 3 0 3-1 crate 0 1 x/n=4",
    "4:4 E 0 3,1",
  ]);
});

Deno.test("rule: syncTimeoutMs counts from our own hello's return, anew for each hello", () => {
  const h = harness(3, [1, 3], { syncTimeoutMs: 3000 });
  h.engine.start();
  h.clock.now = 10_000; // the hello took long to come back: not counted
  h.engine.tick();
  h.engine.receive(3, "H 0");
  h.clock.now = 12_999;
  h.engine.tick();
  assertEquals(h.engine.phase, "syncing");
  h.clock.now = 13_000;
  h.engine.tick(); // 1 never answered and nobody listed it: not a scene client
  assertEquals(h.engine.phase, "synced");
});

Deno.test("rule: update numbers are per object and sender: a late datagram for one object is not refused for another's newer number", () => {
  const h = scene(3, [1]);
  h.engine.receive(1, "I 1-1 ball 0 1 x/n=0");
  h.engine.receive(1, "I 1-2 ball 0 1 x/n=0");
  h.engine.receive(1, "U 6 1-2 1 60"); // over TCP
  h.engine.receive(1, "U 5 1-1 1 50"); // a datagram sent before it, late
  h.engine.receive(1, "U 4 1-1 1 40"); // older than what 1-1 has: dropped
  const table = h.engine.table;
  assertEquals([table.get("1-1")!.get("x"), table.get("1-2")!.get("x")], [
    50,
    60,
  ]);
});

Deno.test("rule: our claim on an object destroyed first fails when it comes back; our changes go", async () => {
  const h = scene(3, [1]);
  h.engine.receive(1, "I 1-1 ball 0 1 x/n=0");
  const won = h.engine.local.takeOwnership("1-1");
  h.engine.local.set("1-1", "x", 5);
  h.engine.receive(1, "D 1-1"); // the owner's destroy is ordered first
  h.engine.receive(3, "O 1-1 1 0");
  assertEquals(await won, false);
  h.sent.length = 0;
  h.engine.tick();
  assertEquals(h.sent, [], "nothing more is sent for it");
  assertEquals(h.engine.table.get("1-1"), undefined);
});

Deno.test("rule: our claim on an object we adopt first: we own it at once with our changes, and keep it", async () => {
  const h = scene(3, [1]); // 3 joined first: the master
  h.engine.receive(1, "I 1-1 ball 0 2 x/n=0 y/n=0");
  const won = h.engine.local.takeOwnership("1-1");
  h.engine.local.set("1-1", "x", 5);
  h.sent.length = 0;
  h.members.splice(1, 1);
  h.engine.left(1); // 1 leaves before our claim is applied: we adopt 1-1
  assertEquals(h.sent, ["0 U 1 1-1 3 5 0"], "the adopter's full update has x");
  h.engine.local.set("1-1", "x", 7); // a change after the adoption
  h.engine.receive(3, "O 1-1 1 0"); // fails (1 is gone), changes nothing
  assertEquals(await won, true, "we own it");
  const ball = h.engine.table.get("1-1")!;
  assertEquals([ball.owner, ball.get("x"), h.engine.local.value(ball, 0)], [
    3,
    7,
    7,
  ]);
});

Deno.test("rule: our claim on an object another adopts first fails; we see the adopter's values", async () => {
  // 2 is the oldest member and a participant, then 1 (owner of 1-1), then us.
  const g = harness(3, [2, 1, 3]);
  g.engine.start();
  g.engine.receive(3, "H 0");
  g.engine.receive(2, "E 0 2,1");
  g.engine.receive(1, "S 0 1 0 1-1 ball 0 1 x/n=0");
  g.engine.receive(1, "E 0 2,1");
  g.engine.receive(3, "R");
  await g.engine.ready;
  const won = g.engine.local.takeOwnership("1-1");
  g.engine.local.set("1-1", "x", 5);
  g.members.splice(1, 1);
  g.engine.left(1); // 2, the master, adopts 1-1
  g.engine.receive(2, "U 1 1-1 1 9"); // its full update
  g.engine.receive(3, "O 1-1 1 0");
  assertEquals(await won, false);
  const ball = g.engine.table.get("1-1")!;
  assertEquals([ball.owner, g.engine.local.value(ball, 0)], [2, 9]);
});

Deno.test("rule: an object in S whose owner is not its sender is ignored and counted", async () => {
  const h = harness(3, [1, 2, 3]);
  h.engine.start();
  h.engine.receive(3, "H 0");
  h.engine.receive(1, "S 0 2 4 2-1 ball 0 1 x/n=2 1 4 1-1 ball 0 1 x/n=1");
  h.engine.receive(1, "E 0 1,2");
  h.engine.receive(2, "E 0 1,2");
  h.engine.receive(3, "R");
  await h.engine.ready;
  assertEquals([...h.engine.table.values()].map((s) => s.id), ["1-1"]);
  assertEquals(h.engine.ignored, 1);
});
