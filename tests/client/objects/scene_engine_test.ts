/**
 * The scene engine without sockets: lines are handed to it in an order the
 * test chooses, and what it sends is read back. Covers the catch-up's
 * corner cases that a real server makes rare (early answers, timeouts,
 * overflow, restarts) and the claimant's optimistic changes.
 */
import assert from "node:assert/strict";
import { assertEquals } from "../../helpers/assert.ts";
import {
  SceneEngine,
  type ScenePhase,
} from "../../../client/objects/scene_engine.ts";
import {
  resolveSceneOptions,
  type SceneOptions,
} from "../../../client/objects/scene_options.ts";
import { SceneSyncError } from "../../../client/mod.ts";

interface Harness {
  engine: SceneEngine;
  /** Everything sent, as `mode payload` (`3 …`, `0 …`, `4:<id> …`). */
  sent: string[];
  members: number[];
  clock: { now: number };
  events: string[];
}

function harness(
  self: number,
  members: number[],
  options: SceneOptions = {},
): Harness {
  const sent: string[] = [];
  const events: string[] = [];
  const clock = { now: 0 };
  const engine = new SceneEngine({
    self,
    members: () => members,
    now: () => clock.now,
    options: resolveSceneOptions(options),
    outbox: {
      ordered: (p) => sent.push(`3 ${p}`),
      update: (p, channel) =>
        sent.push(`0${channel === "udp" ? "u" : ""} ${p}`),
      to: (id, p) => sent.push(`4:${id} ${p}`),
    },
    events: {
      created: (s) => events.push(`created ${s.id}`),
      updated: (s, f) => events.push(`updated ${s.id} ${f}`),
      owner: (s, p) => events.push(`owner ${s.id} ${p}->${s.owner}`),
      destroyed: (s) => events.push(`destroyed ${s.id}`),
    },
  });
  engine.ready.catch(() => {});
  return { engine, sent, members, clock, events };
}

/** Takes part in a scene whose other participant 1 owns ball `1-1`. */
function joined(self = 3): Harness {
  const h = harness(self, [1, self]);
  h.engine.start();
  h.engine.receive(self, "H 0");
  h.engine.receive(1, "S 0 1 4 1-1 ball 0 2 x/n=2 name/s=b");
  h.engine.receive(1, "E 0 1");
  h.engine.receive(self, "R");
  assertEquals(h.engine.phase, "participant" satisfies ScenePhase);
  h.sent.length = 0;
  h.events.length = 0;
  return h;
}

Deno.test("engine: alone in the room, the hello and ready come back and the scene objects are ours", async () => {
  const h = harness(5, [5], {
    sceneObjects: [{ type: "door", fields: { open: false } }],
  });
  h.engine.start();
  h.engine.receive(5, "H 0");
  assertEquals(h.engine.phase, "synced");
  h.engine.receive(5, "R");
  await h.engine.ready;
  assertEquals(h.sent, ["3 H 0", "3 R"]);
  assertEquals(h.engine.table.get("-1-1")?.owner, 5);
  assertEquals(h.engine.participants, [5]);
});

Deno.test("engine: before taking part it answers hellos with '-', after with its objects and the participants", () => {
  const h = harness(3, [1, 3]);
  h.engine.start();
  h.engine.receive(1, "H 7");
  assertEquals(h.sent, ["3 H 0", "4:1 E 7 -"]);
  const p = joined(3);
  p.members.push(4);
  p.engine.joined(4);
  p.engine.instantiate("ball", { x: 1 }, false);
  p.sent.length = 0;
  p.engine.receive(4, "H 0");
  assertEquals(p.sent, ["4:4 S 0 3 0 3-1 ball 0 1 x/n=1", "4:4 E 0 1,3"]);
  p.engine.receive(9, "H 0");
  assertEquals(p.sent.length, 2, "a hello from outside the room gets nothing");
});

Deno.test("engine: answers that arrive before our own hello are kept", async () => {
  const h = harness(3, [1, 3]);
  h.engine.start();
  h.engine.receive(1, "S 0 1 4 1-1 ball 0 1 x/n=2");
  h.engine.receive(1, "E 0 1");
  h.engine.receive(3, "H 0");
  h.engine.receive(3, "R");
  await h.engine.ready;
  assertEquals(h.engine.table.get("1-1")?.get("x"), 2);
});

