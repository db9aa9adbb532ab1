/**
 * Network objects through drops: two scene peers, one behind a proxy the
 * test cuts again and again while both change objects and trade ownership.
 * The dropped peer resumes each time; afterwards both tables are the same,
 * ownership is as it was decided, the scene never ended, and no full resync
 * happened (each peer sent one hello, the one of its join).
 */
import assert from "node:assert/strict";
import { assertEquals } from "../../helpers/assert.ts";
import { EventLog } from "../../helpers/client_events.ts";
import { CutProxy } from "../../helpers/cut_proxy.ts";
import { ScenePeer, settle } from "../../helpers/scene_peers.ts";
import { startServer } from "../../helpers/server.ts";
import type { SceneOptions } from "../../../client/mod.ts";

const OPTIONS: SceneOptions = {
  tickHz: 50,
  sceneObjects: [{ type: "door", fields: { open: false } }],
};
const HELLO = /^3:3:H /;
const utf8 = new TextDecoder();

Deno.test("network objects: a peer dropped and resumed mid-traffic keeps its table and ownership; no resync happens", async () => {
  await using t = await startServer();
  await using proxy = CutProxy.start(t.port);
  await using a = await ScenePeer.connect(proxy.port, "ada", OPTIONS, {
    reconnect: { minDelayMs: 10, maxDelayMs: 100 },
  });
  await using b = await ScenePeer.connect(t.port, "bob", OPTIONS);
  const events = new EventLog(a.client);
  const hellos = { ada: 0, bob: 0 };
  a.client.onSent((line) => {
    if (HELLO.test(utf8.decode(line))) hellos.ada++;
  });
  b.client.onSent((line) => {
    if (HELLO.test(utf8.decode(line))) hellos.bob++;
  });
  await a.join("hall");
  await b.join("hall");
  const sceneA = a.scene!;
  const sceneB = b.scene!;
  const crateA = sceneA.instantiate("crate", { x: 0 });
  const avatarA = sceneA.instantiate("avatar", { x: 0 }, {
    boundToOwner: true,
  });
  const crateB = sceneB.instantiate("crate", { x: 0 });
  const ballB = sceneB.instantiate("ball", { y: 0 });
  await settle([a, b]);
  // Traffic on both sides while ada's connection is cut five times, after
  // so many bytes in either direction (inside lines, as it falls).
  let stop = false;
  const moving = (async () => {
    for (let x = 1; !stop; x++) {
      crateA.set("x", x);
      avatarA.set("x", -x);
      ballB.set("y", x);
      // bob's crate, by whoever owns it now (ada claims it on the way).
      for (const scene of [sceneA, sceneB]) {
        const crate = scene.get(crateB.id);
        if (crate?.isMine) crate.set("x", x * 10);
      }
      // Changes are sent once per tick: one per turn of the loop is plenty.
      await new Promise((r) => setTimeout(r, 0));
    }
  })();
  for (let i = 0; i < 5; i++) {
    const dir = i % 2 === 0 ? "down" : "up";
    await proxy.cutAfter(dir, [700, 1301, 211, 2503, 997][i]!);
    await events.until(
      () => events.count("resumed") === i + 1 && a.client.connected,
      `resume ${i + 1}`,
      15_000,
    );
    if (i === 1) assert.ok(await sceneA.takeOwnership(crateB.id));
    if (i === 3) assert.ok(await sceneB.takeOwnership("-1-1"));
  }
  stop = true;
  await moving;
  sceneB.get("-1-1")!.set("open", true);
  await settle([a, b]);
  assertEquals(sceneA.snapshot(), sceneB.snapshot());
  assertEquals(
    sceneA.snapshot().map((o) => [o.id, o.owner]),
    [
      ["-1-1", b.id],
      [crateA.id, a.id],
      [avatarA.id, a.id],
      [crateB.id, a.id],
      [ballB.id, b.id],
    ].sort((x, y) => (x[0]! < y[0]! ? -1 : 1)),
  );
  assertEquals(sceneA.get("-1-1")!.get("open"), true);
  assertEquals([sceneA.ended, sceneB.ended], [false, false]);
  assertEquals(hellos, { ada: 1, bob: 1 });
  assertEquals(events.count("session-ended"), 0);
  assertEquals(a.client.sessionId, a.id);
});
