/**
 * Late joiners against a real server. Raw line clients stand in for other
 * participants where the test must choose exactly when they answer or
 * leave: the order of lines is then certain, not a race.
 */
import assert from "node:assert/strict";
import { assertEquals } from "../../helpers/assert.ts";
import { startServer } from "../../helpers/server.ts";
import { becomeParticipant, lineUntil } from "../../helpers/scene_wire.ts";
import { ScenePeer, settle } from "../../helpers/scene_peers.ts";
import { rawText } from "../../helpers/incoming.ts";
import {
  type Incoming,
  NetworkScene,
  RelayClient,
  SceneSyncError,
} from "../../../client/mod.ts";

const decoder = new TextDecoder();

/** Resolves with the first line `client` receives that matches `pattern`. */
function received(client: RelayClient, pattern: RegExp): Promise<string> {
  return new Promise((resolve) => {
    const off = client.onMessage((incoming: Incoming) => {
      const text = rawText(incoming);
      if (pattern.test(text)) {
        off();
        resolve(text);
      }
    });
  });
}

Deno.test("late join: each owner sends its objects to the joiner alone with 3:4", async () => {
  await using t = await startServer();
  await using a = await ScenePeer.connect(t.port, "ada");
  await using b = await ScenePeer.connect(t.port, "bob");
  await using c = await ScenePeer.connect(t.port, "cy");
  await a.join("r");
  await b.join("r");
  a.scene!.instantiate("ball", { x: 1 });
  b.scene!.instantiate("box", { s: "two words" });
  await settle([a, b]);
  const aSent: string[] = [];
  a.client.onSent((line) => aSent.push(decoder.decode(line).trimEnd()));
  const bHeard: string[] = [];
  b.client.onMessage((incoming) => bHeard.push(rawText(incoming)));
  await c.join("r");
  assertEquals(aSent, [
    `3:4:${c.id}:S 0 ${a.id} 0 ${a.id}-1 ball 0 1 x/n=1`,
    `3:4:${c.id}:E 0 ${a.id},${b.id}`,
  ]);
  assert.ok(!bHeard.some((line) => / [SE] 0/.test(line)), bHeard.join("\n"));
  assertEquals(c.scene!.snapshot(), a.scene!.snapshot());
  assertEquals(c.scene!.participants, [a.id, b.id, c.id]);
});

Deno.test("late join: what arrives between the answers is replayed on them", async () => {
  await using t = await startServer();
  await using a = await ScenePeer.connect(t.port, "ada");
  await a.join("r", { tickHz: 1 });
  const ball = a.scene!.instantiate("ball", { x: 0 });
  await using r = await t.member("raw", "r");
  await becomeParticipant(r, r.id, [a.id]);
  await using j = await RelayClient.connect({ port: t.port });
  const jid = await j.login("joiner");
  const answered = received(j, new RegExp(`^3:${a.id}:E 0 `));
  const joining = NetworkScene.join(j, "r");
  await answered;
  ball.set("x", 5);
  a.scene!.flush();
  await received(j, new RegExp(`^3:${a.id}:U `));
  await lineUntil(r, new RegExp(`^3:${jid}:H 0$`));
  await r.send(`3:4:${jid}:E 0 ${a.id},${r.id}`);
  const scene = await joining;
  assertEquals(scene.get(ball.id)!.get("x"), 5);
  await scene.leave();
});

Deno.test("late join: a departure while the joiner waits is replayed: bound objects go, the rest is adopted", async () => {
  await using t = await startServer();
  await using a = await ScenePeer.connect(t.port, "ada");
  await a.join("r");
  const avatar = a.scene!.instantiate("avatar", { x: 1 }, {
    boundToOwner: true,
  });
  const crate = a.scene!.instantiate("crate", { x: 2 });
  await using r = await t.member("raw", "r");
  await becomeParticipant(r, r.id, [a.id]);
  await using j = await RelayClient.connect({ port: t.port });
  const jid = await j.login("joiner");
  const answered = received(j, new RegExp(`^3:${a.id}:E 0 `));
  const joining = NetworkScene.join(j, "r");
  await answered;
  const left = received(j, new RegExp(`^2:${a.id}:$`));
  await a.leave();
  await left;
  await lineUntil(r, new RegExp(`^3:${jid}:H 0$`));
  await r.send(`3:4:${jid}:E 0 ${a.id},${r.id}`);
  const scene = await joining;
  assertEquals(scene.get(avatar.id), undefined);
  assertEquals(
    scene.snapshot().map((o) => [o.id, o.owner, o.fields]),
    [[crate.id, r.id, { x: 2 }]],
  );
  assertEquals([scene.participants, scene.master], [[r.id, jid], r.id]);
  await scene.leave();
});

Deno.test("late join: a member that leaves without answering makes the joiner ask again", async () => {
  await using t = await startServer();
  await using a = await ScenePeer.connect(t.port, "ada");
  await a.join("r");
  await using r = await t.member("raw", "r");
  await becomeParticipant(r, r.id, [a.id]);
  await r.send(`3:3:I ${r.id}-1 crate 0 1 w/n=3`);
  await lineUntil(r, new RegExp(`^3:${r.id}:I `));
  await using j = await RelayClient.connect({ port: t.port });
  const jid = await j.login("joiner");
  const hellos: string[] = [];
  j.onSent((line) => {
    const text = decoder.decode(line).trimEnd();
    if (text.startsWith("3:3:H ")) hellos.push(text);
  });
  const joining = NetworkScene.join(j, "r");
  await lineUntil(r, new RegExp(`^3:${jid}:H 0$`));
  await r.send("2:-1");
  const scene = await joining;
  assertEquals(hellos, ["3:3:H 0", "3:3:H 1"]);
  assertEquals(
    scene.snapshot().map((o) => [o.id, o.owner, o.fields]),
    [[`${r.id}-1`, a.id, { w: 3 }]],
  );
  await scene.leave();
});

Deno.test("late join: members that are not scene clients hold up only a joiner with no participant to answer", async () => {
  await using t = await startServer();
  await using repl = await t.member("repl", "r");
  await using a = await ScenePeer.connect(t.port, "ada");
  await a.join("r", {
    syncTimeoutMs: 200,
    sceneObjects: [{ type: "door", fields: { open: false } }],
  });
  assertEquals(a.scene!.get("-1-1")!.owner, a.id);
  await using b = await ScenePeer.connect(t.port, "bob");
  await b.join("r", {
    syncTimeoutMs: 60_000,
    sceneObjects: [{ type: "door", fields: { open: false } }],
  });
  assertEquals(b.scene!.snapshot(), a.scene!.snapshot());
  assertEquals(b.scene!.participants, [a.id, b.id]);
  const seen = await repl.sync();
  assert.ok(seen.some((l) => l.endsWith(":H 0")), "the REPL sees the traffic");
});

Deno.test("late join: a participant that never answers fails the join, which leaves the room", async () => {
  await using t = await startServer();
  await using a = await ScenePeer.connect(t.port, "ada");
  await a.join("r");
  await using r = await t.member("raw", "r");
  await becomeParticipant(r, r.id, [a.id]);
  await using j = await RelayClient.connect({ port: t.port });
  await j.login("joiner");
  const error = await NetworkScene.join(j, "r", { syncTimeoutMs: 300 })
    .catch((e) => e);
  assert.ok(error instanceof SceneSyncError, String(error));
  assertEquals([error.code, j.room], ["sync-timeout", null]);
});