Deno.test("engine: what happens while catching up is replayed on the answers, stale updates left out", async () => {
  const h = harness(3, [1, 2, 3]);
  h.engine.start();
  h.engine.receive(3, "H 0");
  h.engine.receive(1, "U 3 1-1 1 0"); // sent by 1 before it answered: older
  h.engine.receive(1, "S 0 1 4 1-1 ball 0 2 x/n=2 name/s=b");
  h.engine.receive(1, "E 0 1,2");
  h.engine.receive(2, "O 1-1 1 9"); // 2 claims after the hello
  h.engine.receive(2, "U 10 1-1 1 8");
  h.engine.receive(1, "U 5 1-1 1 7"); // 1 no longer owns it
  assertEquals(
    h.engine.table.size,
    0,
    "nothing applied before the answers are in",
  );
  h.engine.receive(2, "E 0 1,2");
  h.engine.receive(3, "R");
  await h.engine.ready;
  const ball = h.engine.table.get("1-1")!;
  assertEquals([ball.owner, ball.get("x"), ball.get("name")], [2, 8, "b"]);
});

Deno.test("engine: a member that leaves before answering makes us ask again", async () => {
  const h = harness(3, [1, 2, 3]);
  h.engine.start();
  h.engine.receive(3, "H 0");
  h.engine.receive(1, "E 0 1,2");
  h.members.splice(1, 1);
  h.engine.left(2);
  assertEquals(h.sent, ["3 H 0", "3 H 1"]);
  assertEquals(h.engine.phase, "hello");
  h.engine.receive(1, "S 0 1 4 1-7 late 0 0"); // an answer to the old hello
  h.engine.receive(3, "H 1");
  h.engine.receive(1, "S 1 1 4 2-1 crate 0 1 w/n=3"); // adopted from 2
  h.engine.receive(1, "E 1 1");
  h.engine.receive(3, "R");
  await h.engine.ready;
  assertEquals([...h.engine.table.values()].map((s) => [s.id, s.owner]), [[
    "2-1",
    1,
  ]]);
});

Deno.test("engine: a member that leaves after saying it is no participant does not", () => {
  const h = harness(3, [1, 2, 4, 3]);
  h.engine.start();
  h.engine.receive(3, "H 0");
  h.engine.receive(2, "E 0 -");
  h.engine.receive(1, "E 0 1"); // 4 is not a participant: not waited for
  assertEquals(h.engine.phase, "synced");
  const g = harness(3, [1, 2, 3]);
  g.engine.start();
  g.engine.receive(3, "H 0");
  g.engine.left(2); // may have been a participant...
  g.engine.receive(1, "E 0 1"); // ...but was not
  assertEquals([g.engine.phase, g.sent.at(-1)], ["synced", "3 R"]);
});

Deno.test("engine: silent members are taken as outsiders after syncTimeoutMs when no participant answers", async () => {
  const h = harness(3, [9, 3], {
    syncTimeoutMs: 1000,
    sceneObjects: [{ type: "door", fields: { open: false } }],
  });
  h.engine.start();
  h.engine.receive(3, "H 0");
  h.clock.now = 999;
  h.engine.tick();
  assertEquals(h.engine.phase, "syncing");
  h.clock.now = 1000;
  h.engine.tick();
  h.engine.receive(3, "R");
  await h.engine.ready;
  assertEquals(h.engine.table.get("-1-1")?.owner, 3);
});

Deno.test("engine: a listed participant that never answers fails the join with sync-timeout", async () => {
  const h = harness(3, [1, 2, 3], { syncTimeoutMs: 1000 });
  h.engine.start();
  h.engine.receive(3, "H 0");
  h.engine.receive(1, "E 0 1,2");
  h.clock.now = 1000;
  h.engine.tick();
  const error = await h.engine.ready.catch((e) => e);
  assert.ok(error instanceof SceneSyncError);
  assertEquals([error.code, h.engine.phase], ["sync-timeout", "ended"]);
});

