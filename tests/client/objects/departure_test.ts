/** Departures and scene objects against a real server. */
import { assertEquals } from "../../helpers/assert.ts";
import { startServer } from "../../helpers/server.ts";
import { nextEvent } from "../../helpers/scene_wire.ts";
import { ScenePeer, settle } from "../../helpers/scene_peers.ts";
import type { SceneOptions } from "../../../client/mod.ts";

const OPTIONS: SceneOptions = {
  tickHz: 20,
  sceneObjects: [
    { type: "door", fields: { open: false } },
    { type: "lamp", fields: { color: [1, 1, 1] } },
  ],
};

async function peer(port: number, name: string) {
  const p = await ScenePeer.connect(port, name);
  await p.join("hall", OPTIONS);
  return p;
}

Deno.test("departure: the leaver's bound objects go, the others are adopted by the master", async () => {
  await using t = await startServer();
  await using a = await peer(t.port, "ada");
  await using b = await peer(t.port, "bob");
  await using c = await peer(t.port, "cy");
  const avatar = b.scene!.instantiate("avatar", { x: 0 }, {
    boundToOwner: true,
  });
  const crate = b.scene!.instantiate("crate", { x: 0 });
  crate.set("x", 4);
  await settle([a, b, c]);
  const adopted = nextEvent(c.scene!, "owner", (o) => o.id === crate.id);
  const gone = nextEvent(c.scene!, "destroyed");
  await b.leave();
  assertEquals((await gone)[0].id, avatar.id);
  assertEquals((await adopted)[1], b.id);
  await settle([a, c]);
  for (const p of [a, c]) {
    assertEquals(p.scene!.snapshot().map((o) => [o.id, o.owner]), [
      ["-1-1", a.id],
      ["-1-2", a.id],
      [crate.id, a.id],
    ]);
    assertEquals(p.scene!.get(crate.id)!.get("x"), 4);
  }
});

Deno.test("departure: when the master leaves, the next participant adopts its objects, scene objects too", async () => {
  await using t = await startServer();
  await using a = await peer(t.port, "ada");
  await using b = await peer(t.port, "bob");
  await using c = await peer(t.port, "cy");
  assertEquals([b.scene!.master, b.scene!.participants], [a.id, [
    a.id,
    b.id,
    c.id,
  ]]);
  const door = a.scene!.get("-1-1")!;
  door.set("open", true);
  a.scene!.instantiate("avatar", {}, { boundToOwner: true });
  a.scene!.instantiate("crate", {});
  await settle([a, b, c]);
  await a.leave();
  await settle([b, c]);
  for (const p of [b, c]) {
    assertEquals(p.scene!.master, b.id);
    assertEquals(p.scene!.snapshot().map((o) => [o.id, o.owner]), [
      ["-1-1", b.id],
      ["-1-2", b.id],
      [`${a.id}-2`, b.id],
    ]);
    assertEquals(p.scene!.get("-1-1")!.get("open"), true);
  }
  assertEquals(b.client.master, b.id, "the room's master is the scene's");
});

Deno.test("scene objects: the first participant makes them; a joiner gets them as they are now", async () => {
  await using t = await startServer();
  await using a = await peer(t.port, "ada");
  const lamp = a.scene!.get("-1-2")!;
  assertEquals([lamp.type, lamp.owner, lamp.get("color")], ["lamp", a.id, [
    1,
    1,
    1,
  ]]);
  lamp.set("color", [1, 0, 0]);
  await using b = await peer(t.port, "bob");
  assertEquals(b.scene!.get("-1-2")!.get("color"), [1, 0, 0]);
  assertEquals(await a.scene!.destroy("-1-1"), true);
  await using c = await peer(t.port, "cy");
  assertEquals([...c.scene!.objects.keys()], ["-1-2"]);
  await a.leave();
  await b.leave();
  await c.leave();
  await using d = await peer(t.port, "dee");
  assertEquals(
    d.scene!.snapshot().map((o) => [o.id, o.owner, o.fields]),
    [["-1-1", d.id, { open: false }], ["-1-2", d.id, { color: [1, 1, 1] }]],
    "an empty scene starts afresh",
  );
});
