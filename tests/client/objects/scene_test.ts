/** NetworkScene against a real server: instantiate, updates, ownership, destroy. */
import assert from "node:assert/strict";
import { assertEquals } from "../../helpers/assert.ts";
import { startServer, type TestServer } from "../../helpers/server.ts";
import {
  becomeParticipant,
  lineUntil,
  nextEvent,
} from "../../helpers/scene_wire.ts";
import { ScenePeer, settle } from "../../helpers/scene_peers.ts";
import { rawText } from "../../helpers/incoming.ts";
import {
  InvalidArgumentError,
  NetworkScene,
  NotLoggedInError,
  NotOwnerError,
  RelayClient,
  SceneClosedError,
  UnknownObjectError,
  vec3,
  vec4,
} from "../../../client/mod.ts";

const decoder = new TextDecoder();

/** Peers in `room`, joined in order; the tick is slow so that tests flush. */
async function peers(t: TestServer, room: string, ...names: string[]) {
  const list: ScenePeer[] = [];
  for (const name of names) {
    const p = await ScenePeer.connect(t.port, name);
    await p.join(room, { tickHz: 1 });
    list.push(p);
  }
  return list;
}

/** Lines a client writes, as text without the newline. */
function written(client: RelayClient): string[] {
  const lines: string[] = [];
  client.onSent((line) => lines.push(decoder.decode(line).trimEnd()));
  return lines;
}

Deno.test("scene: an instantiate reaches everyone with its type, fields and owner, in the ordered mode", async () => {
  await using t = await startServer();
  const [a, b] = await peers(t, "r", "ada", "bob");
  await using _a = a!, _b = b!;
  const sent = written(a!.client);
  const created = nextEvent(b!.scene!, "created");
  const avatar = a!.scene!.instantiate("avatar", {
    pos: vec3(1, 2, 3),
    rot: vec4(0, 0, 0, 1),
    name: "ada",
  }, { boundToOwner: true });
  assertEquals(avatar.id, `${a!.id}-1`);
  const [seen] = await created;
  assertEquals(
    [seen.id, seen.type, seen.owner, seen.boundToOwner, seen.fields()],
    [avatar.id, "avatar", a!.id, true, {
      pos: [1, 2, 3],
      rot: [0, 0, 0, 1],
      name: "ada",
    }],
  );
  assertEquals(sent, [
    `3:3:I ${avatar.id} avatar 1 3 pos/v=1,2,3 rot/v=0,0,0,1 name/s=ada`,
  ]);
});

Deno.test("scene: a tick sends only the changed fields, with their mask, one line for all objects", async () => {
  await using t = await startServer();
  const [a, b] = await peers(t, "r", "ada", "bob");
  await using _a = a!, _b = b!;
  const one = a!.scene!.instantiate("t", {
    pos: vec3(0, 0, 0),
    rot: vec4(0, 0, 0, 1),
    hp: 1,
  });
  const two = a!.scene!.instantiate("t", {
    pos: vec3(0, 0, 0),
    rot: vec4(0, 0, 0, 1),
    hp: 1,
  });
  await nextEvent(b!.scene!, "created", (o) => o.id === two.id);
  const sent = written(a!.client);
  one.set("pos", vec3(1, 0, 0)).set("pos", vec3(2, 0, 0));
  two.set("rot", vec4(0, 1, 0, 0)).set("hp", 0.5);
  one.set("hp", 1); // unchanged: not sent
  a!.scene!.flush();
  assertEquals(sent, [
    `3:0:U 1 ${one.id} 1 2,0,0 ${two.id} 6 0,1,0,0 0.5`,
  ]);
  const [obj, fields] = await nextEvent(
    b!.scene!,
    "updated",
    (o) => o.id === two.id,
  );
  assertEquals([fields, obj.get("rot"), obj.get("hp")], [["rot", "hp"], [
    0,
    1,
    0,
    0,
  ], 0.5]);
  assertEquals(b!.scene!.get(one.id)!.get("pos"), [2, 0, 0]);
  a!.scene!.flush();
  assertEquals(sent.length, 1, "nothing changed, nothing sent");
});

Deno.test("scene: updates from anyone but the owner are ignored", async () => {
  await using t = await startServer();
  const [a] = await peers(t, "r", "ada");
  await using _a = a!;
  const ball = a!.scene!.instantiate("ball", { x: 1 });
  await using r = await t.member("raw", "r");
  await becomeParticipant(r, r.id, [a!.id]);
  await r.send(`3:0:U 99 ${ball.id} 1 7`, `3:3:I ${r.id}-1 marker 0 0`);
  await nextEvent(a!.scene!, "created", (o) => o.id === `${r.id}-1`);
  assertEquals(ball.get("x"), 1);
});