Deno.test("engine: too much traffic while catching up fails the join with sync-overflow", async () => {
  const h = harness(3, [1, 3], { limits: { maxSyncBuffered: 2 } });
  h.engine.start();
  h.engine.receive(3, "H 0");
  for (let seq = 1; seq <= 3; seq++) h.engine.receive(1, `U ${seq} 1-1 1 0`);
  const error = await h.engine.ready.catch((e) => e);
  assertEquals([error.code, h.engine.phase], ["sync-overflow", "ended"]);
});

Deno.test("engine: a claimant acts as owner at once and keeps its changes when its claim wins", async () => {
  const h = joined();
  const won = h.engine.local.takeOwnership("1-1");
  assertEquals(h.sent, ["3 O 1-1 1 0"]);
  h.engine.local.set("1-1", "x", 5);
  h.engine.tick();
  assertEquals(h.sent.at(-1), "0 U 1 1-1 1 5");
  h.engine.receive(1, "U 5 1-1 2 c"); // the owner, before our claim: applied
  h.engine.receive(3, "O 1-1 1 0");
  assertEquals(await won, true);
  assertEquals(h.sent.at(-1), "0 U 2 1-1 3 5 c");
  assertEquals(h.events, ["updated 1-1 name", "owner 1-1 1->3"]);
});

Deno.test("engine: a claimant whose claim loses drops its changes and sees the owner's values", async () => {
  const h = joined();
  const won = h.engine.local.takeOwnership("1-1");
  h.engine.local.set("1-1", "x", 5);
  assertEquals(h.engine.local.value(h.engine.table.get("1-1")!, 0), 5);
  h.engine.receive(2, "O 1-1 1 0"); // ignored: 2 is not a participant
  h.members.push(4);
  h.engine.joined(4);
  h.engine.receive(4, "R");
  h.engine.receive(4, "O 1-1 1 0"); // first: wins
  h.engine.receive(4, "U 1 1-1 1 6");
  h.engine.receive(3, "O 1-1 1 0"); // ours: loses
  assertEquals(await won, false);
  const ball = h.engine.table.get("1-1")!;
  assertEquals([ball.owner, h.engine.local.value(ball, 0)], [4, 6]);
  assertEquals(h.events, [
    "owner 1-1 1->4",
    "updated 1-1 x",
    "updated 1-1 x",
  ]);
  h.sent.length = 0;
  h.engine.tick();
  assertEquals(h.sent, [], "the dropped change is not sent again");
  assert.throws(() => h.engine.local.set("1-1", "x", 1), /not its owner/);
});

Deno.test("engine: a departure destroys bound objects and the master adopts the rest, sending them in full", () => {
  const h = harness(3, [3]);
  h.engine.start();
  h.engine.receive(3, "H 0");
  h.engine.receive(3, "R");
  h.members.push(4);
  h.engine.joined(4);
  h.engine.receive(4, "R");
  h.engine.receive(4, "I 4-1 avatar 1 1 x/n=0");
  h.engine.receive(4, "I 4-2 crate 0 1 x/n=0");
  h.engine.receive(4, "U 1 4-2 1 9");
  h.sent.length = 0;
  h.members.pop();
  h.engine.left(4);
  assertEquals(h.engine.table.get("4-1"), undefined);
  assertEquals(h.engine.table.get("4-2")?.owner, 3);
  assertEquals(h.sent, ["0 U 1 4-2 1 9"]);
});

Deno.test("engine: with the UDP channel, updates go lossy and a reliable full update follows once quiet", () => {
  const h = harness(3, [3], { channel: "udp", reliableAfterMs: 100 });
  h.engine.start();
  h.engine.receive(3, "H 0");
  h.engine.receive(3, "R");
  const ball = h.engine.instantiate("ball", { x: 0, y: 0 }, false);
  h.engine.local.set(ball.id, "x", 1);
  h.engine.tick();
  h.clock.now = 50;
  h.engine.local.set(ball.id, "x", 2);
  h.engine.tick();
  h.clock.now = 149;
  h.engine.tick();
  h.clock.now = 150;
  h.engine.tick();
  h.engine.tick();
  assertEquals(h.sent.slice(3), [
    "0u U 1 3-1 1 1",
    "0u U 2 3-1 1 2",
    "0 U 3 3-1 3 2 0",
  ]);
});