Deno.test("scene: changing or destroying needs ownership; bad names and values are refused before sending", async () => {
  await using t = await startServer();
  const [a, b] = await peers(t, "r", "ada", "bob");
  await using _a = a!, _b = b!;
  const ball = a!.scene!.instantiate("ball", { x: 1, tag: "a" });
  await nextEvent(b!.scene!, "created");
  const theirs = b!.scene!.get(ball.id)!;
  assert.throws(() => theirs.set("x", 2), NotOwnerError);
  assert.throws(() => b!.scene!.destroy(ball.id), NotOwnerError);
  assert.throws(() => b!.scene!.destroy("9-9"), UnknownObjectError);
  await assert.rejects(
    async () => await b!.scene!.takeOwnership("9-9"),
    UnknownObjectError,
  );
  assert.throws(() => ball.set("y", 2), InvalidArgumentError);
  assert.throws(() => ball.set("x", "two"), InvalidArgumentError);
  assert.throws(() => ball.set("tag", "\ud800"), InvalidArgumentError);
  const scene = a!.scene!;
  assert.throws(() => scene.instantiate("9ball", {}), InvalidArgumentError);
  assert.throws(
    () => scene.instantiate("ball", { "a b": 1 }),
    InvalidArgumentError,
  );
  assert.throws(
    () => scene.instantiate("ball", { x: null as never }),
    InvalidArgumentError,
  );
  assert.throws(
    () => scene.instantiate("ball", { v: Array(17).fill(0) }),
    InvalidArgumentError,
  );
  const many = Object.fromEntries(
    Array.from({ length: 33 }, (_, i) => [`f${i}`, i]),
  );
  assert.throws(() => scene.instantiate("ball", many), InvalidArgumentError);
  assert.throws(
    () => scene.instantiate("ball", { s: "x".repeat(17_000) }),
    InvalidArgumentError,
  );
  assert.throws(
    () => ball.set("tag", "x".repeat(17_000)),
    InvalidArgumentError,
  );
  assertEquals(ball.get("tag"), "a");
});

Deno.test("scene: a claimant acts as owner at once; once its claim is back everyone agrees", async () => {
  await using t = await startServer();
  const [a, b] = await peers(t, "r", "ada", "bob");
  await using _a = a!, _b = b!;
  const ball = a!.scene!.instantiate("ball", { x: 1 });
  await nextEvent(b!.scene!, "created");
  const mine = b!.scene!.get(ball.id)!;
  const ownerSeen = nextEvent(a!.scene!, "owner");
  const won = b!.scene!.takeOwnership(ball.id);
  assertEquals(mine.isMine, true);
  mine.set("x", 2);
  b!.scene!.flush();
  assertEquals(await won, true);
  const [, previous] = await ownerSeen;
  assertEquals([previous, ball.owner, ball.isMine], [a!.id, b!.id, false]);
  assert.throws(() => ball.set("x", 3), NotOwnerError);
  await settle([a!, b!]);
  assertEquals(ball.get("x"), 2);
  assertEquals(await b!.scene!.takeOwnership(ball.id), true, "already ours");
});

Deno.test("scene: simultaneous claims: one wins everywhere and the loser's changes are dropped", async () => {
  await using t = await startServer();
  const [a, b, c] = await peers(t, "r", "ada", "bob", "cy");
  await using _a = a!, _b = b!, _c = c!;
  const ball = a!.scene!.instantiate("ball", { x: 0 });
  await settle([a!, b!, c!]);
  const claims = [b!, c!].map((p, i) => {
    const won = p.scene!.takeOwnership(ball.id);
    p.scene!.get(ball.id)!.set("x", 10 + i);
    p.scene!.flush();
    return won;
  });
  const results = await Promise.all(claims);
  assertEquals(results.filter((w) => w).length, 1, `claims: ${results}`);
  const winner = results[0] ? b! : c!;
  await settle([a!, b!, c!]);
  for (const p of [a!, b!, c!]) {
    const view = p.scene!.get(ball.id)!;
    assertEquals([view.owner, view.get("x")], [
      winner.id,
      winner === b ? 10 : 11,
    ]);
  }
});

Deno.test("scene: the owner destroys an object everywhere", async () => {
  await using t = await startServer();
  const [a, b] = await peers(t, "r", "ada", "bob");
  await using _a = a!, _b = b!;
  const ball = a!.scene!.instantiate("ball", { x: 0 });
  await nextEvent(b!.scene!, "created");
  const gone = nextEvent(b!.scene!, "destroyed");
  assertEquals(await a!.scene!.destroy(ball.id), true);
  const [obj] = await gone;
  assertEquals(
    [obj.id, obj.destroyed, ball.destroyed, b!.scene!.objects.size],
    [
      ball.id,
      true,
      true,
      0,
    ],
  );
});

Deno.test("scene: chat in the room is not scene traffic; malformed scene messages are counted", async () => {
  await using t = await startServer();
  const [a] = await peers(t, "r", "ada");
  await using _a = a!;
  await using r = await t.member("raw", "r");
  await becomeParticipant(r, r.id, [a!.id]);
  await r.send("3:1:hello everyone", "3:1:U x", `3:3:I ${r.id}-1 marker 0 0`);
  await nextEvent(a!.scene!, "created");
  assertEquals(a!.scene!.ignored, 1);
});

Deno.test("scene: with the UDP channel open, updates go as datagrams and a reliable full update follows once quiet", async () => {
  await using t = await startServer();
  await using a = await ScenePeer.connect(t.port, "ada");
  await using b = await ScenePeer.connect(t.port, "bob");
  const options = { tickHz: 20, channel: "udp" as const, reliableAfterMs: 50 };
  await a.client.openUdp();
  await b.client.openUdp();
  await a.join("r", options);
  await b.join("r", options);
  const ball = a.scene!.instantiate("ball", { x: 0, y: 0 });
  await nextEvent(b.scene!, "created");
  const sent = written(a.client);
  const datagrams: string[] = [];
  b.client.onMessage((incoming) => {
    if (incoming.via === "udp") datagrams.push(rawText(incoming));
  });
  ball.set("x", 1);
  a.scene!.flush();
  assertEquals(sent, [], "nothing over TCP yet");
  await nextEvent(b.scene!, "updated", (o) => o.get("x") === 1);
  const full = new RegExp(`^3:0:U \\d+ ${ball.id} 3 1 0$`);
  while (!sent.some((line) => full.test(line))) {
    await nextEvent(b.scene!, "updated", (_, fields) => fields.length === 2);
  }
  // Over loopback the datagram arrives; were it lost, the full update
  // above would still have set x.
  assert.ok(datagrams.length <= 1, datagrams.join("\n"));
  assert.ok(datagrams.every((d) => d === `3:${a.id}:U 1 ${ball.id} 1 1`));
  assertEquals(b.scene!.get(ball.id)!.fields(), { x: 1, y: 0 });
});

Deno.test("scene: with the UDP option but no UDP channel open, updates go over TCP at once", async () => {
  await using t = await startServer();
  await using a = await ScenePeer.connect(t.port, "ada");
  await a.join("r", { tickHz: 1, channel: "udp" });
  const ball = a.scene!.instantiate("ball", { x: 0 });
  const sent = written(a.client);
  ball.set("x", 1);
  a.scene!.flush();
  assertEquals(sent, [`3:0:U 1 ${ball.id} 1 1`]);
  assertEquals(a.scene!.idle, true, "no reliable update owed");
});

Deno.test("scene: joining needs a login; a left scene refuses everything", async () => {
  await using t = await startServer();
  await using client = await RelayClient.connect({ port: t.port });
  await assert.rejects(() => NetworkScene.join(client, "r"), NotLoggedInError);
  await client.login("ada");
  const scene = await NetworkScene.join(client, "r");
  const closed = nextEvent(scene, "closed");
  await scene.leave();
  assertEquals([scene.ended, client.room, (await closed)[0]], [
    true,
    null,
    null,
  ]);
  assert.throws(() => scene.instantiate("ball", {}), SceneClosedError);
  assert.throws(() => scene.flush(), SceneClosedError);
  assert.throws(() => scene.takeOwnership("1-1"), SceneClosedError);
  await scene.leave();
});

Deno.test("scene: the connection closing ends the scene", async () => {
  await using t = await startServer();
  const client = await RelayClient.connect({ port: t.port });
  await client.login("ada");
  const scene = await NetworkScene.join(client, "r");
  const closed = nextEvent(scene, "closed");
  await client.close();
  const [reason] = await closed;
  // The server may say that we left the room before the connection ends.
  assert.ok(
    reason === null || reason instanceof SceneClosedError,
    String(reason),
  );
  assertEquals(scene.ended, true);
  assert.throws(() => scene.flush(), SceneClosedError);
});

Deno.test("scene: the raw lines of a claim and a destroy", async () => {
  await using t = await startServer();
  const [a] = await peers(t, "r", "ada");
  await using _a = a!;
  const ball = a!.scene!.instantiate("ball", { x: 0 });
  await using r = await t.member("raw", "r");
  await becomeParticipant(r, r.id, [a!.id]);
  await r.send(`3:3:O ${ball.id} ${a!.id} 0`);
  await lineUntil(r, new RegExp(`^3:${r.id}:O ${ball.id} `));
  await r.send(`3:0:U 1 ${ball.id} 1 5`, `3:3:D ${ball.id}`);
  const [gone] = await nextEvent(a!.scene!, "destroyed");
  assertEquals([gone.id, gone.owner, gone.get("x")], [ball.id, r.id, 5]);
});
